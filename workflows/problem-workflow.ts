/**
 * One problem, end to end: extract → verify → decide → (approve) → execute → (follow up).
 * Deterministic orchestration of named stages (stages/): every I/O is an activity, and the
 * decision is the worker's recorded `decide` step, so replay never runs rule code.
 */
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { allHandlersFinished, condition, patched, setCurrentDetails, setHandler, sleep, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ResolvedPolicy } from '../src/domain/policy';
import { DECISION_ERROR } from '../src/domain/recorded-decision';
import type { Decision, Facts } from '../src/domain/types';
import { problemSearchAttributes as sa } from '../src/temporal/search-attributes';
import { loadPolicyActivity, local, notify, recordedRules } from './activities';
import { getProblemQuery, type ProblemInput } from './definitions';
import { approvalKeyOf, MAX_STALE_RETRIES, PATCHES, staleBackoffMs } from './effect-guard';
import { legacyRules } from './legacy-rules';
import { Patches } from './patches';
import type { Rules } from './rules';
import { approvalGate } from './stages/approval-gate';
import { decisionRecordOf, hasDecision } from './stages/decision';
import { clarificationInbox, clarifyDecisionOf, extract } from './stages/extraction';
import { runFollowUp } from './stages/follow-up';
import { runSaga } from './stages/saga';
import { commandGuard } from './stages/signed-commands';
import { toolRunner, type RunTool } from './stages/tool-step';
import { verifyClaims, type PlannedStage } from './stages/verification';
import type { ProblemState, ProblemStatus } from './state';

type Execute = Extract<Decision, { kind: 'execute' }>;

/** Markdown for the Web UI's current details: status, type and decision codes; no personal data. */
function detailsOf(state: ProblemState): string {
  const lines = [`**Status:** ${state.status}`, `**Type:** ${state.type ?? 'not yet known'}`];
  if (state.decision) lines.push(`**Decision:** ${state.decision.action} (${state.decision.reasonCode}, rule ${state.decision.ruleId}, policy ${state.decision.policyVersion})`);
  return lines.join('\n\n');
}

/** The problem workflow. */
export async function problemWorkflow(input: ProblemInput): Promise<ProblemState> {
  const startedAt = new Date().toISOString();
  const state: ProblemState = {
    id: input.problemId,
    status: 'received',
    type: null,
    customerId: input.customerId ?? null,
    channel: input.channel,
    submittedBy: input.submittedBy,
    entities: null,
    decision: null,
    outcome: null,
    clarification: null,
    approval: null,
    usage: { llmCalls: 0, promptTokens: 0, completionTokens: 0 },
    createdAt: startedAt,
    updatedAt: startedAt,
  };
  const texts = [input.text];
  let verifiedFacts: Facts = {};
  let policy: ResolvedPolicy | undefined;
  const recorded = patched(Patches.recordedDecisions);
  const finalStatusWithClose = recorded && patched(Patches.finalStatusWithClose);
  const localFirst = finalStatusWithClose && patched(Patches.localFirst);
  const signedStart = localFirst && patched(Patches.signedStart);
  let rules: Rules = recordedRules;
  const runTool = toolRunner(input.problemId, () => rules);
  /** Lookups: local activities first for problems of this build, except after a wait (below). */
  const lookUp = localFirst ? toolRunner(input.problemId, () => rules, { localFirst: true }) : runTool;
  /** Search attributes written with the next status change (one event per transition). */
  let pendingAttributes: SearchAttributeUpdatePair[] = [];

  const setAttributes = (attributes: SearchAttributeUpdatePair[]): void => {
    if (recorded) pendingAttributes.push(...attributes);
    else upsertSearchAttributes(attributes);
  };
  /** The problem's status as queries, the API and the Web UI's details see it. */
  const markStatus = (status: ProblemStatus): void => {
    state.status = status;
    state.updatedAt = new Date().toISOString();
    setCurrentDetails(detailsOf(state));
  };
  /** The status (and the attributes waiting for it) written to visibility. */
  const writeStatus = (): void => {
    upsertSearchAttributes([...pendingAttributes, { key: sa.status, value: state.status }]);
    pendingAttributes = [];
  };
  const setStatus = (status: ProblemStatus): void => {
    markStatus(status);
    writeStatus();
  };
  /** The policy in force: a local activity for problems of this build, an activity before. */
  const loadPolicy = (summary: string): Promise<ResolvedPolicy> => (recorded ? local.loadPolicy : loadPolicyActivity).executeWithOptions({ summary }, []);

  setHandler(getProblemQuery, () => state);
  const guard = commandGuard(input.problemId);
  const clarifications = clarificationInbox(input, state, guard);
  const approvals = approvalGate({ input, state, guard, setStatus, policy: () => policy!, evidence: () => ({ facts: verifiedFacts, texts }) });

  const finish = async (status: ProblemStatus, outcome: Record<string, unknown> | null): Promise<ProblemState> => {
    state.outcome = outcome;
    if (finalStatusWithClose) markStatus(status);
    else setStatus(status);
    const notice = { event: 'completed', problemId: input.problemId, status, reasonCode: (outcome?.reasonCode as string | undefined) ?? state.decision?.reasonCode ?? null } as const;
    await notify(notice, localFirst ? { localFirstKey: `${input.problemId}/notice-completed` } : {});
    await condition(allHandlersFinished);
    if (finalStatusWithClose) writeStatus();
    return state;
  };
  /** Ends the problem as failed with a reason code; internal messages stay in history, never in the outcome. */
  const fail = (reasonCode: string) => finish('failed', { reasonCode });

  if (signedStart) {
    const admission = await local.admitProblem.executeWithOptions({ summary: 'Admit: the API\'s signature on the start, and the policy' }, [input, workflowInfo().startTime.toISOString()]);
    if (admission.refused) return fail(admission.refused);
    policy = admission.policy;
  } else {
    policy = await loadPolicy('Load decision policy');
  }
  // Where the account-scope patch was checked before recorded decisions (its marker follows the policy).
  if (!recorded) rules = legacyRules(patched(PATCHES.accountScope));

  for (let round = 0; ; round++) {
    setStatus('extracting');
    // After a clarification (days may have passed): decide with the policy in force now, and record that one.
    if (round > 0 && patched(PATCHES.policyAtDecision)) policy = await loadPolicy('Reload decision policy');
    const extraction = await extract(input, state, texts, round);
    if ('failed' in extraction) return fail(extraction.failed);

    let decision: Decision;
    if (extraction.kind === 'clarify') {
      decision = clarifyDecisionOf(extraction);
      if (extraction.candidateType) state.type = extraction.candidateType;
    } else {
      // Planned by the extraction when it ran on this problem's own task queue, so by this
      // build's workers (a pinned version's activities stay on it); else by this worker.
      const plan = (!input.extractionTaskQueue && extraction.plan) || (await rules.plan({ type: extraction.type, claims: extraction.claims, facts: {} }));
      if (plan.kind === 'invalid') return fail('extraction_invalid');
      state.type = extraction.type;
      state.entities = plan.claims;
      setAttributes([{ key: sa.type, value: extraction.type }]);
      const decided = await decideOnFacts(extraction.type, plan.claims, plan);
      if (typeof decided === 'string') return fail(decided);
      decision = decided;
    }

    if (decision.kind !== 'clarify') {
      state.clarification = null;
      if (decision.kind === 'reject') return finish('rejected', { reasonCode: decision.reasonCode });
      return act(state.type!, state.entities!, decision);
    }

    // Clarification: ask, wait for the answer (durable timer), then re-run extraction on all texts.
    if (round >= policy.clarificationRounds) return fail('clarification_rounds_exhausted');
    state.clarification = { question: decision.question, missingFields: decision.missingFields, reasonCode: decision.reasonCode, round: round + 1 };
    await guard.refresh();
    setStatus('needs_clarification');
    const answer = await clarifications.awaitAnswer(policy.clarificationTimeoutMs);
    if (answer === null) return fail('clarification_timeout');
    texts.push(answer);
  }

  /**
   * Verifies the claims (stages/verification.ts), then decides with the policy in force: scope
   * first, then the type's rules, as one recorded step. Runs again before an effect whose facts
   * may have aged or moved.
   */
  async function decideOnFacts(type: string, claims: Record<string, unknown>, first?: PlannedStage, lookUps: RunTool = lookUp): Promise<Decision | 'verification_failed' | typeof DECISION_ERROR> {
    const facts = await verifyClaims(rules, lookUps, { type, claims }, first);
    if (facts instanceof Error) return 'verification_failed';
    verifiedFacts = facts;
    const made = await rules.decide({
      problemId: input.problemId,
      type,
      claims,
      facts,
      policyVersion: policy!.version,
      policy: policy!.types[type],
      scope: { accounts: input.accountScope, customerId: input.customerId, askedReasonCode: state.clarification?.reasonCode ?? null },
    });
    if (!hasDecision(made)) return DECISION_ERROR;
    state.decision = decisionRecordOf(made, recorded);
    setAttributes([{ key: sa.requiresApproval, value: state.decision.requiresApproval }]);
    return made.decision;
  }

  /**
   * Approval gate (if any), then the action's steps as a saga, then any follow-up timer.
   * Facts are read again right before the effect when they may have aged (an approval wait) or
   * moved (a system of record refused a stale concurrency token): the problem is re-decided,
   * and an action that changed goes back through approval under its new digest.
   */
  async function act(type: string, claims: Record<string, unknown>, first: Execute): Promise<ProblemState> {
    let decision = first;
    let approvedKey: string | null = null;
    let staleRetries = 0;
    for (;;) {
      if (decision.approval && approvalKeyOf(decision) !== approvedKey) {
        const verdict = await approvals.await(type, decision);
        if (verdict !== 'approved') return finish('rejected', { reasonCode: verdict });
        approvedKey = approvalKeyOf(decision);
        if (patched(PATCHES.reverifyBeforeEffect)) {
          // Activities: the approval's update answers when this workflow task completes, not after the lookups.
          const fresh = await redecide(type, claims, runTool);
          if (!('steps' in fresh)) return fresh;
          decision = fresh;
          continue;
        }
      }
      const run = await execute(decision, staleRetries);
      if (run !== 'stale') return run;
      if (++staleRetries > MAX_STALE_RETRIES) return finish('failed', { reasonCode: 'ledger_contention', nothingApplied: true });
      await sleep(staleBackoffMs(staleRetries, Math.random()), { summary: 'Back off before re-deciding' });
      const fresh = await redecide(type, claims);
      if (!('steps' in fresh)) return fresh;
      decision = fresh;
    }
  }

  /** Re-verifies and re-decides before an effect; a decision that no longer executes ends the problem. */
  async function redecide(type: string, claims: Record<string, unknown>, lookUps?: RunTool): Promise<Execute | ProblemState> {
    // The approval handler already said so when the last approval was recorded.
    if (state.status !== 'executing') setStatus('executing');
    policy = await loadPolicy('Reload decision policy');
    const fresh = await decideOnFacts(type, claims, undefined, lookUps);
    if (typeof fresh === 'string') return fail(fresh);
    if (fresh.kind !== 'execute') return finish('rejected', { reasonCode: fresh.reasonCode });
    return fresh;
  }

  /** The action's steps as a saga (stages/saga.ts), then any follow-up (stages/follow-up.ts); `stale` when the first step's facts had moved. */
  async function execute(decision: Execute, retry: number): Promise<ProblemState | 'stale'> {
    if (state.status !== 'executing') setStatus('executing');
    const saga = await runSaga(decision.steps, runTool, retry);
    if (saga.kind === 'stale') return 'stale';
    if (saga.kind === 'refused') return finish('rejected', { reasonCode: saga.reasonCode, steps: saga.steps });
    if (saga.kind === 'failed') return finish('failed', { reasonCode: saga.reasonCode, steps: saga.steps, nothingApplied: saga.nothingApplied });
    const { results, steps } = saga;
    const outcome: Record<string, unknown> = { action: decision.action, results, steps };
    if (!decision.followUp) return finish('completed', outcome);

    // In effect now; `active` (not final) until the follow-up (e.g. revoking access) has run.
    const { followUp } = decision;
    const dueAt = new Date(Date.now() + followUp.afterMs).toISOString();
    outcome.followUp = { summary: followUp.summary, dueAt, status: 'scheduled' };
    state.outcome = outcome;
    setStatus(patched(PATCHES.activeFollowUp) ? 'active' : 'completed');
    await sleep(followUp.afterMs, { summary: followUp.summary });
    const done = await runFollowUp(followUp, runTool, results);
    if (done.status === 'failed') {
      // E.g. access that could not be revoked: surfaced as failed, never dropped.
      outcome.followUp = { summary: followUp.summary, dueAt, status: 'failed', stepId: done.stepId, error: done.reasonCode };
      return finish('failed', { ...outcome, reasonCode: done.reasonCode });
    }
    outcome.followUp = { summary: followUp.summary, dueAt, status: 'done', doneAt: new Date().toISOString() };
    return finish('completed', outcome);
  }
}
