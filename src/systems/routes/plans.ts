import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SystemsDb } from '../db';
import { EffectError } from '../idempotency';
import { findAccount } from './crm';
import { errorBody, writeRoute } from './write-route';

interface PlanRow { id: string; service: string; monthly_fee: number; active: number }

const findPlan = (db: SystemsDb, id: string) =>
  db.prepare('SELECT id, service, monthly_fee, active FROM plans WHERE upper(id) = upper(?)').get(id) as PlanRow | undefined;

const isoDate = z.iso.date();
const changeBody = z.object({ accountId: z.string().min(1), fromPlan: z.string().min(1), toPlan: z.string().min(1), effectiveDate: isoDate });
const revertBody = z.object({ accountId: z.string().min(1), fromPlan: z.string().min(1), toPlan: z.string().min(1) });
const rerateBody = z.object({ accountId: z.string().min(1), plan: z.string().min(1), effectiveDate: isoDate });

/**
 * Plan catalog, plan changes (with their revert, the saga's compensation) and the rating
 * engine that re-rates billing after a change. The change re-checks eligibility itself, so
 * a wrong decision upstream still cannot change an ineligible account.
 */
export function planRoutes(app: FastifyInstance, db: SystemsDb): void {
  app.get<{ Params: { id: string } }>('/plans/:id', async (req, reply) => {
    const plan = findPlan(db, req.params.id);
    if (!plan) return reply.code(404).send(errorBody('plan_not_found', 'no such plan'));
    return { planId: plan.id, service: plan.service, monthlyFee: plan.monthly_fee, currency: 'INR', active: plan.active === 1 };
  });

  writeRoute(app, db, '/plans/changes', changeBody, (input) => {
    const account = findAccount(db, input.accountId);
    if (!account) throw new EffectError(404, 'account_not_found', 'no such account');
    const plan = findPlan(db, input.toPlan);
    if (!plan || plan.active !== 1) throw new EffectError(404, 'plan_not_found', 'no such plan');
    if (plan.service !== account.service) throw new EffectError(409, 'plan_service_mismatch', 'the plan is for another service');
    if (account.plan !== input.fromPlan) throw new EffectError(409, 'plan_mismatch', `the account is on ${account.plan}, not ${input.fromPlan}`);
    if (account.dues > 0) throw new EffectError(409, 'unpaid_dues', 'the account has unpaid dues');
    if (account.lock_in_until && account.lock_in_until >= input.effectiveDate) throw new EffectError(409, 'lock_in_active', 'the account is in a lock-in period');
    const change = { changeId: `PCH-${randomUUID()}`, accountId: account.id, fromPlan: account.plan, toPlan: plan.id, effectiveDate: input.effectiveDate };
    db.prepare('UPDATE accounts SET plan = ? WHERE id = ?').run(plan.id, account.id);
    db.prepare("INSERT INTO plan_changes (id, account_id, from_plan, to_plan, effective_date, status, created_at) VALUES (?, ?, ?, ?, ?, 'applied', ?)").run(
      change.changeId, account.id, change.fromPlan, change.toPlan, change.effectiveDate, new Date().toISOString(),
    );
    return { status: 201, body: change, ledger: { kind: 'plan_change', ref: account.id, payload: change } };
  });

  writeRoute(app, db, '/plans/reverts', revertBody, (input) => {
    const account = findAccount(db, input.accountId);
    if (!account) throw new EffectError(404, 'account_not_found', 'no such account');
    if (account.plan !== input.toPlan) throw new EffectError(409, 'plan_mismatch', `the account is on ${account.plan}, not ${input.toPlan}`);
    db.prepare('UPDATE accounts SET plan = ? WHERE id = ?').run(input.fromPlan, account.id);
    db.prepare("UPDATE plan_changes SET status = 'reverted' WHERE account_id = ? AND to_plan = ? AND status = 'applied'").run(account.id, input.toPlan);
    const revert = { accountId: account.id, plan: input.fromPlan, revertedPlan: input.toPlan };
    return { status: 201, body: revert, ledger: { kind: 'plan_change_reverted', ref: account.id, payload: revert } };
  });

  writeRoute(app, db, '/rating/rerates', rerateBody, (input) => {
    const account = findAccount(db, input.accountId);
    if (!account) throw new EffectError(404, 'account_not_found', 'no such account');
    const plan = findPlan(db, input.plan);
    if (!plan) throw new EffectError(404, 'plan_not_found', 'no such plan');
    if (account.plan !== plan.id) throw new EffectError(409, 'plan_mismatch', `the account is on ${account.plan}, not ${plan.id}`);
    const rerate = { rerateId: `RR-${randomUUID()}`, accountId: account.id, plan: plan.id, monthlyFee: plan.monthly_fee, effectiveDate: input.effectiveDate };
    db.prepare('INSERT INTO rerates (id, account_id, plan, monthly_fee, effective_date, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      rerate.rerateId, account.id, plan.id, plan.monthly_fee, input.effectiveDate, new Date().toISOString(),
    );
    return { status: 201, body: rerate, ledger: { kind: 'rerate', ref: account.id, payload: rerate } };
  });
}
