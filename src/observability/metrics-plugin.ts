import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Registry } from 'prom-client';
import { createApiMetrics, UNMATCHED_ROUTE, type ApiMetrics, type PendingApprovalsSource } from './api-metrics';
import { safely } from './safely';

/** Options of the metrics plugin. */
export interface MetricsPluginOptions {
  /** Source of the approvals_pending gauge (a cached visibility count). */
  pendingApprovals?: PendingApprovalsSource;
  /** More registries served at /metrics, e.g. prom-client's default one (process metrics, in-process worker). */
  extraRegistries?: Registry[];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The API's Prometheus metrics. */
    metrics: ApiMetrics;
  }
}

function observe(metrics: ApiMetrics, req: FastifyRequest, reply: FastifyReply): void {
  const route = req.routeOptions.url ?? UNMATCHED_ROUTE;
  const status = reply.statusCode;
  metrics.httpDuration.observe({ method: req.method, route, status_code: String(status) }, reply.elapsedTime / 1000);
  if (req.method === 'POST' && route === '/v1/problems' && status === 202 && !reply.getHeader('idempotent-replayed')) {
    const channel = (req.body as { channel?: unknown } | undefined)?.channel;
    metrics.problemsSubmitted.inc({ channel: typeof channel === 'string' ? channel : 'unknown' });
  }
}

/**
 * HTTP metrics for every route and `GET /metrics` (Prometheus text format, no auth, as the
 * contract says). Recording a metric never fails a request: errors are logged and dropped, and
 * a registry that fails to render is left out of the scrape.
 */
export const metricsPlugin = fp(async (app: FastifyInstance, opts: MetricsPluginOptions) => {
  const metrics = createApiMetrics(opts.pendingApprovals);
  app.decorate('metrics', metrics);
  app.addHook('onResponse', async (req, reply) => {
    safely('http metrics', () => observe(metrics, req, reply), (o, m) => req.log.warn(o, m));
  });
  const registries = [metrics.registry, ...(opts.extraRegistries ?? [])];
  app.get('/metrics', { schema: { hide: true }, logLevel: 'warn' }, async (req, reply) => {
    const parts = await Promise.all(
      registries.map((r) => r.metrics().catch((err: unknown) => {
        req.log.warn({ err }, 'a metrics registry failed to render (left out)');
        return '';
      })),
    );
    return reply.type(metrics.registry.contentType).send(parts.filter(Boolean).join('\n'));
  });
}, { name: 'metrics' });
