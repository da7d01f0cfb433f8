import { lookUpAccount, notifyCustomer } from './account';
import { issueCredit, lookUpInvoice } from './billing-dispute/tools';
import { call, defineProblemType, lookups, nextStage, step, type Decide } from './plug-in';
import { lookUpPlan, changePlan, revertPlanChange } from './plan-change/tools';
import { planChangeClaims, planChangePolicySchema, defaultPlanChangePolicy, type PlanChangeClaims } from './plan-change/schema';
import type { Decision } from './types';

/** A two-stage plan: the plan lookup needs the account's plan, so it waits for the account. */
const staged = lookups((claims: PlanChangeClaims) => ({
  account: call(lookUpAccount, { accountId: claims.accountId }, 'Look up account'),
})).then((_claims, facts) => (facts.account.found ? { plan: call(lookUpPlan, { planId: facts.account.plan }, 'Look up current plan') } : {}));

const claims: PlanChangeClaims = { accountId: 'ACC-1001', targetPlan: 'FIBER-300' };
const account = { found: true, accountId: 'ACC-1001', status: 'active', service: 'fiber', plan: 'FIBER-100', pincode: '400001', dues: 0, lockInUntil: null, asOf: '2026-11-30' } as const;

describe('staged verification', () => {
  test('asks stage by stage: a later stage reads the facts of the earlier ones, {} when verified', () => {
    expect(nextStage(staged, claims, {})).toEqual({ lookups: { account: { tool: 'lookUpAccount', input: { accountId: 'ACC-1001' }, summary: 'Look up account' } }, last: false });
    expect(nextStage(staged, claims, { account })).toEqual({ lookups: { plan: { tool: 'lookUpPlan', input: { planId: 'FIBER-100' }, summary: 'Look up current plan' } }, last: true });
    expect(nextStage(staged, claims, { account, plan: { found: false } })).toEqual({ lookups: {}, last: true });
  });

  test('a stage with nothing to look up (the account is not on record) ends verification', () => {
    expect(nextStage(staged, claims, { account: { found: false } })).toEqual({ lookups: {}, last: true });
  });

  test('a one-stage plan is the last from the start: nothing is planned after its lookups', () => {
    const single = lookups((c: PlanChangeClaims) => ({ account: call(lookUpAccount, { accountId: c.accountId }, 'Look up account') }));
    expect(nextStage(single, claims, {})).toMatchObject({ last: true });
  });

  test('the engine-facing verify() is the same plan', () => {
    const type = defineProblemType({
      name: 'staged', description: 'test', intentKeywords: ['x'], fieldHints: {}, claims: planChangeClaims, policy: planChangePolicySchema, defaultPolicy: defaultPlanChangePolicy,
      verify: staged, decide: () => ({ kind: 'reject', action: 'reject', reasonCode: 'r', ruleId: 'R' }), tools: [lookUpAccount, lookUpPlan], samples: [],
    });
    expect(type.verify(claims, { account })).toEqual(nextStage(staged, claims, { account }));
    expect(type.verify(claims, {})).toEqual(nextStage(staged, claims, {}));
  });
});

describe('typed steps', () => {
  test('a step names its tool by reference and keeps guard, inputFrom and compensation', () => {
    const change = { accountId: 'ACC-1001', fromPlan: 'FIBER-100', toPlan: 'FIBER-300' };
    expect(step(changePlan, { id: 'change', input: { ...change, effectiveDate: '2026-12-01' }, summary: 'Change', compensation: step(revertPlanChange, { id: 'revert', input: change, summary: 'Revert' }) })).toEqual({
      id: 'change', tool: 'changePlan', input: { ...change, effectiveDate: '2026-12-01' }, summary: 'Change',
      compensation: { id: 'revert', tool: 'revertPlanChange', input: change, summary: 'Revert' },
    });
    const credit = { accountId: 'ACC-1001', invoiceId: 'INV-2001', lineNo: 1, amount: 10, currency: 'INR', kind: 'automatic' } as const;
    expect(step(issueCredit, { id: 'credit', input: credit, guard: { expectedLedgerVersion: 3 }, summary: 'Credit' })).toEqual({ id: 'credit', tool: 'issueCredit', input: credit, guard: { expectedLedgerVersion: 3 }, summary: 'Credit' });
  });
});

// Compile-time contract: each line below must fail `tsc` (npm run typecheck). If one stops failing,
// `@ts-expect-error` is itself an error, so a loosened type fails the typecheck instead of passing silently.
describe('the compiler refuses what the contract forbids', () => {
  const invoiceOnly = lookups((c: { invoiceId: string }) => ({ invoice: call(lookUpInvoice, { invoiceId: c.invoiceId }, 'Look up invoice') }));

  test('misspelled facts, wrong inputs and write tools as lookups do not compile', () => {
    const decide: Decide<typeof invoiceOnly, unknown> = ({ facts }) => {
      // @ts-expect-error a misspelled fact
      void facts.invoce;
      return { kind: 'reject', action: 'reject', reasonCode: facts.invoice.found ? 'found' : 'not_found', ruleId: 'T-01' };
    };
    // @ts-expect-error a misspelled input field of a lookup
    call(lookUpInvoice, { invoiceID: 'INV-2001' }, 'Look up invoice');
    // @ts-expect-error a write tool is not a lookup
    call(notifyCustomer, { accountId: 'ACC-1001', template: 'plan_changed', ref: 'x' }, 'Notify');
    // @ts-expect-error a step input of the wrong type
    step(issueCredit, { id: 'credit', input: { accountId: 'ACC-1001', invoiceId: 'INV-2001', lineNo: 1, amount: '10', currency: 'INR', kind: 'automatic' }, guard: { expectedLedgerVersion: 1 }, summary: 'Credit' });
    // @ts-expect-error a step missing an input field the tool needs
    step(revertPlanChange, { id: 'revert', input: { accountId: 'ACC-1001', fromPlan: 'FIBER-100' }, summary: 'Revert' });
    const decision: Decision = decide({ claims: { invoiceId: 'INV-2001' }, facts: { invoice: { found: false } } }, undefined);
    expect(decision.reasonCode).toBe('not_found');
    expect(Object.keys(nextStage(invoiceOnly, { invoiceId: 'INV-2001' }, {}).lookups)).toEqual(['invoice']);
  });

  test('a fact a later stage may skip is optional: decide() must check it', () => {
    const decide: Decide<typeof staged, unknown> = ({ facts }) => {
      // @ts-expect-error `plan` is absent when the account was not found
      const planId: string = facts.plan.found ? facts.plan.planId : 'none';
      return { kind: 'reject', action: 'reject', reasonCode: planId, ruleId: 'T-02' };
    };
    expect(() => decide({ claims, facts: { account: { found: false } } }, undefined)).toThrow(TypeError);
  });
});
