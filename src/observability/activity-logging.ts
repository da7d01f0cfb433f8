import type { Context as ActivityContext } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, ActivityInterceptorsFactory, Next } from '@temporalio/worker';
import type { Logger } from '../logger';

/**
 * One log line per activity attempt with the workflow id, activity type and attempt (debug when
 * it completes, warn when it fails), so worker logs join the API's by `workflowId`. Inputs and
 * results are never logged: they hold the user's text and entities.
 */
export class LoggingActivityInboundInterceptor implements ActivityInboundCallsInterceptor {
  constructor(private readonly ctx: ActivityContext, private readonly log: Logger) {}

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const { info } = this.ctx;
    const fields = { workflowId: info.workflowExecution?.workflowId, runId: info.workflowExecution?.runId, activityType: info.activityType, activityId: info.activityId, attempt: info.attempt };
    const started = performance.now();
    try {
      const result = await next(input);
      this.log.debug({ ...fields, durationMs: Math.round(performance.now() - started) }, 'activity completed');
      return result;
    } catch (err) {
      const errorType = err instanceof ApplicationFailure ? err.type : err instanceof CancelledFailure ? 'Cancelled' : (err as Error)?.name;
      this.log.warn({ ...fields, durationMs: Math.round(performance.now() - started), errorType, error: (err as Error)?.message }, 'activity failed');
      throw err;
    }
  }
}

/** The worker interceptor factory for {@link LoggingActivityInboundInterceptor}. */
export function loggingActivityInterceptors(log: Logger): ActivityInterceptorsFactory {
  return (ctx) => ({ inbound: new LoggingActivityInboundInterceptor(ctx, log) });
}
