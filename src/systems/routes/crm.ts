import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SystemsDb } from '../db';
import { EffectError } from '../idempotency';
import { errorBody, today, writeRoute } from './write-route';

interface AccountRow { id: string; status: string; service: string; plan: string; pincode: string; dues: number; lock_in_until: string | null }

/** Reads an account by id, case-insensitively. */
export function findAccount(db: SystemsDb, id: string): AccountRow | undefined {
  return db.prepare('SELECT id, status, service, plan, pincode, dues, lock_in_until FROM accounts WHERE upper(id) = upper(?)').get(id) as AccountRow | undefined;
}

const notificationBody = z.object({
  accountId: z.string().min(1),
  template: z.enum(['outage_linked', 'line_reset', 'technician_booked', 'plan_changed', 'callback_scheduled']),
  ref: z.string().min(1).max(100),
});

/** CRM: customer accounts (status, service, plan, dues, lock-in) and customer notifications. */
export function crmRoutes(app: FastifyInstance, db: SystemsDb): void {
  app.get<{ Params: { id: string } }>('/crm/accounts/:id', async (req, reply) => {
    const a = findAccount(db, req.params.id);
    if (!a) return reply.code(404).send(errorBody('account_not_found', 'no such account'));
    return {
      accountId: a.id,
      status: a.status,
      service: a.service,
      plan: a.plan,
      pincode: a.pincode,
      dues: a.dues,
      currency: 'INR',
      lockInUntil: a.lock_in_until,
      asOf: today(),
    };
  });

  writeRoute(app, db, '/crm/notifications', notificationBody, (input) => {
    const account = findAccount(db, input.accountId);
    if (!account) throw new EffectError(404, 'account_not_found', 'no such account');
    const notification = { notificationId: `NTF-${randomUUID()}`, accountId: account.id, template: input.template, ref: input.ref };
    db.prepare('INSERT INTO customer_notifications (id, account_id, template, ref, created_at) VALUES (?, ?, ?, ?, ?)').run(
      notification.notificationId, account.id, input.template, input.ref, new Date().toISOString(),
    );
    return { status: 201, body: notification, ledger: { kind: 'customer_notification', ref: `${account.id}:${input.template}`, payload: notification } };
  });
}
