/**
 * A step tried once as a local activity, then as a regular activity: for steps that are short
 * and safe to run again (a lookup, a notification with its own idempotency id). The local attempt
 * needs no task queue round trip and no workflow task of its own; the activity is the fallback
 * with the step's full timeout and retries.
 */
import { ActivityFailure, ApplicationFailure, isCancellation } from '@temporalio/workflow';

/**
 * How long a local attempt may run. A local activity holds its workflow task open, and with it
 * the problem's queries and updates; a step that takes longer (a slow or failing system) runs
 * again as an activity.
 */
export const LOCAL_ATTEMPT_TIMEOUT_MS = 2_000;

/** Failure types a tool marks final: a retry, local or not, would get the same answer. */
export const FINAL_TOOL_FAILURES: readonly string[] = ['ToolRejected', 'ToolInputInvalid'];

/** Whether a failed local attempt is the step's final answer (or the problem was cancelled), not a reason to try the activity. */
function isFinal(err: unknown): boolean {
  if (isCancellation(err)) return true;
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure && (cause.nonRetryable === true || FINAL_TOOL_FAILURES.includes(cause.type ?? ''));
}

/** Local options of the one attempt: at most {@link LOCAL_ATTEMPT_TIMEOUT_MS} (less when the step's own timeout is shorter), no local retries. */
export const localAttempt = (timeoutMs: number) => ({ startToCloseTimeout: Math.min(timeoutMs, LOCAL_ATTEMPT_TIMEOUT_MS), retry: { maximumAttempts: 1 } });

/** Runs `local` once; unless it failed for good, falls back to `activity`. */
export async function localFirst<T>(local: () => Promise<T>, activity: () => Promise<T>): Promise<T> {
  try {
    return await local();
  } catch (err) {
    if (isFinal(err)) throw err;
  }
  return activity();
}
