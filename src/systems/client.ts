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

/**
 * HTTP client of the systems of record; swap `baseUrl` to reach real systems.
 *
 * Built on undici's `request` over one keep-alive pool (not `fetch`): the worker calls these
 * systems on every lookup, and `fetch`'s WHATWG streams and combined abort signals cost about a
 * tenth of the worker's main thread under load (docs/BENCHMARKS.md, *Fifth pass*). `timeoutMs`
 * bounds the wait for the answer's headers and each pause in its body.
 */
export function createSystemsClient(options: { baseUrl: string; timeoutMs?: number; connections?: number }): SystemsPort {
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
      const body = text ? (JSON.parse(text) as unknown) : null;
      if (res.statusCode < 200 || res.statusCode > 299) {
        const code = (body as { error?: { code?: string } } | null)?.error?.code;
        throw new DownstreamError(`${method} ${path} answered ${res.statusCode}${code ? ` ${code}` : ''}`, res.statusCode, code, parseRetryAfter(headerValue(res.headers['retry-after'])));
      }
      return body as T;
    },
  };
}
