import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SystemsDb } from '../db';
import { EffectError, runIdempotent } from '../idempotency';

const creditBody = z.object({
  accountId: z.string(),
  invoiceId: z.string(),
  lineNo: z.number().int().positive(),
  amount: z.number().positive(),
  currency: z.string().length(3),
});

interface LineRow { line_no: number; description: string; amount: number; credited: number }

/** Billing: invoices with their lines, and credits of at most once per line. */
export function billingRoutes(app: FastifyInstance, db: SystemsDb): void {
  const findInvoice = (id: string) => {
    const invoice = db.prepare('SELECT id, account_id, period, currency FROM invoices WHERE upper(id) = upper(?)').get(id) as
      | { id: string; account_id: string; period: string; currency: string }
      | undefined;
    if (!invoice) return undefined;
    const lines = db
      .prepare(`SELECT l.line_no, l.description, l.amount, EXISTS (SELECT 1 FROM credits c WHERE c.invoice_id = l.invoice_id AND c.line_no = l.line_no) AS credited
                FROM invoice_lines l WHERE l.invoice_id = ? ORDER BY l.line_no`)
      .all(invoice.id) as LineRow[];
    return {
      invoiceId: invoice.id,
      accountId: invoice.account_id,
      period: invoice.period,
      currency: invoice.currency,
      lines: lines.map((l) => ({ lineNo: l.line_no, description: l.description, amount: l.amount, credited: l.credited === 1 })),
    };
  };

  app.get<{ Params: { id: string } }>('/billing/invoices/:id', async (req, reply) => {
    const invoice = findInvoice(req.params.id);
    if (!invoice) return reply.code(404).send({ error: { code: 'invoice_not_found', message: 'no such invoice' } });
    return invoice;
  });

  app.post('/billing/credits', async (req, reply) => {
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length === 0) return reply.code(400).send({ error: { code: 'idempotency_key_required', message: 'Idempotency-Key header is required' } });
    const body = creditBody.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: { code: 'invalid_body', message: body.error.message } });
    const input = body.data;
    const result = runIdempotent(db, key, input, () => {
      const invoice = findInvoice(input.invoiceId);
      if (!invoice) throw new EffectError(404, 'invoice_not_found', 'no such invoice');
      if (invoice.accountId !== input.accountId) throw new EffectError(409, 'invoice_account_mismatch', 'invoice belongs to another account');
      const line = invoice.lines.find((l) => l.lineNo === input.lineNo);
      if (!line) throw new EffectError(404, 'line_not_found', 'no such invoice line');
      if (line.credited) throw new EffectError(409, 'already_credited', 'this charge line was already credited');
      if (Math.round(input.amount * 100) > Math.round(line.amount * 100)) throw new EffectError(409, 'amount_exceeds_charge', 'credit exceeds the charged line');
      const credit = { creditId: `CR-${randomUUID()}`, invoiceId: invoice.invoiceId, lineNo: line.lineNo, amount: input.amount, currency: input.currency };
      db.prepare('INSERT INTO credits (id, invoice_id, line_no, account_id, amount, currency, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        credit.creditId, credit.invoiceId, credit.lineNo, invoice.accountId, credit.amount, credit.currency, new Date().toISOString(),
      );
      return { status: 201, body: credit, ledger: { kind: 'credit', ref: `${credit.invoiceId}#${credit.lineNo}`, payload: credit } };
    });
    return reply.code(result.status).send(result.body);
  });
}
