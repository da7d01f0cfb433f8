import type { Decision } from '../types';
import { decideBillingDispute } from './decide';
import { defaultBillingPolicy, type BillingDisputeClaims, type BillingPolicy, type InvoiceLookup } from './schema';

const invoice = (lines: [number, boolean?][], accountId = 'ACC-1001', currency = 'INR'): InvoiceLookup => ({
  found: true,
  invoiceId: 'INV-2001',
  accountId,
  period: '2026-10',
  currency,
  lines: lines.map(([amount, credited], i) => ({ lineNo: i + 1, description: `line ${i + 1}`, amount, credited: credited ?? false })),
});
const claim = (amount: number, over: Partial<BillingDisputeClaims> = {}): BillingDisputeClaims => ({
  accountId: 'ACC-1001', invoiceId: 'INV-2001', amount, currency: 'INR', reason: 'overcharge', ...over,
});
const decide = (c: BillingDisputeClaims, inv: InvoiceLookup, policy: BillingPolicy = defaultBillingPolicy): Decision =>
  decideBillingDispute({ claims: c, facts: { invoice: inv } }, policy);

const big = invoice([[200_000]]);

describe('decideBillingDispute: approval tiers at the policy boundaries', () => {
  test.each<[string, number, string, string, number | undefined]>([
    ['smallest amount', 0.01, 'BD-10', 'credit_within_auto_limit', undefined],
    ['exactly the auto-credit limit', 500, 'BD-10', 'credit_within_auto_limit', undefined],
    ['one paisa above the auto-credit limit', 500.01, 'BD-11', 'credit_needs_approval', 1],
    ['exactly the single-approval limit', 5000, 'BD-11', 'credit_needs_approval', 1],
    ['one paisa above the single-approval limit', 5000.01, 'BD-12', 'credit_needs_two_approvals', 2],
    ['exactly creditMax', 100_000, 'BD-12', 'credit_needs_two_approvals', 2],
  ])('%s (%d)', (_name, amount, ruleId, reasonCode, approvals) => {
    const d = decide(claim(amount), big);
    expect(d).toMatchObject({ kind: 'execute', action: 'issue_credit', ruleId, reasonCode });
    if (d.kind !== 'execute') throw new Error('expected execute');
    expect(d.approval?.requiredApprovals).toBe(approvals);
    expect(d.steps).toEqual([expect.objectContaining({ id: 'credit', tool: 'issueCredit', input: expect.objectContaining({ amount, lineNo: 1, currency: 'INR' }) })]);
  });

  test('one paisa above creditMax is rejected, whatever the approvals', () => {
    expect(decide(claim(100_000.01), big)).toMatchObject({ kind: 'reject', reasonCode: 'amount_above_credit_limit', ruleId: 'BD-06' });
  });

  test('thresholds come from the policy, not constants', () => {
    const strict: BillingPolicy = { ...defaultBillingPolicy, autoCreditMax: 100, singleApprovalMax: 200, approverGroup: 'billing-approvers' };
    expect(decide(claim(100), big)).toMatchObject({ ruleId: 'BD-10' });
    expect(decide(claim(100.01), big, strict)).toMatchObject({ ruleId: 'BD-11', approval: { requiredApprovals: 1, group: 'billing-approvers' } });
    expect(decide(claim(200.01), big, strict)).toMatchObject({ ruleId: 'BD-12', approval: { requiredApprovals: 2, group: 'billing-approvers' } });
  });
});

describe('decideBillingDispute: facts that do not match are never credited', () => {
  test.each<[string, BillingDisputeClaims, InvoiceLookup, string, string]>([
    ['claimed currency is not the policy currency', claim(100, { currency: 'USD' }), invoice([[999]]), 'currency_mismatch', 'BD-01'],
    ['invoice is billed in another currency', claim(100), invoice([[999]], 'ACC-1001', 'USD'), 'currency_mismatch', 'BD-01'],
    ['unknown invoice', claim(100), { found: false }, 'invoice_not_found', 'BD-02'],
    ['invoice of another account', claim(100, { accountId: 'ACC-1002' }), invoice([[999]]), 'invoice_account_mismatch', 'BD-03'],
    ['claim one paisa above the largest line', claim(999.01), invoice([[999], [299]]), 'amount_exceeds_charge', 'BD-04'],
    ['every covering line already credited', claim(299), invoice([[299, true], [299, true], [100]]), 'already_credited', 'BD-05'],
  ])('%s', (_name, c, inv, reasonCode, ruleId) => {
    expect(decide(c, inv)).toEqual({ kind: 'reject', action: 'reject', reasonCode, ruleId });
  });

  test('account ids compare case-insensitively', () => {
    expect(decide(claim(100, { accountId: 'acc-1001' as BillingDisputeClaims['accountId'] }), invoice([[999]]))).toMatchObject({ kind: 'execute' });
  });
});

describe('decideBillingDispute: which line is credited', () => {
  test.each<[string, [number, boolean?][], number, number]>([
    ['exact amount on a duplicate charge: the later line', [[299], [299]], 299, 2],
    ['exact amount, later line already credited: the earlier one', [[299], [299, true]], 299, 1],
    ['no exact line: the smallest line that covers the claim', [[1500], [999]], 500, 2],
    ['claim equal to the line on record', [[999], [1500]], 999, 1],
  ])('%s', (_name, lines, amount, lineNo) => {
    expect(decide(claim(amount), invoice(lines))).toMatchObject({ kind: 'execute', steps: [{ input: { lineNo } }] });
  });
});
