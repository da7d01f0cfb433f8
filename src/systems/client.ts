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

/** HTTP client of the systems of record; swap `baseUrl` to reach real systems. */
export function createSystemsClient(options: { baseUrl: string; timeoutMs?: number; fetchImpl?: typeof fetch }): SystemsPort {
  const doFetch = options.fetchImpl ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    async request<T>(method: string, path: string, opts: { body?: unknown; idempotencyKey?: string; notFoundAsNull?: boolean; signal?: AbortSignal } = {}) {
      const signals = [AbortSignal.timeout(timeoutMs), ...(opts.signal ? [opts.signal] : [])];
      let res: Response;
      try {
        res = await doFetch(new URL(path, options.baseUrl), {
          method,
          headers: {
            accept: 'application/json',
            ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : {}),
          },
          body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
          signal: AbortSignal.any(signals),
        });
      } catch (err) {
        throw new DownstreamError(`${method} ${path} failed: ${(err as Error).message}`, 0, undefined, undefined);
      }
      if (res.status === 404 && opts.notFoundAsNull) return null;
      const text = await res.text();
      const body = text ? (JSON.parse(text) as unknown) : null;
      if (!res.ok) {
        const code = (body as { error?: { code?: string } } | null)?.error?.code;
        throw new DownstreamError(`${method} ${path} answered ${res.status}${code ? ` ${code}` : ''}`, res.status, code, parseRetryAfter(res.headers.get('retry-after')));
      }
      return body as T;
    },
  };
}
