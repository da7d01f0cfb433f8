import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { meResponse, errorResponse } from '../schemas';

const readiness = z.object({ ready: z.boolean(), temporal: z.boolean(), workerPolling: z.boolean() });

/** How long one readiness probe of Temporal answers `/readyz` (unauthenticated, so not a free RPC per request). */
export const READINESS_CACHE_MS = 1500;

/** Liveness, readiness and the caller's identity. */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  let probe: { at: number; state: Promise<{ temporal: boolean; workerPolling: boolean }> } | undefined;
  const probeReadiness = () => {
    const now = Date.now();
    // Concurrent callers share the probe in flight; a flood of /readyz costs one Temporal call per window.
    if (!probe || now - probe.at >= READINESS_CACHE_MS) probe = { at: now, state: app.problems.readiness() };
    return probe.state;
  };

  app.get('/healthz', { schema: { tags: ['health'], operationId: 'getLiveness', summary: 'Liveness', response: { 200: z.object({ ok: z.literal(true) }) } } }, async () => ({ ok: true as const }));

  app.get('/readyz', {
    schema: { tags: ['health'], operationId: 'getReadiness', summary: 'Readiness: Temporal reachable and a worker polling', response: { 200: readiness, 503: readiness } },
  }, async (_req, reply) => {
    const state = await probeReadiness();
    const ready = state.temporal && state.workerPolling;
    return reply.code(ready ? 200 : 503).send({ ready, ...state });
  });

  app.get('/v1/me', {
    config: { roles: ['submitter', 'approver', 'admin'] },
    schema: { tags: ['identity'], operationId: 'getMe', summary: 'The authenticated principal, roles and groups', security: [{ bearer: [] }], response: { 200: meResponse, 401: errorResponse } },
  }, async (req) => req.principal!);
};
