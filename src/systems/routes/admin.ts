import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SystemsDb } from '../db';
import type { FaultInjector } from '../faults';

const faultsBody = z.object({
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  latencySpikeRate: z.number().min(0).max(1).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  failNext: z.array(z.object({ method: z.string(), pathPrefix: z.string(), status: z.number().int(), count: z.number().int().positive(), afterEffect: z.boolean().optional() })).optional(),
});

/** Test and drill hooks: the side-effect ledger and fault injection. Loopback only. */
export function adminRoutes(app: FastifyInstance, db: SystemsDb, faults: FaultInjector): void {
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
