import type { Decision } from '../../src/domain/types';
import { approvalKeyOf, runtimeInputOf, staleBackoffMs } from '../../workflows/effect-guard';

type Execute = Extract<Decision, { kind: 'execute' }>;
const credit = (over: Partial<Execute> = {}, input: Record<string, unknown> = {}, guard: Record<string, unknown> = { expectedLedgerVersion: 1 }): Execute => ({
  kind: 'execute', action: 'issue_credit', reasonCode: 'credit_needs_approval', ruleId: 'BD-11', approval: { requiredApprovals: 1 },
  steps: [{ id: 'credit', tool: 'issueCredit', input: { lineNo: 1, amount: 600, ...input }, guard, summary: 'Credit' }], ...over,
});

describe('re-verify before effect: what an approval covers', () => {
  test('a moved ledger version alone keeps the approval', () => {
    expect(approvalKeyOf(credit({}, {}, { expectedLedgerVersion: 7 }))).toBe(approvalKeyOf(credit()));
  });
  test.each<[string, Execute]>([
    ['another line', credit({}, { lineNo: 2 })],
    ['another amount', credit({}, { amount: 601 })],
    ['more approvals required', credit({ approval: { requiredApprovals: 2 } })],
    ['another action', credit({ action: 'other' })],
  ])('%s needs a new approval', (_name, changed) => {
    expect(approvalKeyOf(changed)).not.toBe(approvalKeyOf(credit()));
  });
});

describe('a step input when it runs', () => {
  test('results of earlier steps and the guard complete the decided input', () => {
    const step = { input: { employeeId: 'EMP-501' }, inputFrom: { grantId: { step: 'grant', key: 'grantId' } }, guard: { v: 3 } };
    expect(runtimeInputOf(step, { grant: { grantId: 'GRT-1' } })).toEqual({ employeeId: 'EMP-501', grantId: 'GRT-1', v: 3 });
  });
  test('back-off grows, is capped and jittered', () => {
    expect(staleBackoffMs(1, 0)).toBe(125);
    expect(staleBackoffMs(1, 0.999)).toBeLessThanOrEqual(250);
    expect(staleBackoffMs(20, 0.5)).toBeLessThanOrEqual(8000);
  });
});
