import type { SimulationResponse } from '../api/schemas';
import { renderSimulationTable } from './simulation-table';

const tally = { evaluated: 3, changed: 1, skipped: 0, approvalsBefore: 2, approvalsAfter: 1, approvalsDelta: -1, requiredApprovalsDelta: -1, autoCreditedBefore: 299, autoCreditedAfter: 1298, autoCreditedDelta: 999 };
const sim: SimulationResponse = {
  policyVersion: 'candidate-1',
  baselineVersions: { 'default-2026-11-01': 3 },
  baselineBuilds: { dev: 3 },
  evaluated: 3,
  changed: 1,
  skipped: 0,
  matched: 3,
  mode: 'inline',
  simulationId: null,
  items: [{
    problemId: 'prb_01',
    type: 'billing_dispute',
    status: 'awaiting_approval',
    baselineVersion: 'default-2026-11-01',
    buildId: 'dev',
    changed: true,
    before: { action: 'issue_credit', reasonCode: 'credit_needs_approval', ruleId: 'BD-11', requiresApproval: true, requiredApprovals: 1, amount: 999 },
    after: { action: 'issue_credit', reasonCode: 'credit_within_auto_limit', ruleId: 'BD-10', requiresApproval: false, requiredApprovals: 0, amount: 999 },
  }],
  totals: { ...tally, byType: { billing_dispute: tally }, skippedByReason: {} },
};

test('the table names each changed problem, before and after, and the totals with signed deltas', () => {
  const text = renderSimulationTable(sim);
  expect(text).toContain('Candidate candidate-1 over 3 past decisions (baseline: default-2026-11-01 (3)); 1 changed, 0 skipped');
  expect(text).toMatch(/prb_01\s+billing_dispute\s+awaiting_approval\s+₹999\.00\s+issue_credit 1 approval \(BD-11 credit_needs_approval\)\s+issue_credit automatic \(BD-10 credit_within_auto_limit\)\s+CHANGED/);
  expect(text).toMatch(/billing_dispute\s+3\s+1\s+0\s+2 → 1\s+₹299\.00 → ₹1298\.00/);
  expect(text).toContain('Totals: approvals -1, money moved automatically +₹999.00.');
});
