import type { Context as ActivityContext } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, ActivityInterceptorsFactory, Next } from '@temporalio/worker';
import { safely, type WarnFn } from './safely';
import type { WorkerMetrics } from './worker-metrics';

type Outcome = 'completed' | 'failed' | 'cancelled';

/** Reads the few result fields the metrics need, without trusting their shape. */
function extractionLabels(result: unknown): { type: string; result: string } | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const r = result as { kind?: unknown; type?: unknown; candidateType?: unknown };
  const type = typeof r.type === 'string' ? r.type : typeof r.candidateType === 'string' ? r.candidateType : 'unknown';
  return r.kind === 'problem' || r.kind === 'clarify' ? { type, result: r.kind } : undefined;
}

function decisionLabels(args: unknown[]): { status: string; reason_code: string } | undefined {
  const n = args[0] as { event?: unknown; status?: unknown; reasonCode?: unknown } | undefined;
  if (n?.event !== 'completed' || typeof n.status !== 'string') return undefined;
  return { status: n.status, reason_code: typeof n.reasonCode === 'string' ? n.reasonCode : 'none' };
}

/**
 * Counts activity attempts by type and outcome, extractions by problem type, and finished
 * problems by reason code (seen as the workflow's final `notify` call, so the workflow code stays
 * free of metrics). Recording never changes an activity's result or error.
 */
export class MetricsActivityInboundInterceptor implements ActivityInboundCallsInterceptor {
  constructor(private readonly ctx: ActivityContext, private readonly metrics: WorkerMetrics, private readonly warn?: WarnFn) {}

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const started = performance.now();
    const record = (outcome: Outcome, result?: unknown) => safely('activity metrics', () => {
      const activityType = this.ctx.info.activityType;
      const labels = { activity_type: activityType, outcome };
      this.metrics.activityExecutions.inc(labels);
      this.metrics.activityDuration.observe(labels, (performance.now() - started) / 1000);
      if (outcome !== 'completed') return;
      const extraction = activityType === 'extractProblem' ? extractionLabels(result) : undefined;
      if (extraction) this.metrics.problemsExtracted.inc(extraction);
      const decision = activityType === 'notify' ? decisionLabels(input.args) : undefined;
      if (decision) this.metrics.decisions.inc(decision);
    }, this.warn);
    try {
      const result = await next(input);
      record('completed', result);
      return result;
    } catch (err) {
      record(err instanceof CancelledFailure ? 'cancelled' : 'failed');
      throw err;
    }
  }
}

/** The worker interceptor factory for {@link MetricsActivityInboundInterceptor}. */
export function metricsActivityInterceptors(metrics: WorkerMetrics, warn?: WarnFn): ActivityInterceptorsFactory {
  return (ctx) => ({ inbound: new MetricsActivityInboundInterceptor(ctx, metrics, warn) });
}
