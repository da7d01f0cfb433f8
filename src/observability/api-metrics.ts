import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Label value for requests that matched no route (keeps cardinality bounded). */
export const UNMATCHED_ROUTE = 'unmatched';

/** The API's metrics, in a registry of their own (several apps may live in one test process). */
export interface ApiMetrics {
  registry: Registry;
  /** `http_request_duration_seconds{method,route,status_code}`. */
  httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  /** `problems_submitted_total{channel}`: new problems started (idempotent replays excluded). */
  problemsSubmitted: Counter<'channel'>;
  /** `approvals_pending`: problems awaiting approval, from Temporal visibility (cached). */
  approvalsPending: Gauge;
}

/** Number of problems awaiting approval; undefined when unknown (never counted yet). */
export type PendingApprovalsSource = () => Promise<number | undefined>;

/** Creates the API's metrics; `pendingApprovals` is read when Prometheus scrapes. */
export function createApiMetrics(pendingApprovals?: PendingApprovalsSource): ApiMetrics {
  const registry = new Registry();
  return {
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route template and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    problemsSubmitted: new Counter({
      name: 'problems_submitted_total',
      help: 'Problems submitted (new workflows started), by channel; the problem type is only known after extraction (worker metric problems_extracted_total)',
      labelNames: ['channel'],
      registers: [registry],
    }),
    approvalsPending: new Gauge({
      name: 'approvals_pending',
      help: 'Problems awaiting approval (Temporal visibility count, cached)',
      registers: [registry],
      async collect() {
        if (!pendingApprovals) return;
        const value = await pendingApprovals().catch(() => undefined);
        if (value !== undefined) this.set(value);
      },
    }),
  };
}
