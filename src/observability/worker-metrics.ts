import { Counter, Histogram, register, type Registry } from 'prom-client';

/**
 * The worker's own metrics, on prom-client's default registry (shared with the LLM metrics of
 * src/llm/metrics.ts), served on WORKER_APP_METRICS_PORT. Temporal's own SDK metrics
 * (task latencies, slots, polls) come from the Core runtime on WORKER_METRICS_PORT instead.
 */
export interface WorkerMetrics {
  /** `activity_executions_total{activity_type,outcome}`; outcome is completed | failed | cancelled. */
  activityExecutions: Counter<'activity_type' | 'outcome'>;
  /** `activity_duration_seconds{activity_type,outcome}`: one attempt, as the worker saw it. */
  activityDuration: Histogram<'activity_type' | 'outcome'>;
  /** `problem_decisions_total{status,reason_code}`: problems finished, by final status and decision reason code. */
  decisions: Counter<'status' | 'reason_code'>;
  /** `problems_extracted_total{type,result}`: extractions by problem type; result is problem | clarify. */
  problemsExtracted: Counter<'type' | 'result'>;
}

/** Returns the metric registered under `name`, creating it once (workers may be created several times per process). */
function once<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/** The worker metrics on `registry` (default: prom-client's default registry). */
export function workerMetrics(registry: Registry = register): WorkerMetrics {
  const registers = [registry];
  return {
    activityExecutions: once(registry, 'activity_executions_total', () => new Counter({
      name: 'activity_executions_total', help: 'Activity attempts by activity type and outcome', labelNames: ['activity_type', 'outcome'], registers,
    })),
    activityDuration: once(registry, 'activity_duration_seconds', () => new Histogram({
      name: 'activity_duration_seconds', help: 'Activity attempt duration by activity type and outcome', labelNames: ['activity_type', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers,
    })),
    decisions: once(registry, 'problem_decisions_total', () => new Counter({
      name: 'problem_decisions_total', help: 'Problems finished, by final status and decision reason code', labelNames: ['status', 'reason_code'], registers,
    })),
    problemsExtracted: once(registry, 'problems_extracted_total', () => new Counter({
      name: 'problems_extracted_total', help: 'Extractions by problem type (unknown when not recognised) and result (problem | clarify)', labelNames: ['type', 'result'], registers,
    })),
  };
}
