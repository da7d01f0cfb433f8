/**
 * Approval gate: an action that policy says needs approval waits here for signed approvals from
 * authorised principals, with durable timers to remind, escalate and expire. The approval is for
 * one exact action (its digest); the submitter and the action's beneficiaries cannot approve it.
 */
import { condition, patched, setHandler, upsertMemo } from '@temporalio/workflow';
import { benefits, commitmentOf } from '../../src/domain/commitment';
import { digestOf } from '../../src/domain/digest';
import type { ResolvedPolicy } from '../../src/domain/policy';
import type { Decision, Facts } from '../../src/domain/types';
import { notify } from '../activities';
import { submitApprovalUpdate, UpdateRejection, type ApprovalInput, type ProblemInput } from '../definitions';
import { rejection } from '../failures';
import { Patches } from '../patches';
import type { ProblemState, ProblemStatus } from '../state';
import type { CommandGuard } from './signed-commands';

/** How an approval wait ended. */
export type ApprovalVerdict = 'approved' | 'approval_rejected' | 'approval_timeout';

/** What the gate needs from its problem. */
export interface ApprovalGateDeps {
  input: ProblemInput;
  state: ProblemState;
  guard: CommandGuard;
  policy(): ResolvedPolicy;
  setStatus(status: ProblemStatus): void;
  /** The evidence approvers see: the verified facts and the submitter's texts. */
  evidence(): { facts: Facts; texts: string[] };
}

/** The approval gate of one problem: installs the `submitApproval` update and waits for approvals. */
export function approvalGate(deps: ApprovalGateDeps): { await(type: string, decision: Extract<Decision, { kind: 'execute' }>): Promise<ApprovalVerdict> } {
  const { input, state, guard } = deps;
  let result: 'approved' | 'rejected' | null = null;

  /**
   * Publishes the pending approval (the action, its digest, the evidence, who approved so far) in
   * the memo, which visibility returns with each listed problem: `GET /v1/approvals` reads one
   * visibility page instead of querying every waiting workflow.
   */
  const publish = (): void => {
    if (!state.approval || !patched(Patches.approvalMemo)) return;
    upsertMemo({ pendingApproval: { problemId: input.problemId, type: state.type, submittedBy: input.submittedBy, ...state.approval } });
  };

  setHandler(
    submitApprovalUpdate,
    async (approval: ApprovalInput) => {
      const pending = state.approval!;
      pending.approvals.push({
        principal: approval.principal,
        decision: approval.decision,
        at: new Date().toISOString(),
        actionDigest: approval.actionDigest,
        ...(approval.comment ? { comment: approval.comment } : {}),
      });
      state.updatedAt = new Date().toISOString();
      if (approval.decision === 'reject') result = 'rejected';
      else if (pending.approvals.filter((a) => a.decision === 'approve').length >= pending.requiredApprovals) result = 'approved';
      if (patched(Patches.approvalAnswersOnRecord)) {
        // Answer once recorded: the action may take long, and the caller follows it with a read.
        if (result !== null) deps.setStatus(result === 'approved' ? 'executing' : 'rejected');
        else publish();
      } else if (result !== null) {
        await condition(() => state.status !== 'awaiting_approval' && state.status !== 'executing');
      }
      return state;
    },
    {
      validator: (approval: ApprovalInput) => {
        const pending = state.approval;
        // Before the signature: the keys are loaded when the problem starts waiting, so a problem that
        // never waited cannot check one, and "not waiting" is the answer whoever sent the command.
        if (state.status !== 'awaiting_approval' || !pending || result !== null) {
          throw rejection(UpdateRejection.notAwaitingApproval, `problem is ${state.status}, not awaiting approval`);
        }
        guard.assertSigned('approval', approval);
        if (!approval.roles.includes('approver')) throw rejection(UpdateRejection.roleRequired, 'the approver role is required');
        // The submitter, under the key they submitted with or any other key of the same person.
        const samePerson = input.submitterEmployeeId !== undefined && approval.employeeId?.toUpperCase() === input.submitterEmployeeId.toUpperCase();
        if (approval.principal === input.submittedBy || samePerson) throw rejection(UpdateRejection.selfApproval, 'the submitter of a problem cannot approve it');
        if (benefits(pending.action, approval)) throw rejection(UpdateRejection.beneficiaryApproval, 'the action benefits this principal, who cannot approve it');
        if (approval.actionDigest !== pending.actionDigest) {
          throw rejection(UpdateRejection.staleActionDigest, 'the action changed since this approval was prepared; review the current action');
        }
        if (pending.approvals.some((a) => a.principal === approval.principal)) {
          throw rejection(UpdateRejection.alreadyDecided, 'this principal already decided on this action');
        }
        const escalationGroup = pending.escalated ? deps.policy().approvalTiming.escalationGroup : undefined;
        const allowed = !pending.group || approval.groups.includes(pending.group) || (escalationGroup !== undefined && approval.groups.includes(escalationGroup));
        if (!allowed) throw rejection(UpdateRejection.groupRequired, `approval requires a member of ${pending.group}`);
      },
    },
  );

  /** Waits for approvals with durable timers: remind, escalate, then expire. */
  async function awaitApproval(type: string, decision: Extract<Decision, { kind: 'execute' }>): Promise<ApprovalVerdict> {
    const policy = deps.policy();
    const timing = policy.approvalTiming;
    const action = commitmentOf(input.problemId, type, decision, policy.version);
    await guard.refresh();
    const now = Date.now();
    const at = (ms: number) => new Date(now + ms).toISOString();
    const { facts, texts } = deps.evidence();
    state.approval = {
      action,
      actionDigest: digestOf(action),
      evidence: { ruleId: decision.ruleId, reasonCode: decision.reasonCode, facts, texts: [...texts] },
      requiredApprovals: decision.approval!.requiredApprovals,
      group: decision.approval!.group ?? null,
      approvals: [],
      requestedAt: at(0),
      remindAt: at(timing.remindAfterMs),
      escalateAt: at(timing.escalateAfterMs),
      expiresAt: at(timing.expireAfterMs),
      escalated: false,
    };
    result = null;
    publish();
    deps.setStatus('awaiting_approval');
    const event = { problemId: input.problemId, actionDigest: state.approval.actionDigest, group: state.approval.group };
    await notify({ event: 'approval_needed', ...event });
    const decided = () => result !== null;
    const waits: [number, () => Promise<void>][] = [
      [timing.remindAfterMs, () => notify({ event: 'reminder', ...event })],
      [timing.escalateAfterMs - timing.remindAfterMs, async () => {
        state.approval!.escalated = true;
        publish();
        await notify({ event: 'escalated', ...event, group: timing.escalationGroup });
      }],
      [timing.expireAfterMs - timing.escalateAfterMs, async () => undefined],
    ];
    const timerSummaries = ['Approval reminder due', 'Approval escalation due', 'Approval expiry'];
    for (const [i, [ms, onTimeout]] of waits.entries()) {
      if (await condition(decided, Math.max(1, ms), { summary: timerSummaries[i] ?? 'Approval wait' })) break;
      await onTimeout();
      await guard.refresh();
    }
    if (result === 'approved') return 'approved';
    return result === 'rejected' ? 'approval_rejected' : 'approval_timeout';
  }

  return { await: awaitApproval };
}
