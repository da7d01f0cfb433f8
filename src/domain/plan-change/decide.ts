import { notifyCustomer } from '../account';
import { daysBetween } from '../dates';
import { toPaise } from '../money';
import { step, type Decide } from '../plug-in';
import type { ActionStep, Decision } from '../types';
import type { PlanChangePolicy } from './schema';
import { changePlan, rerateBilling, revertPlanChange } from './tools';
import type { planChangeVerification } from './verify';

const reject = (reasonCode: string, ruleId: string): Decision => ({ kind: 'reject', action: 'reject', reasonCode, ruleId });

/**
 * Decides a plan change from the account and plan on record. Eligible changes run as a saga:
 * change the plan (compensated by reverting it), then re-rate billing.
 */
export const decidePlanChange: Decide<typeof planChangeVerification, PlanChangePolicy> = ({ claims, facts }, policy) => {
  const { account, plan } = facts;
  if (!account.found) return reject('account_not_found', 'PC-01');
  if (!plan.found || !plan.active) return reject('plan_not_found', 'PC-02');
  if (plan.planId === account.plan) return reject('same_plan', 'PC-03');
  if (plan.service !== account.service) return reject('plan_service_mismatch', 'PC-04');
  if (toPaise(account.dues) > toPaise(policy.maxDuesAllowed)) return reject('unpaid_dues', 'PC-05');
  if (account.status !== 'active') return reject('account_not_active', 'PC-06');

  const effectiveDate = claims.effectiveDate ?? account.asOf;
  const daysAhead = daysBetween(account.asOf, effectiveDate);
  if (daysAhead < 0) return reject('effective_date_in_past', 'PC-07');
  if (daysAhead > policy.maxEffectiveDaysAhead) return reject('effective_date_too_far', 'PC-08');
  // Lock-in runs through its last day: a change may take effect the day after.
  if (account.lockInUntil !== null && daysBetween(effectiveDate, account.lockInUntil) >= 0) return reject('lock_in_active', 'PC-09');

  const change = { accountId: account.accountId, fromPlan: account.plan, toPlan: plan.planId };
  const steps: ActionStep[] = [
    step(changePlan, {
      id: 'change-plan',
      input: { ...change, effectiveDate },
      summary: `Change plan to ${plan.planId}`,
      compensation: step(revertPlanChange, { id: 'revert-plan', input: change, summary: `Revert plan to ${account.plan}` }),
    }),
    step(rerateBilling, { id: 'rerate', input: { accountId: account.accountId, plan: plan.planId, effectiveDate }, summary: 'Re-rate billing' }),
  ];
  if (policy.notifyCustomer) {
    steps.push(step(notifyCustomer, { id: 'notify', input: { accountId: account.accountId, template: 'plan_changed', ref: plan.planId }, summary: 'Notify customer: plan_changed' }));
  }
  return { kind: 'execute', action: 'change_plan', reasonCode: 'eligible_plan_change', ruleId: 'PC-10', steps };
};
