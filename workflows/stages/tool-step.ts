/**
 * One step as its tool's activity: scheduled with the tool's timeout and retries, keyed
 * `<problemId>/<stepId>` so the system of record applies it once however often it is retried.
 * Lookups of problems started by this build try a local activity first (see `localTools`).
 */
import { ActivityFailure, ApplicationFailure, isCancellation } from '@temporalio/workflow';
import type { ActionStep, ToolInvocation } from '../../src/domain/types';
import { localTools, tools } from '../activities';
import { runtimeInputOf } from '../effect-guard';
import type { Rules } from '../rules';

/** A step, a compensation or a lookup: anything with an id that names a tool. */
export type RunnableStep = ActionStep | (ActionStep['compensation'] & object);

/** Runs one step; `results` completes its input (`inputFrom`); `retry` numbers a re-decided execution. */
export type RunTool = (step: RunnableStep, results?: Record<string, unknown>, retry?: number) => Promise<unknown>;

/** Failures a tool marks final: a retry, local or not, would get the same answer. */
export const FINAL_TOOL_FAILURES: readonly string[] = ['ToolRejected', 'ToolInputInvalid'];

/**
 * How long a lookup may run as a local activity. A local activity holds its workflow task open,
 * and with it the problem's queries and updates; a lookup that takes longer (a slow or failing
 * system of record) is run again as an activity, with its tool's own timeout and retries.
 */
export const LOCAL_LOOKUP_TIMEOUT_MS = 2_000;

/** Whether a failed local attempt is the tool's final answer (or the problem was cancelled), not a reason to try the activity. */
function isFinal(err: unknown): boolean {
  if (isCancellation(err)) return true;
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure && (cause.nonRetryable === true || FINAL_TOOL_FAILURES.includes(cause.type ?? ''));
}

/**
 * The tool runner of one problem. A re-decided execution (`retry` > 0) is a new request, so it
 * gets a key of its own; a step planned without run options (legacy rules) takes its tool's.
 * With `localFirst` (lookups only: reads are safe to repeat), a tool runs once as a local
 * activity, in this worker, within {@link LOCAL_LOOKUP_TIMEOUT_MS}: no task queue round trip and
 * no workflow task of its own. If that attempt fails for any reason but a final one, the
 * activity runs as usual.
 */
export function toolRunner(problemId: string, rules: () => Rules, options: { localFirst?: boolean } = {}): RunTool {
  return async (step, results = {}, retry = 0) => {
    const def = step.run ?? rules().runOptions(step);
    const args: [ToolInvocation] = [{ input: runtimeInputOf(step, results), idempotencyKey: `${problemId}/${step.id}${retry > 0 ? `~${retry}` : ''}` }];
    if (options.localFirst) {
      try {
        return await localTools[step.tool]!.executeWithOptions({ summary: step.summary, startToCloseTimeout: Math.min(def.timeoutMs, LOCAL_LOOKUP_TIMEOUT_MS), retry: { maximumAttempts: 1 } }, args);
      } catch (err) {
        if (isFinal(err)) throw err;
      }
    }
    return tools[step.tool]!.executeWithOptions(
      {
        summary: step.summary,
        startToCloseTimeout: def.timeoutMs,
        retry: {
          maximumAttempts: def.retry.maximumAttempts,
          initialInterval: def.retry.initialIntervalMs,
          backoffCoefficient: def.retry.backoffCoefficient,
          maximumInterval: def.retry.maximumIntervalMs,
          nonRetryableErrorTypes: [...FINAL_TOOL_FAILURES],
        },
      },
      args,
    );
  };
}
