import { Counter, Histogram, register, type Registry } from 'prom-client';

/** Prometheus series of model calls, by model, on prom-client's default registry (served by the worker). */
export interface LlmMetrics {
  /** `llm_requests_total{model,outcome}`: model calls; outcome is ok | refusal | error. */
  requests: Counter<'model' | 'outcome'>;
  /** `llm_tokens_total{model,kind}`: tokens by kind (prompt | completion). */
  tokens: Counter<'model' | 'kind'>;
  /** `llm_request_duration_seconds{model,outcome}`: latency of one call. */
  duration: Histogram<'model' | 'outcome'>;
  /** `llm_failovers_total{from,to}`: calls moved to the next endpoint after a retryable failure. */
  failovers: Counter<'from' | 'to'>;
}

/** Returns the metric registered under `name`, creating it once (providers may be built several times per process). */
function once<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/** The LLM metrics on `registry` (default: prom-client's default registry). */
export function llmMetrics(registry: Registry = register): LlmMetrics {
  const registers = [registry];
  return {
    requests: once(registry, 'llm_requests_total', () => new Counter({
      name: 'llm_requests_total', help: 'Model calls by model and outcome (ok | refusal | error)', labelNames: ['model', 'outcome'], registers,
    })),
    tokens: once(registry, 'llm_tokens_total', () => new Counter({
      name: 'llm_tokens_total', help: 'Tokens used by model and kind (prompt | completion)', labelNames: ['model', 'kind'], registers,
    })),
    duration: once(registry, 'llm_request_duration_seconds', () => new Histogram({
      name: 'llm_request_duration_seconds', help: 'Latency of one model call by model and outcome', labelNames: ['model', 'outcome'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60], registers,
    })),
    failovers: once(registry, 'llm_failovers_total', () => new Counter({
      name: 'llm_failovers_total', help: 'Calls moved to the next model endpoint after a retryable failure', labelNames: ['from', 'to'], registers,
    })),
  };
}
