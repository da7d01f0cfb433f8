import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SystemsDb } from '../db';
import { EffectError } from '../idempotency';
import { findAccount } from './crm';
import { errorBody, writeRoute } from './write-route';

const outageQuery = z.object({
  service: z.enum(['mobile', 'fiber']),
  pincode: z.string().regex(/^\d{6}$/).optional(),
  accountId: z.string().min(1).optional(),
}).refine((q) => q.pincode !== undefined || q.accountId !== undefined, { message: 'pincode or accountId is required' });

interface OutageRow { id: string; service: string; pincode: string; status: string; summary: string }
interface LineRow { account_id: string; line_status: string; fault_code: string; resets: number }

const findLine = (db: SystemsDb, accountId: string) =>
  db.prepare('SELECT account_id, line_status, fault_code, resets FROM lines WHERE upper(account_id) = upper(?)').get(accountId) as LineRow | undefined;

/** Network: outages by location, remote line diagnostics and resets, technician visits. */
export function networkRoutes(app: FastifyInstance, db: SystemsDb): void {
  /** Active outages for a service at a pincode (or at the account's pincode on record). */
  app.get('/network/outages', async (req, reply) => {
    const q = outageQuery.safeParse(req.query);
    if (!q.success) return reply.code(400).send(errorBody('invalid_query', q.error.message));
    let pincode = q.data.pincode;
    if (pincode === undefined) {
      const account = findAccount(db, q.data.accountId!);
      if (!account) return { pincode: null, items: [] };
      pincode = account.pincode;
    }
    const rows = db.prepare("SELECT id, service, pincode, status, summary FROM outages WHERE service = ? AND pincode = ? AND status = 'active' ORDER BY id").all(q.data.service, pincode) as OutageRow[];
    return { pincode, items: rows.map((o) => ({ outageId: o.id, service: o.service, pincode: o.pincode, status: o.status, summary: o.summary })) };
  });

  /** Remote line diagnostics: deterministic per account (the seeded line state). */
  app.get<{ Params: { accountId: string } }>('/network/lines/:accountId/diagnostics', async (req, reply) => {
    const line = findLine(db, req.params.accountId);
    if (!line) return reply.code(404).send(errorBody('line_not_found', 'no line for this account'));
    return { accountId: line.account_id, lineStatus: line.line_status, faultCode: line.fault_code, recentResets: line.resets };
  });

  writeRoute(app, db, '/network/outages/:outageId/links', z.object({ accountId: z.string().min(1) }), (input, params: { outageId: string }) => {
    const outage = db.prepare('SELECT id, status FROM outages WHERE upper(id) = upper(?)').get(params.outageId) as { id: string; status: string } | undefined;
    if (!outage) throw new EffectError(404, 'outage_not_found', 'no such outage');
    if (outage.status !== 'active') throw new EffectError(409, 'outage_not_active', 'the outage is resolved');
    const account = findAccount(db, input.accountId);
    if (!account) throw new EffectError(404, 'account_not_found', 'no such account');
    db.prepare('INSERT OR IGNORE INTO outage_links (outage_id, account_id, linked_at) VALUES (?, ?, ?)').run(outage.id, account.id, new Date().toISOString());
    const link = { outageId: outage.id, accountId: account.id, linked: true };
    return { status: 201, body: link, ledger: { kind: 'outage_link', ref: `${outage.id}:${account.id}`, payload: link } };
  });

  writeRoute(app, db, '/network/lines/:accountId/resets', z.object({}), (_input, params: { accountId: string }) => {
    const line = findLine(db, params.accountId);
    if (!line) throw new EffectError(404, 'line_not_found', 'no line for this account');
    db.prepare("UPDATE lines SET resets = resets + 1, line_status = 'up', fault_code = 'none' WHERE account_id = ?").run(line.account_id);
    const reset = { resetId: `RST-${randomUUID()}`, accountId: line.account_id, lineStatus: 'up' };
    return { status: 201, body: reset, ledger: { kind: 'line_reset', ref: line.account_id, payload: reset } };
  });

  writeRoute(app, db, '/network/technician-visits', z.object({ accountId: z.string().min(1), faultCode: z.string().min(1) }), (input) => {
    const account = findAccount(db, input.accountId);
    if (!account) throw new EffectError(404, 'account_not_found', 'no such account');
    const now = new Date();
    const slot = new Date(now.getTime() + 2 * 86_400_000).toISOString().slice(0, 10);
    const visit = { visitId: `VIS-${randomUUID()}`, accountId: account.id, pincode: account.pincode, faultCode: input.faultCode, slot };
    db.prepare('INSERT INTO technician_visits (id, account_id, pincode, fault_code, slot, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      visit.visitId, account.id, account.pincode, input.faultCode, slot, now.toISOString(),
    );
    return { status: 201, body: visit, ledger: { kind: 'technician_visit', ref: account.id, payload: visit } };
  });
}
