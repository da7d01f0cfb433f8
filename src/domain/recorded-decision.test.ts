import { runDecision, type DecisionInput } from './recorded-decision';
import { catalog, createCatalog, problemTypes } from './registry';
import { planVerification } from './verification-plan';
import type { ProblemType } from './types';
import { defaultBillingPolicy, type InvoiceLookup } from './billing-dispute/schema';

const invoice: InvoiceLookup = {
  found: true,
  invoiceId: 'INV-2001',
  accountId: 'ACC-1001',
  period: '2026-10',
  currency: 'INR',
  lines: [{ lineNo: 1, description: 'Fiber plan', amount: 999, creditedAmount: 0 }],
  ledgerVersion: 0,
  asOf: '2026-11-30T12:00:00.000Z',
  accountCredits: [],
};
const claims = { accountId: 'ACC-1001', invoiceId: 'INV-2001', amount: 299, currency: 'INR', reason: 'overcharge' };

function inputWith(overrides: Partial<DecisionInput> = {}): DecisionInput {
  return { problemId: 'prb_1', type: 'billing_dispute', claims, facts: { invoice }, policyVersion: 'v1', policy: defaultBillingPolicy, scope: {}, ...overrides };
}

describe('runDecision: one decision, recorded with its input and build', () => {
  test('records input, decision and build id, and attaches each step its run options', () => {
    const made = runDecision(catalog, inputWith(), 'build-7');
    expect(made.buildId).toBe('build-7');
    expect(made.input).toEqual(inputWith());
    expect(made.error).toBeUndefined();
    if (made.decision?.kind !== 'execute') throw new Error(`expected execute, got ${JSON.stringify(made.decision)}`);
    for (const step of made.decision.steps) expect(step.run).toEqual({ timeoutMs: catalog.tool(step.tool)!.timeoutMs, retry: catalog.tool(step.tool)!.retry });
  });

  test('the policy section decides: the same input over another policy gives another decision', () => {
    const strict = runDecision(catalog, inputWith({ policy: { ...defaultBillingPolicy, autoCreditInvoiceMax: 100 } }), 'b');
    const lenient = runDecision(catalog, inputWith(), 'b');
    expect(strict.decision).toMatchObject({ kind: 'execute', approval: expect.anything() });
    expect(lenient.decision).not.toHaveProperty('approval');
  });

  test('scope comes first: a principal scoped to other accounts is refused', () => {
    expect(runDecision(catalog, inputWith({ scope: { accounts: ['ACC-1002'] } }), 'b').decision).toMatchObject({ kind: 'reject', ruleId: 'SCOPE-01', reasonCode: 'account_not_entitled' });
  });

  test('a rule that throws is recorded as no decision, with the error for the log only', () => {
    const broken: ProblemType = { ...problemTypes[0]!, name: 'broken', decide: () => { throw new TypeError('bug'); } };
    const made = runDecision(createCatalog([broken]), inputWith({ type: 'broken' }), 'b');
    expect(made).toMatchObject({ decision: null, error: 'bug' });
  });

  test('an unknown type is no decision', () => {
    expect(runDecision(catalog, inputWith({ type: 'nope' }), 'b')).toMatchObject({ decision: null });
  });
});

describe('planVerification', () => {
  test('validates claims and plans lookups not yet verified, with run options', () => {
    const first = planVerification(catalog, { type: 'billing_dispute', claims, facts: {} });
    expect(first).toMatchObject({ kind: 'lookups', lookups: { invoice: { tool: 'lookUpInvoice', input: { invoiceId: 'INV-2001' }, run: { timeoutMs: expect.any(Number) } } } });
    expect(planVerification(catalog, { type: 'billing_dispute', claims, facts: { invoice } })).toMatchObject({ kind: 'lookups', lookups: {}, last: true });
  });

  test('says when a stage is the last, so the workflow does not plan again after it', () => {
    expect(planVerification(catalog, { type: 'billing_dispute', claims, facts: {} })).toMatchObject({ last: true });
    const connectivity = { accountId: 'ACC-1001', service: 'fiber' };
    expect(planVerification(catalog, { type: 'connectivity_issue', claims: connectivity, facts: {} })).toMatchObject({ kind: 'lookups', last: false });
  });

  test('untrusted claims the schema refuses, or an unknown type, are invalid', () => {
    expect(planVerification(catalog, { type: 'billing_dispute', claims: { ...claims, amount: 'lots' }, facts: {} })).toEqual({ kind: 'invalid' });
    expect(planVerification(catalog, { type: 'nope', claims, facts: {} })).toEqual({ kind: 'invalid' });
  });
});
