import type { ActionCommitment, CommittedCall } from '../api/schemas';
import type { ActionStep, Decision } from './types';

type ExecuteDecision = Extract<Decision, { kind: 'execute' }>;

const callOf = (step: { id: string; tool: string; input: Record<string, unknown> }): CommittedCall => ({ id: step.id, tool: step.tool, input: step.input });

/** String values of `key` in the inputs of every call, upper-cased and de-duplicated. */
function inputValues(calls: readonly ActionStep[], key: 'accountId' | 'employeeId'): string[] {
  const values = calls.flatMap((c) => [c.input, c.compensation?.input]).map((input) => input?.[key]).filter((v): v is string => typeof v === 'string');
  return [...new Set(values.map((v) => v.toUpperCase()))].sort();
}

/**
 * Everything an approval commits to: the problem, the steps with their inputs and compensations,
 * the follow-up, who must approve and under which policy, and who benefits. By convention a
 * tool input named `accountId` names the account an action benefits and `employeeId` the person.
 */
export function commitmentOf(problemId: string, type: string, decision: ExecuteDecision, policyVersion: string): ActionCommitment {
  const all = [...decision.steps, ...(decision.followUp?.steps ?? [])];
  return {
    problemId,
    type,
    name: decision.action,
    steps: decision.steps.map((s) => ({ ...callOf(s), ...(s.compensation ? { compensation: callOf(s.compensation) } : {}) })),
    followUp: decision.followUp ? { afterMs: decision.followUp.afterMs, steps: decision.followUp.steps.map(callOf) } : null,
    requiredApprovals: decision.approval?.requiredApprovals ?? 0,
    group: decision.approval?.group ?? null,
    policyVersion,
    beneficiary: { accountIds: inputValues(all, 'accountId'), employeeIds: inputValues(all, 'employeeId') },
  };
}

/** Whether an approver is a beneficiary of the commitment: its person, or a principal scoped to a benefiting account. */
export function benefits(commitment: ActionCommitment, approver: { employeeId: string | null; accounts: string[] | null }): boolean {
  const { accountIds, employeeIds } = commitment.beneficiary;
  if (approver.employeeId && employeeIds.includes(approver.employeeId.toUpperCase())) return true;
  return (approver.accounts ?? []).some((a) => accountIds.includes(a.toUpperCase()));
}
