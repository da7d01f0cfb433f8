/** An error the API reports as `{"error":{"code","message","details"}}` with `status`. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown[] = [],
    /** Response headers that go with this error, e.g. `retry-after` of a 429. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * gRPC status codes meaning "Temporal is not reachable right now". CANCELLED is what a call
 * gets when the connection drops under it (a frontend killed mid-query, seen in drill:cluster).
 */
const UNAVAILABLE_CODES = new Set([14 /* UNAVAILABLE */, 4 /* DEADLINE_EXCEEDED */, 1 /* CANCELLED */]);

/**
 * Errors of a cluster that is up but not serving yet: a restarted history service answers
 * "namespace not found" until its namespace cache is loaded (seen in drill:cluster).
 */
const NOT_SERVING_ERRORS = new Set(['NamespaceNotFoundError']);

/**
 * Whether an error (or its cause) says Temporal could not be reached at all (gRPC UNAVAILABLE, a
 * refused connection): a connection-level fact, unlike one call's deadline running out.
 */
export function isTemporalUnreachable(err: unknown): boolean {
  return someCause(err, (e) => (e as { code?: unknown }).code === 14 /* UNAVAILABLE */ || (e instanceof Error && /UNAVAILABLE|failed to connect|connection refused|ECONNREFUSED/i.test(e.message)));
}

/** Whether an error (or its cause) says Temporal could not be reached in time. */
export function isTemporalUnavailable(err: unknown): boolean {
  return someCause(err, (e) => {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number' && UNAVAILABLE_CODES.has(code)) return true;
    return e instanceof Error && (NOT_SERVING_ERRORS.has(e.name) || /deadline exceeded|UNAVAILABLE|failed to connect|connection refused|ECONNREFUSED/i.test(e.message));
  });
}

/** Whether `test` holds for an error or one of its first causes (the SDK wraps gRPC errors). */
function someCause(err: unknown, test: (e: unknown) => boolean): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) if (test(e)) return true;
  return false;
}
