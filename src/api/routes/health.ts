import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { meResponse, errorResponse } from '../schemas';

const readiness = z.object({ ready: z.boolean(), temporal: z.boolean(), workerPolling: z.boolean() });

/** Liveness, readiness and the caller's identity. */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/healthz', { schema: { tags: ['health'], summary: 'Liveness', response: { 200: z.object({ ok: z.literal(true) }) } } }, async () => ({ ok: true as const }));

  app.get('/readyz', {
    schema: { tags: ['health'], summary: 'Readiness: Temporal reachable and a worker polling', response: { 200: readiness, 503: readiness } },
  }, async (_req, reply) => {
    const state = await app.problems.readiness();
    const ready = state.temporal && state.workerPolling;
    return reply.code(ready ? 200 : 503).send({ ready, ...state });
  });

  app.get('/v1/me', {
    preHandler: app.requireRole('submitter', 'approver', 'admin'),
    schema: { tags: ['identity'], summary: 'The authenticated principal, roles and groups', security: [{ bearer: [] }], response: { 200: meResponse, 401: errorResponse } },
  }, async (req) => req.principal!);
};
