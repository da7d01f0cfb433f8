import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { SystemsDb } from './db';
import { logRequestsAt, requestLogController } from '../observability/request-logging';
import { createFaultInjector, type FaultInjector } from './faults';
import { adminRoutes } from './routes/admin';
import { billingRoutes } from './routes/billing';
import { crmRoutes } from './routes/crm';
import { iamRoutes } from './routes/iam';
import { networkRoutes } from './routes/network';
import { planRoutes } from './routes/plans';

/**
 * The demo systems of record (billing, network, CRM, IAM) over HTTP, backed by SQLite.
 * Tools call it exactly as they would call real systems.
 */
export function buildSystemsApp(options: { db: SystemsDb; logger?: FastifyBaseLogger; faults?: FaultInjector; adminToken?: string; requestLogLevel?: 'debug' | 'info' }): FastifyInstance {
  const app = Fastify({ loggerInstance: options.logger, logController: requestLogController(options.requestLogLevel) });
  if (options.requestLogLevel === 'debug') logRequestsAt(app, 'debug');
  const faults = options.faults ?? createFaultInjector();
  app.addHook('onRequest', async (req, reply) => {
    const status = await faults.apply(req.method, req.url);
    if (status !== undefined) return reply.code(status).send({ error: { code: 'injected_fault', message: `injected ${status}` } });
  });
  app.addHook('onSend', async (req, reply, payload) => {
    const status = faults.applyAfter(req.method, req.url);
    if (status === undefined) return payload;
    reply.code(status);
    return JSON.stringify({ error: { code: 'injected_lost_response', message: `response replaced by ${status}` } });
  });
  app.get('/healthz', async () => ({ ok: true }));
  billingRoutes(app, options.db);
  crmRoutes(app, options.db);
  networkRoutes(app, options.db);
  planRoutes(app, options.db);
  iamRoutes(app, options.db);
  adminRoutes(app, options.db, faults, options.adminToken);
  return app;
}
