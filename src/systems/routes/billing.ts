import type { FastifyInstance } from 'fastify';
import type { SystemsDb } from '../db';
import { creditRequestSchema, readInvoice, recordCredit } from '../billing-ledger';
import { runIdempotent } from '../idempotency';

/** Billing: invoices with charged and credited amounts per line, and credits checked against the ledger. */
export function billingRoutes(app: FastifyInstance, db: SystemsDb): void {
  app.get<{ Params: { id: string } }>('/billing/invoices/:id', async (req, reply) => {
    const invoice = readInvoice(db, req.params.id);
    if (!invoice) return reply.code(404).send({ error: { code: 'invoice_not_found', message: 'no such invoice' } });
    return invoice;
  });

  app.post('/billing/credits', async (req, reply) => {
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length === 0) return reply.code(400).send({ error: { code: 'idempotency_key_required', message: 'Idempotency-Key header is required' } });
    const body = creditRequestSchema.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: { code: 'invalid_body', message: body.error.message } });
    const input = body.data;
    const result = runIdempotent(db, key, input, () => {
      const { accountId, ledgerVersion, createdAt, ...credit } = recordCredit(db, input);
      const payload = { ...credit, accountId, createdAt };
      return { status: 201, body: { ...credit, ledgerVersion }, ledger: { kind: 'credit', ref: `${credit.invoiceId}#${credit.lineNo}`, payload } };
    });
    return reply.code(result.status).send(result.body);
  });
}
