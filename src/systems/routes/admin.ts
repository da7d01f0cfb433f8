import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SystemsDb } from '../db';
import type { FaultInjector } from '../faults';

const faultsBody = z.object({
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  latencySpikeRate: z.number().min(0).max(1).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  failNext: z.array(z.object({ method: z.string(), pathPrefix: z.string(), status: z.number().int(), count: z.number().int().positive(), afterEffect: z.boolean().optional() })).optional(),
});

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const sha256 = (value: string) => createHash('sha256').update(value).digest();

/**
 * Refuses admin calls from anywhere but this host (the socket's peer, never a forwarded header)
 * and without `Authorization: Bearer <SYSTEMS_ADMIN_TOKEN>`: whoever reaches them can read every
 * effect and make the systems of record fail at will.
 */
function adminGuard(token: string) {
  const expected = sha256(token);
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) return reply.code(403).send({ error: { code: 'admin_loopback_only', message: 'admin routes answer loopback callers only' } });
    const given = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!given || !timingSafeEqual(sha256(given), expected)) return reply.code(401).send({ error: { code: 'unauthorized', message: 'Authorization: Bearer <SYSTEMS_ADMIN_TOKEN> is required' } });
  };
}

/**
 * Test and drill hooks: the side-effect ledger and fault injection. Loopback callers holding the
 * admin token only; not served at all without a token.
 */
export function adminRoutes(app: FastifyInstance, db: SystemsDb, faults: FaultInjector, token: string | undefined): void {
  if (!token) return;
  const guard = adminGuard(token);
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith('/_admin')) return guard(req, reply);
  });
  app.get('/_admin/ledger', async () => ({
    items: (db.prepare('SELECT seq, kind, idempotency_key AS idempotencyKey, ref, payload, at FROM ledger ORDER BY seq').all() as { payload: string }[]).map(
      (row) => ({ ...row, payload: JSON.parse(row.payload) as unknown }),
    ),
  }));
  app.put('/_admin/faults', async (req, reply) => {
    const body = faultsBody.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: { code: 'invalid_body', message: body.error.message } });
    faults.configure(body.data);
    return faults.current();
  });
  app.delete('/_admin/faults', async () => {
    faults.configure({});
    return faults.current();
  });
}
