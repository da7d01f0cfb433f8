import type { Decision } from '../types';
import { decideBillingDispute } from './decide';
import { defaultBillingPolicy, type BillingDisputeClaims, type BillingPolicy, type InvoiceLookup, type PriorCredit } from './schema';

/** A line as `[charged, credited so far (true = in full), description]`. */
type Line = [number, (boolean | number)?, string?];
const AS_OF = '2026-11-30T12:00:00.000Z';
const invoice = (lines: Line[], accountId = 'ACC-1001', currency = 'INR', accountCredits: PriorCredit[] = []): InvoiceLookup => ({
  found: true,
  invoiceId: 'INV-2001',
  accountId,
  period: '2026-10',
  currency,
  lines: lines.map(([amount, credited, description], i) => ({
    lineNo: i + 1,
    description: description ?? `line ${i + 1}`,
    amount,
    creditedAmount: credited === true ? amount : typeof credited === 'number' ? credited : 0,
  })),
  ledgerVersion: accountCredits.length,
  asOf: AS_OF,
  accountCredits,
});
const prior = (amount: number, over: Partial<PriorCredit> = {}): PriorCredit => ({
  creditId: `CR-${amount}`, invoiceId: 'INV-2001', lineNo: 1, amount, kind: 'automatic', createdAt: '2026-11-29T00:00:00.000Z', ...over,
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

  test.each<[string, Line, number, string, string, number | undefined]>([
    ['a claim one approval covers, on a line credited ₹4500 before: two approvals for ₹9000 in all', [9000, 4500], 4500, 'BD-16', 'line_credits_need_two_approvals', 2],
    ['up to the single-approval limit in all on the line: one approval', [9000, 2000], 3000, 'BD-11', 'credit_needs_approval', 1],
    ['one paisa past it in all: two', [9000, 2000], 3000.01, 'BD-16', 'line_credits_need_two_approvals', 2],
    ['automatic totals reached on a line with ₹4800 credited: two approvals, not one', [9000, 4800], 300, 'BD-16', 'line_credits_need_two_approvals', 2],
    ['an automatic claim stays automatic (its own totals bound it)', [9000, 4800], 100, 'BD-10', 'credit_within_auto_limit', undefined],
  ])('split claims: %s', (_name, line, amount, ruleId, reasonCode, approvals) => {
    const inv = invoice([line], 'ACC-1001', 'INR', line[1] === 4800 ? [prior(400, { kind: 'automatic' })] : []);
    const d = decide(claim(amount), inv);
    expect(d).toMatchObject({ kind: 'execute', ruleId, reasonCode });
    expect(d.kind === 'execute' ? d.approval?.requiredApprovals : 'not executed').toBe(approvals);
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
    ['the duplicate of a charge was already refunded: the genuine charge stays', claim(299), invoice([[299, 0, 'MOB-299'], [299, true, 'MOB-299']]), 'duplicate_already_credited', 'BD-07'],
    ['a partly credited line cannot take its full charge again', claim(999), invoice([[999, 1, 'FIBER-100'], [1500, 0, 'Installation']]), 'amount_exceeds_remaining', 'BD-08'],
    ['the named item is not on the invoice', claim(100, { item: 'MOB-299' }), invoice([[999, 0, 'FIBER-100']]), 'item_not_on_invoice', 'BD-09'],
    ['the named item is charged less than the claim', claim(1000, { item: 'fiber plan' }), invoice([[999, 0, 'FIBER-100'], [1500, 0, 'Installation']]), 'amount_exceeds_charge', 'BD-04'],
  ])('%s', (_name, c, inv, reasonCode, ruleId) => {
    expect(decide(c, inv)).toEqual({ kind: 'reject', action: 'reject', reasonCode, ruleId });
  });

  test('account ids compare case-insensitively', () => {
    expect(decide(claim(100, { accountId: 'acc-1001' as BillingDisputeClaims['accountId'] }), invoice([[999]]))).toMatchObject({ kind: 'execute' });
  });
});

describe('decideBillingDispute: which line is credited', () => {
  test.each<[string, Line[], number, number, string?]>([
    ['exact amount on a duplicate charge: the later line', [[299, 0, 'MOB-299'], [299, 0, 'MOB-299']], 299, 2],
    ['two different items of the same amount, the later one credited: the earlier one', [[299], [299, true]], 299, 1],
    ['no exact line: the smallest line that covers the claim', [[1500], [999]], 500, 2],
    ['claim equal to the line on record', [[999], [1500]], 999, 1],
    ['a partial credit: the rest of the same line', [[999, 1, 'FIBER-100'], [1500, 0, 'Installation']], 998, 1],
    ['no exact line: the line with least remaining that covers it', [[999, 600], [1500]], 300, 1],
    ['the named item wins over a smaller line', [[999, 0, 'FIBER-100'], [1500, 0, 'Installation']], 500, 2, 'INSTALLATION'],
    ['a plan named in words: the line billed under that plan', [[1500, 0, 'Installation'], [999, 0, 'FIBER-100']], 500, 2, 'FIBER PLAN'],
    // (a rest parameter: jest passes a done callback to a function with more parameters than the row)
  ])('%s', (_name, lines, amount, lineNo, ...item) => {
    expect(decide(claim(amount, item[0] ? { item: item[0] } : {}), invoice(lines))).toMatchObject({ kind: 'execute', steps: [{ input: { lineNo } }] });
  });

  test('the credit carries the ledger version it was decided on as a guard, outside the approved input', () => {
    const d = decide(claim(100), invoice([[999]], 'ACC-1001', 'INR', [prior(50, { invoiceId: 'INV-9' }), prior(60, { invoiceId: 'INV-9' })]));
    expect(d).toMatchObject({ kind: 'execute', steps: [{ guard: { expectedLedgerVersion: 2 }, input: { kind: 'automatic' } }] });
    if (d.kind !== 'execute') throw new Error('expected execute');
    expect(d.steps[0]!.input).not.toHaveProperty('expectedLedgerVersion');
  });
});

describe('decideBillingDispute: automatic credits add up (per invoice, per account in the window)', () => {
  const inv = (credits: PriorCredit[]) => invoice([[999, credits.filter((c) => c.invoiceId === 'INV-2001').reduce((s, c) => s + c.amount, 0), 'FIBER-100'], [1500, 0, 'Installation']], 'ACC-1001', 'INR', credits);
  test.each<[string, PriorCredit[], number, string, string, string]>([
    ['a second ₹500 on the same invoice', [prior(500)], 500, 'BD-13', 'auto_credit_invoice_total_reached', 'approved'],
    ['₹400 after ₹100 on the same invoice: exactly the invoice total', [prior(100)], 400, 'BD-10', 'credit_within_auto_limit', 'automatic'],
    ['₹400.01 after ₹100 on the same invoice', [prior(100)], 400.01, 'BD-13', 'auto_credit_invoice_total_reached', 'approved'],
    ['an approved credit does not count towards the automatic totals', [prior(500, { kind: 'approved' })], 400, 'BD-10', 'credit_within_auto_limit', 'automatic'],
    ['₹1000 automatic on other invoices this month', [prior(500, { invoiceId: 'INV-8' }), prior(500, { invoiceId: 'INV-9' })], 0.01, 'BD-14', 'auto_credit_account_total_reached', 'approved'],
    ['exactly ₹1000 automatic on the account', [prior(500, { invoiceId: 'INV-8' }), prior(400, { invoiceId: 'INV-9' })], 100, 'BD-10', 'credit_within_auto_limit', 'automatic'],
    ['credits older than the window do not count', [prior(500, { invoiceId: 'INV-8', createdAt: '2026-10-31T12:00:00.000Z' }), prior(500, { invoiceId: 'INV-9' })], 500, 'BD-10', 'credit_within_auto_limit', 'automatic'],
    ['a credit just inside the window counts', [prior(500, { invoiceId: 'INV-8', createdAt: '2026-10-31T12:00:00.001Z' }), prior(500, { invoiceId: 'INV-9' })], 500, 'BD-14', 'auto_credit_account_total_reached', 'approved'],
  ])('%s', (_name, credits, amount, ruleId, reasonCode, kind) => {
    const d = decide(claim(amount), inv(credits));
    expect(d).toMatchObject({ kind: 'execute', ruleId, reasonCode, steps: [{ input: { kind } }] });
    if (d.kind !== 'execute') throw new Error('expected execute');
    expect(d.approval?.requiredApprovals).toBe(kind === 'approved' ? 1 : undefined);
  });

  test('the totals and window come from the policy', () => {
    const policy: BillingPolicy = { ...defaultBillingPolicy, autoCreditInvoiceMax: 1000, autoCreditAccountMax: 5000, autoCreditWindowDays: 1 };
    expect(decide(claim(500), inv([prior(500)]), policy)).toMatchObject({ ruleId: 'BD-10' });
    expect(decide(claim(500), inv([prior(500), prior(500, { invoiceId: 'INV-8', createdAt: '2026-11-20T00:00:00.000Z' })]), policy)).toMatchObject({ ruleId: 'BD-10' });
  });
});

describe('decideBillingDispute: facts recorded before the ledger fields (problems started before the upgrade)', () => {
  test('a line recorded as credited is credited in full; the credit carries version 0 so billing makes it re-decide if the ledger moved', () => {
    const legacy = {
      found: true, invoiceId: 'INV-2002', accountId: 'ACC-1002', period: '2026-10', currency: 'INR',
      lines: [{ lineNo: 1, description: 'MOB-299', amount: 299, credited: false }, { lineNo: 2, description: 'Installation', amount: 299, credited: true }],
    } as unknown as InvoiceLookup;
    const d = decide(claim(299, { accountId: 'ACC-1002', invoiceId: 'INV-2002' }), legacy);
    expect(d).toMatchObject({ kind: 'execute', ruleId: 'BD-10', steps: [{ input: { lineNo: 1, kind: 'automatic' }, guard: { expectedLedgerVersion: 0 } }] });
  });
});
