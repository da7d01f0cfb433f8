import { Pool, type Dispatcher } from 'undici';
import type { SystemsPort } from '../domain/types';

/** A non-2xx answer or transport failure from a system of record. */
export class DownstreamError extends Error {
  override name = 'DownstreamError';
  constructor(
    message: string,
    /** HTTP status, or 0 for network errors and timeouts. */
    readonly status: number,
    /** The system's stable error code, when it sent one. */
    readonly code: string | undefined,
    /** Back-off the system asked for (Retry-After), in milliseconds. */
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
  }

  /** Network errors, timeouts, 408, 409-less 4xx excluded: only these are worth retrying. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

/** Parses `Retry-After` (seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The first value of a response header (undici gives repeated headers as an array). */
function headerValue(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** Where and how the worker reaches the systems of record. */
export interface SystemsClientOptions {
  /** Base URL; a tool's path replaces its path (`new URL(path, baseUrl)`). */
  baseUrl: string;
  /** Longest wait for an answer's headers, and for each pause in its body (default 10 s). */
  timeoutMs?: number;
  /** Most keep-alive connections open to the base URL's origin at once (default 32). */
  connections?: number;
}

/** The JSON in `text`, `null` when it is empty, `undefined` when it is not JSON. */
function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * HTTP client of the systems of record; swap `baseUrl` to reach real systems.
 *
 * Built on undici's `request` over one keep-alive pool (not `fetch`): the worker calls these
 * systems on every lookup, and `fetch`'s WHATWG streams and combined abort signals took about a
 * sixth of the worker main thread's busy time under load (docs/BENCHMARKS.md, *Fifth pass*).
 */
export function createSystemsClient(options: SystemsClientOptions): SystemsPort {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const pool = new Pool(new URL(options.baseUrl).origin, { connections: options.connections ?? 32, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  return {
    async request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, opts: { body?: unknown; idempotencyKey?: string; notFoundAsNull?: boolean; signal?: AbortSignal } = {}) {
      const url = new URL(path, options.baseUrl);
      let res: Dispatcher.ResponseData;
      let text: string;
      try {
        res = await pool.request({
          method,
          path: url.pathname + url.search,
          headers: {
            accept: 'application/json',
            ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : {}),
          },
          body: opts.body === undefined ? null : JSON.stringify(opts.body),
          signal: opts.signal ?? null,
        });
        text = await res.body.text();
      } catch (err) {
        throw new DownstreamError(`${method} ${path} failed: ${(err as Error).message}`, 0, undefined, undefined);
      }
      if (res.statusCode === 404 && opts.notFoundAsNull) return null;
      // An error page from a gateway (HTML, say) still fails as the status it came with.
      const body = parseJson(text);
      if (res.statusCode < 200 || res.statusCode > 299) {
        const code = (body as { error?: { code?: string } } | null | undefined)?.error?.code;
        throw new DownstreamError(`${method} ${path} answered ${res.statusCode}${code ? ` ${code}` : ''}`, res.statusCode, code, parseRetryAfter(headerValue(res.headers['retry-after'])));
      }
      // Not a refusal: an answer the tool cannot read (retried as a ToolError, activities/tools.ts).
      if (body === undefined) throw new Error(`${method} ${path} answered ${res.statusCode} with a body that is not JSON`);
      return body as T;
    },
  };
}
