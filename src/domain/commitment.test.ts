import { benefits, commitmentOf } from './commitment';
import { digestOf } from './digest';
import type { Decision } from './types';

type Execute = Extract<Decision, { kind: 'execute' }>;
const credit: Execute = {
  kind: 'execute',
  action: 'issue_credit',
  reasonCode: 'credit_needs_approval',
  ruleId: 'BD-11',
  steps: [{ id: 'credit', tool: 'issueCredit', input: { accountId: 'ACC-1001', invoiceId: 'INV-2001', lineNo: 1, amount: 999 }, summary: 'Credit' }],
  approval: { requiredApprovals: 1, group: 'billing-approvers' },
};
const grant: Execute = {
  kind: 'execute',
  action: 'grant_access',
  reasonCode: 'access_needs_manager_approval',
  ruleId: 'AR-10',
  steps: [{ id: 'grant', tool: 'grantAccess', input: { employeeId: 'emp-501', system: 'grafana', role: 'viewer' }, summary: 'Grant', compensation: { id: 'undo', tool: 'revokeAccess', input: { employeeId: 'EMP-501' }, summary: 'Revoke' } }],
  approval: { requiredApprovals: 1, group: 'eng-managers' },
  followUp: { afterMs: 86_400_000, summary: 'Revoke', steps: [{ id: 'revoke', tool: 'revokeAccess', input: { employeeId: 'EMP-501' }, summary: 'Revoke' }] },
};
const digest = (d: Execute, problemId = 'prb_1', policyVersion = 'v1') => digestOf(commitmentOf(problemId, 'access_request', d, policyVersion));

describe('the action digest covers the whole commitment', () => {
  test.each<[string, () => string]>([
    ['the problem id', () => digest(grant, 'prb_2')],
    ['the policy version', () => digest(grant, 'prb_1', 'v2')],
    ['the required approvals', () => digest({ ...grant, approval: { requiredApprovals: 2, group: 'eng-managers' } })],
    ['the approver group', () => digest({ ...grant, approval: { requiredApprovals: 1, group: 'fin-managers' } })],
    ['a compensation', () => digest({ ...grant, steps: grant.steps.map((s) => ({ ...s, compensation: { ...s.compensation!, input: { employeeId: 'EMP-502' } } })) })],
    ['the follow-up delay', () => digest({ ...grant, followUp: { ...grant.followUp!, afterMs: 30 * 86_400_000 } })],
    ['a follow-up step', () => digest({ ...grant, followUp: { ...grant.followUp!, steps: [] } })],
    ['a step input', () => digest({ ...grant, steps: grant.steps.map((s) => ({ ...s, input: { ...s.input, role: 'editor' } })) })],
  ])('%s', (_, changed) => {
    expect(changed()).not.toBe(digest(grant));
  });

  test('the same decision gives the same digest (replay, another worker)', () => {
    expect(digest(grant)).toBe(digest(structuredClone(grant)));
  });
});

describe('beneficiary rule', () => {
  test('the employee a grant is for benefits from it, whatever the case of the id', () => {
    const c = commitmentOf('prb_1', 'access_request', grant, 'v1');
    expect(c.beneficiary).toEqual({ accountIds: [], employeeIds: ['EMP-501'] });
    expect(benefits(c, { employeeId: 'EMP-501', accounts: null })).toBe(true);
    expect(benefits(c, { employeeId: 'emp-501', accounts: null })).toBe(true);
    expect(benefits(c, { employeeId: 'EMP-502', accounts: null })).toBe(false);
    expect(benefits(c, { employeeId: null, accounts: null })).toBe(false);
  });

  test('a principal scoped to the credited account benefits; support staff (unscoped) do not', () => {
    const c = commitmentOf('prb_1', 'billing_dispute', credit, 'v1');
    expect(benefits(c, { employeeId: null, accounts: ['ACC-1001'] })).toBe(true);
    expect(benefits(c, { employeeId: null, accounts: ['ACC-1002'] })).toBe(false);
    expect(benefits(c, { employeeId: 'EMP-501', accounts: null })).toBe(false);
  });
});
