import type { WorkerOptions } from '@temporalio/worker';
import { metricsActivityInterceptors } from './metrics-interceptor';
import type { WarnFn } from './safely';
import type { Tracing } from './tracing';
import { workerMetrics } from './worker-metrics';

/**
 * Interceptors and sinks of a worker: activity metrics always (prom-client's default registry),
 * OpenTelemetry activity and workflow spans when tracing is on. Workflow spans need the
 * interceptor module inside the workflow bundle: workers that bundle at start-up get it here;
 * a prebuilt bundle must be built with `workflowInterceptorModules: [OTEL_WORKFLOW_INTERCEPTOR_MODULE]`.
 */
export function workerInstrumentation(tracing: Tracing | undefined, warn?: WarnFn): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  const metrics = metricsActivityInterceptors(workerMetrics(), warn);
  if (!tracing) return { interceptors: { activity: [metrics] } };
  const traced = tracing.workerOptions();
  return {
    interceptors: { ...traced.interceptors, activity: [...(traced.interceptors?.activity ?? []), metrics] },
    sinks: traced.sinks,
  };
}
