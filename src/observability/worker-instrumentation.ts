import type { WorkerOptions } from '@temporalio/worker';
import type { Logger } from '../logger';
import { loggingActivityInterceptors } from './activity-logging';
import { metricsActivityInterceptors } from './metrics-interceptor';
import type { Tracing } from './tracing';
import { workerMetrics } from './worker-metrics';

/**
 * Interceptors and sinks of a worker: activity metrics always (prom-client's default registry),
 * a log line per activity attempt with its workflow id when a logger is given,
 * OpenTelemetry activity and workflow spans when tracing is on. Workflow spans need the
 * interceptor module inside the workflow bundle: workers that bundle at start-up get it here;
 * the prebuilt bundle (src/temporal/workflow-bundle.ts) always has it, so with tracing off its
 * spans go to a no-op `exporter` sink instead of an "unregistered sink" error per activation.
 */
export function workerInstrumentation(tracing: Tracing | undefined, log?: Logger): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  const own = [
    metricsActivityInterceptors(workerMetrics(), log ? (obj, msg) => log.warn(obj, msg) : undefined),
    ...(log ? [loggingActivityInterceptors(log)] : []),
  ];
  if (!tracing) return { interceptors: { activity: own }, sinks: { exporter: { export: { fn: () => undefined } } } };
  const traced = tracing.workerOptions();
  return {
    // Tracing first, so the log and metrics interceptors run inside the activity's span.
    interceptors: { ...traced.interceptors, activity: [...(traced.interceptors?.activity ?? []), ...own] },
    sinks: traced.sinks,
  };
}
