/**
 * One step as its tool's activity: scheduled with the tool's timeout and retries, keyed
 * `<problemId>/<stepId>` so the system of record applies it once however often it is retried.
 * Lookups of problems started by this build try a local activity first (local-first.ts).
 */
import type { ActionStep, ToolInvocation } from '../../src/domain/types';
import { localTools, tools } from '../activities';
import { runtimeInputOf } from '../effect-guard';
import { FINAL_TOOL_FAILURES, localAttempt, localFirst } from '../local-first';
import type { Rules } from '../rules';

/** A step, a compensation or a lookup: anything with an id that names a tool. */
export type RunnableStep = ActionStep | (ActionStep['compensation'] & object);

/** Runs one step; `results` completes its input (`inputFrom`); `retry` numbers a re-decided execution. */
export type RunTool = (step: RunnableStep, results?: Record<string, unknown>, retry?: number) => Promise<unknown>;

/**
 * The tool runner of one problem. A re-decided execution (`retry` > 0) is a new request, so it
 * gets a key of its own; a step planned without run options (legacy rules) takes its tool's.
 * With `localFirst` (lookups only: reads are safe to repeat), a tool runs once as a local
 * activity first (see local-first.ts).
 */
export function toolRunner(problemId: string, rules: () => Rules, options: { localFirst?: boolean } = {}): RunTool {
  return (step, results = {}, retry = 0) => {
    const def = step.run ?? rules().runOptions(step);
    const args: [ToolInvocation] = [{ input: runtimeInputOf(step, results), idempotencyKey: `${problemId}/${step.id}${retry > 0 ? `~${retry}` : ''}` }];
    const activity = () =>
      tools[step.tool]!.executeWithOptions(
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
    if (!options.localFirst) return activity();
    return localFirst(() => localTools[step.tool]!.executeWithOptions({ summary: step.summary, ...localAttempt(def.timeoutMs) }, args), activity);
  };
}
