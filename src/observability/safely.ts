/** Where observability code reports its own failures (a logger's `warn`). */
export type WarnFn = (obj: object, msg: string) => void;

/**
 * Runs instrumentation code so that its failure never fails the request or activity it
 * observes: the error is reported and swallowed.
 */
export function safely(what: string, fn: () => void, warn?: WarnFn): void {
  try {
    fn();
  } catch (err) {
    warn?.({ err }, `${what} failed (ignored)`);
  }
}
