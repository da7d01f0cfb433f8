import type { Account, AccountLookup } from '../account';
import type { Decision } from '../types';
import { decidePlanChange } from './decide';
import { defaultPlanChangePolicy, type PlanChangeClaims, type PlanChangePolicy, type PlanLookup } from './schema';

const account = (over: Partial<Account> = {}): AccountLookup => ({
  found: true, accountId: 'ACC-1001', status: 'active', service: 'fiber', plan: 'FIBER-100', pincode: '400001', dues: 0, currency: 'INR', lockInUntil: null, asOf: '2026-11-25', ...over,
});
const plan = (over: Partial<Extract<PlanLookup, { found: true }>> = {}): PlanLookup => ({
  found: true, planId: 'FIBER-300', service: 'fiber', monthlyFee: 1250, currency: 'INR', active: true, ...over,
});
const claims = (over: Partial<PlanChangeClaims> = {}): PlanChangeClaims => ({ accountId: 'ACC-1001', targetPlan: 'FIBER-300', ...over });
const decide = (c: PlanChangeClaims, facts: { account?: AccountLookup; plan?: PlanLookup }, policy: PlanChangePolicy = defaultPlanChangePolicy): Decision =>
  decidePlanChange({ claims: c, facts: { account: account(), plan: plan(), ...facts } }, policy);

describe('decidePlanChange: eligibility', () => {
  test.each<[string, PlanChangeClaims, Parameters<typeof decide>[1], string, string]>([
    ['unknown account', claims(), { account: { found: false } }, 'account_not_found', 'PC-01'],
    ['unknown plan', claims({ targetPlan: 'FIBER-999' }), { plan: { found: false } }, 'plan_not_found', 'PC-02'],
    ['plan no longer sold', claims(), { plan: plan({ active: false }) }, 'plan_not_found', 'PC-02'],
    ['already on the plan', claims({ targetPlan: 'FIBER-100' }), { plan: plan({ planId: 'FIBER-100' }) }, 'same_plan', 'PC-03'],
    ['plan of another service', claims({ targetPlan: 'MOB-599' }), { plan: plan({ planId: 'MOB-599', service: 'mobile' }) }, 'plan_service_mismatch', 'PC-04'],
    ['dues one paisa above the allowance', claims(), { account: account({ dues: 0.01 }) }, 'unpaid_dues', 'PC-05'],
    ['suspended with dues: dues first (ACC-1003)', claims(), { account: account({ status: 'suspended', dues: 1250 }) }, 'unpaid_dues', 'PC-05'],
    ['suspended without dues', claims(), { account: account({ status: 'suspended' }) }, 'account_not_active', 'PC-06'],
    ['effective date one day in the past', claims({ effectiveDate: '2026-11-24' }), {}, 'effective_date_in_past', 'PC-07'],
    ['effective date one day beyond the limit', claims({ effectiveDate: '2027-01-25' }), {}, 'effective_date_too_far', 'PC-08'],
    ['lock-in until a later date (ACC-1002)', claims(), { account: account({ lockInUntil: '2027-03-31' }) }, 'lock_in_active', 'PC-09'],
    ['effective on the last day of the lock-in', claims({ effectiveDate: '2026-12-31' }), { account: account({ lockInUntil: '2026-12-31' }) }, 'lock_in_active', 'PC-09'],
  ])('%s', (_name, c, facts, reasonCode, ruleId) => {
    expect(decide(c, facts)).toEqual({ kind: 'reject', action: 'reject', reasonCode, ruleId });
  });

  test.each<[string, PlanChangeClaims, Parameters<typeof decide>[1], string]>([
    ['no effective date: today (the CRM business date)', claims(), {}, '2026-11-25'],
    ['effective today', claims({ effectiveDate: '2026-11-25' }), {}, '2026-11-25'],
    ['effective exactly at the limit (60 days)', claims({ effectiveDate: '2027-01-24' }), {}, '2027-01-24'],
    ['dues exactly at the allowance', claims(), { account: account({ dues: 0 }) }, '2026-11-25'],
    ['effective the day after the lock-in ends', claims({ effectiveDate: '2027-01-01' }), { account: account({ lockInUntil: '2026-12-31' }) }, '2027-01-01'],
    ['lock-in already over', claims(), { account: account({ lockInUntil: '2026-11-24' }) }, '2026-11-25'],
  ])('eligible: %s', (_name, c, facts, effectiveDate) => {
    const d = decide(c, facts);
    expect(d).toMatchObject({ kind: 'execute', action: 'change_plan', reasonCode: 'eligible_plan_change', ruleId: 'PC-10' });
    if (d.kind !== 'execute') throw new Error('expected execute');
    expect(d.steps[0]!.input).toMatchObject({ effectiveDate });
  });

  test('a dues allowance in the policy lets small dues through', () => {
    const policy = { ...defaultPlanChangePolicy, maxDuesAllowed: 100 };
    expect(decide(claims(), { account: account({ dues: 100 }) }, policy)).toMatchObject({ kind: 'execute' });
    expect(decide(claims(), { account: account({ dues: 100.01 }) }, policy)).toMatchObject({ reasonCode: 'unpaid_dues' });
  });
});

describe('decidePlanChange: the saga', () => {
  test('change (compensated by a revert), then re-rate, then notify', () => {
    const d = decide(claims(), {});
    if (d.kind !== 'execute') throw new Error('expected execute');
    expect(d.approval).toBeUndefined();
    expect(d.steps).toEqual([
      expect.objectContaining({
        id: 'change-plan',
        tool: 'changePlan',
        input: { accountId: 'ACC-1001', fromPlan: 'FIBER-100', toPlan: 'FIBER-300', effectiveDate: '2026-11-25' },
        compensation: expect.objectContaining({ id: 'revert-plan', tool: 'revertPlanChange', input: { accountId: 'ACC-1001', fromPlan: 'FIBER-100', toPlan: 'FIBER-300' } }),
      }),
      expect.objectContaining({ id: 'rerate', tool: 'rerateBilling', input: { accountId: 'ACC-1001', plan: 'FIBER-300', effectiveDate: '2026-11-25' } }),
      expect.objectContaining({ id: 'notify', tool: 'notifyCustomer', input: { accountId: 'ACC-1001', template: 'plan_changed', ref: 'FIBER-300' } }),
    ]);
  });

  test('the current plan comes from the CRM, not from the text', () => {
    const d = decide(claims(), { account: account({ plan: 'FIBER-200' }) });
    if (d.kind !== 'execute') throw new Error('expected execute');
    expect(d.steps[0]!.input).toMatchObject({ fromPlan: 'FIBER-200' });
    expect(d.steps[0]!.compensation!.input).toMatchObject({ fromPlan: 'FIBER-200' });
  });

  test('no notification when the policy turns it off', () => {
    const d = decide(claims(), {}, { ...defaultPlanChangePolicy, notifyCustomer: false });
    if (d.kind !== 'execute') throw new Error('expected execute');
    expect(d.steps.map((s) => s.id)).toEqual(['change-plan', 'rerate']);
  });
});
