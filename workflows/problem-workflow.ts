import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { createActivities } from '../activities';
import { benefits, commitmentOf } from '../src/domain/commitment';
import { digestOf } from '../src/domain/digest';
import { verifyCommand, type CommandKind, type CommandSignature, type CommandVerifyKey } from '../src/domain/signed-command';
import type { ExtractionResult } from '../src/domain/extraction';
import type { ResolvedPolicy } from '../src/domain/policy';
import { DECISION_ERROR } from '../src/domain/recorded-decision';
import type { ActionStep, Decision, Facts, ToolCall, ToolInvocation } from '../src/domain/types';
import { problemSearchAttributes as sa } from '../src/temporal/search-attributes';
import {
  getProblemQuery,
  submitApprovalUpdate,
  submitClarificationUpdate,
  UpdateRejection,
  type ApprovalInput,
  type ClarificationInput,
  type ProblemInput,
} from './definitions';
import { approvalKeyOf, MAX_STALE_RETRIES, PATCHES, runtimeInputOf, STALE_FACTS_CODES, staleBackoffMs } from './effect-guard';
import { legacyRules } from './legacy-rules';
import type { Rules } from './rules';
import { type ProblemState, type ProblemStatus, type StepRecord } from './state';

type Activities = ReturnType<typeof createActivities>;

const { extractProblem } = proxyActivities<Activities>({
  startToCloseTimeout: '90s',
  heartbeatTimeout: '30s',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '30s',
    maximumAttempts: 5,
    nonRetryableErrorTypes: ['LlmRequestRejected', 'LlmRefusal', 'TokenBudgetExceeded'],
  },
});

const { loadPolicy, notify: sendNotification } = proxyActivities<Activities>({
  startToCloseTimeout: '15s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 10 },
});

/**
 * Sends a notification, labelled in the Web UI by its event (never by its recipients or content).
 * Best effort: once its retries are spent, or the receiver refuses it, the failure stays in
 * history and the problem carries on; a webhook outage must not fail a problem.
 */
const notify = (event: Parameters<Activities['notify']>[0]): Promise<void> =>
  sendNotification.executeWithOptions({ summary: `Notify: ${event.event}` }, [event]).catch(() => undefined);

/**
 * Worker configuration and rules read into history: local activities, no task queue round trip.
 * The rules are pure and fast; a retry runs the same code on the same input.
 */
const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '5s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 10 },
});
const { loadCommandKeys } = local;

/** The rules of problems started by this build: planned and decided by the worker, recorded in history. */
const recordedRules: Rules = {
  plan: (request) => local.planVerification.executeWithOptions({ summary: 'Plan verification' }, [request]),
  decide: (input) => local.decide.executeWithOptions({ summary: `Decide (${input.type}, policy ${input.policyVersion})` }, [input]),
  runOptions: (call: ToolCall) => {
    throw ApplicationFailure.nonRetryable(`step ${call.tool} was planned without its run options`, 'UnknownTool');
  },
};

/**
 * Changes that reach problems already running, each behind `patched()` so their recorded
 * histories replay as they ran.
 */
const Patches = {
  /** The API's public keys are loaded, and commands are verified against them. */
  signedCommands: 'signed-commands',
  /** An approval update answers once recorded instead of after the action ran. */
  approvalAnswersOnRecord: 'approval-answers-on-record',
  /** The pending approval is published in the memo, so the approval queue is one visibility page. */
  approvalMemo: 'approval-memo',
  /**
   * Rules run in the worker's local activities and their results are recorded (plan, decision
   * with input and build id); the policy loads locally; search attributes of one transition are
   * written together.
   */
  recordedDecisions: 'recorded-decisions',
} as const;

/** Tools are activities named after the tool; options come from each tool's definition. */
const tools = proxyActivities<Record<string, (call: ToolInvocation) => Promise<unknown>>>({ startToCloseTimeout: '30s' });

const MAX_TEXT_CHARS = 4000;

function rejection(type: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

/** Reason code carried by a failed activity, if the failure says which. */
function reasonOf(err: unknown, fallback: string): { reasonCode: string; rejected: boolean; message: string } {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) {
    const detail = cause.details?.[0] as { reasonCode?: string } | undefined;
    if (cause.type === 'ToolRejected' && detail?.reasonCode) return { reasonCode: detail.reasonCode, rejected: true, message: cause.message };
    return { reasonCode: detail?.reasonCode ?? fallback, rejected: false, message: cause.message };
  }
  return { reasonCode: fallback, rejected: false, message: err instanceof Error ? err.message : String(err) };
}

/** Markdown for the Web UI's current details: status, type and decision codes; no personal data. */
function detailsOf(state: ProblemState): string {
  const lines = [`**Status:** ${state.status}`, `**Type:** ${state.type ?? 'not yet known'}`];
  if (state.decision) lines.push(`**Decision:** ${state.decision.action} (${state.decision.reasonCode}, rule ${state.decision.ruleId}, policy ${state.decision.policyVersion})`);
  return lines.join('\n\n');
}

/**
 * One problem, end to end: extract → verify → decide → (approve) → execute.
 * Deterministic: every I/O is an activity; decisions are the problem type's pure `decide()`.
 */
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
  let commandKeys: CommandVerifyKey[] = [];
  let pendingAnswer: string | null = null;
  let approvalResult: 'approved' | 'rejected' | null = null;
  let policy: ResolvedPolicy | undefined;
  const recorded = patched(Patches.recordedDecisions);
  let rules = recordedRules;
  /** Search attributes written with the next status change (one event per transition). */
  let pendingAttributes: SearchAttributeUpdatePair[] = [];

  const setAttributes = (attributes: SearchAttributeUpdatePair[]): void => {
    if (recorded) pendingAttributes.push(...attributes);
    else upsertSearchAttributes(attributes);
  };

  const setStatus = (status: ProblemStatus): void => {
    state.status = status;
    state.updatedAt = new Date().toISOString();
    upsertSearchAttributes([...pendingAttributes, { key: sa.status, value: status }]);
    pendingAttributes = [];
    setCurrentDetails(detailsOf(state));
  };

  /** The policy in force: a local activity for problems of this build, an activity before. */
  const loadPolicyInForce = (summary: string): Promise<ResolvedPolicy> =>
    (recorded ? local.loadPolicy : loadPolicy).executeWithOptions({ summary }, []);

  setHandler(getProblemQuery, () => state);

  /**
   * Publishes the pending approval (the action, its digest, the evidence, who approved so far) in
   * the memo, which visibility returns with each listed problem: `GET /v1/approvals` reads one
   * visibility page instead of querying every waiting workflow.
   */
  const publishPendingApproval = (): void => {
    if (!state.approval || !patched(Patches.approvalMemo)) return;
    upsertMemo({ pendingApproval: { problemId: input.problemId, type: state.type, submittedBy: input.submittedBy, ...state.approval } });
  };

  /**
   * (Re)loads the keys commands must be signed with, each time the problem starts waiting for one,
   * so a key added to the workers reaches problems that wait for days (see docs/SECURITY.md).
   */
  const refreshCommandKeys = async (): Promise<void> => {
    if (patched(Patches.signedCommands)) commandKeys = await loadCommandKeys();
  };

  /** Refuses a command the API did not sign, signed for another problem or kind, or too old to trust. */
  const assertSigned = (kind: CommandKind, command: { signature?: CommandSignature }): void => {
    const { signature, ...fields } = command;
    const refused = verifyCommand(kind, input.problemId, fields, signature, commandKeys, Date.now());
    if (refused === 'command_expired') throw rejection(UpdateRejection.commandExpired, 'the command is too old or from the future; send it again');
    if (refused) throw rejection(refused === 'command_unsigned' ? UpdateRejection.commandUnsigned : UpdateRejection.commandSignatureInvalid, 'commands are accepted only as signed by the API');
  };

  setHandler(
    submitClarificationUpdate,
    (answer: ClarificationInput) => {
      pendingAnswer = answer.text.trim();
      return state;
    },
    {
      validator: (answer: ClarificationInput) => {
        assertSigned('clarification', answer);
        if (state.status !== 'needs_clarification' || pendingAnswer !== null || answer.round !== state.clarification?.round) {
          throw rejection(UpdateRejection.notAwaitingClarification, `problem is ${state.status}, not waiting for this clarification`);
        }
        if (answer.principal !== input.submittedBy) throw rejection(UpdateRejection.notSubmitter, 'only the submitter can clarify a problem');
        const text = answer.text.trim();
        if (text.length === 0 || text.length > MAX_TEXT_CHARS) throw rejection(UpdateRejection.invalidText, `text must be 1..${MAX_TEXT_CHARS} characters`);
      },
    },
  );

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
      if (approval.decision === 'reject') approvalResult = 'rejected';
      else if (pending.approvals.filter((a) => a.decision === 'approve').length >= pending.requiredApprovals) approvalResult = 'approved';
      if (patched(Patches.approvalAnswersOnRecord)) {
        // Answer once recorded: the action may take long, and the caller follows it with a read.
        if (approvalResult !== null) setStatus(approvalResult === 'approved' ? 'executing' : 'rejected');
        else publishPendingApproval();
      } else if (approvalResult !== null) {
        await condition(() => state.status !== 'awaiting_approval' && state.status !== 'executing');
      }
      return state;
    },
    {
      validator: (approval: ApprovalInput) => {
        assertSigned('approval', approval);
        const pending = state.approval;
        if (state.status !== 'awaiting_approval' || !pending || approvalResult !== null) {
          throw rejection(UpdateRejection.notAwaitingApproval, `problem is ${state.status}, not awaiting approval`);
        }
        if (!approval.roles.includes('approver')) throw rejection(UpdateRejection.roleRequired, 'the approver role is required');
        if (approval.principal === input.submittedBy) throw rejection(UpdateRejection.selfApproval, 'the submitter of a problem cannot approve it');
        if (benefits(pending.action, approval)) throw rejection(UpdateRejection.beneficiaryApproval, 'the action benefits this principal, who cannot approve it');
        if (approval.actionDigest !== pending.actionDigest) {
          throw rejection(UpdateRejection.staleActionDigest, 'the action changed since this approval was prepared; review the current action');
        }
        if (pending.approvals.some((a) => a.principal === approval.principal)) {
          throw rejection(UpdateRejection.alreadyDecided, 'this principal already decided on this action');
        }
        const escalationGroup = pending.escalated ? policy?.approvalTiming.escalationGroup : undefined;
        const allowed = !pending.group || approval.groups.includes(pending.group) || (escalationGroup !== undefined && approval.groups.includes(escalationGroup));
        if (!allowed) throw rejection(UpdateRejection.groupRequired, `approval requires a member of ${pending.group}`);
      },
    },
  );

  const finish = async (status: ProblemStatus, outcome: Record<string, unknown> | null): Promise<ProblemState> => {
    state.outcome = outcome;
    setStatus(status);
    await notify({ event: 'completed', problemId: input.problemId, status, reasonCode: (outcome?.reasonCode as string | undefined) ?? state.decision?.reasonCode ?? null });
    await condition(allHandlersFinished);
    return state;
  };

  /** Ends the problem as failed with a reason code; internal messages stay in history, never in the outcome. */
  const fail = (reasonCode: string) => finish('failed', { reasonCode });

  policy = await loadPolicyInForce('Load decision policy');
  // Where the account-scope patch was checked before recorded decisions (its marker follows the policy).
  if (!recorded) rules = legacyRules(patched(PATCHES.accountScope));

  for (let round = 0; ; round++) {
    setStatus('extracting');
    // After a clarification (days may have passed): decide with the policy in force now, and record that one.
    if (round > 0 && patched(PATCHES.policyAtDecision)) policy = await loadPolicyInForce('Reload decision policy');
    let extraction: ExtractionResult;
    try {
      const summary = round === 0 ? 'Extract structured request' : `Re-extract after clarification ${round}`;
      extraction = await extractProblem.executeWithOptions({ summary, ...(input.extractionTaskQueue ? { taskQueue: input.extractionTaskQueue } : {}) }, [{ problemId: input.problemId, texts, tokensUsedSoFar: state.usage.promptTokens + state.usage.completionTokens }]);
    } catch (err) {
      return fail(reasonOf(err, 'extraction_failed').reasonCode);
    }
    state.usage.llmCalls += extraction.usage.calls;
    state.usage.promptTokens += extraction.usage.promptTokens;
    state.usage.completionTokens += extraction.usage.completionTokens;

    let decision: Decision;
    if (extraction.kind === 'clarify') {
      decision = { kind: 'clarify', action: 'clarify', reasonCode: extraction.reasonCode, ruleId: 'EXTRACTION', question: extraction.question, missingFields: extraction.missingFields };
      if (extraction.candidateType) state.type = extraction.candidateType;
    } else {
      const plan = await rules.plan({ type: extraction.type, claims: extraction.claims, facts: {} });
      if (plan.kind === 'invalid') return fail('extraction_invalid');
      state.type = extraction.type;
      state.entities = plan.claims;
      setAttributes([{ key: sa.type, value: extraction.type }]);
      const decided = await decideOnFacts(extraction.type, plan.claims, plan.lookups);
      if (decided === 'verification_failed' || decided === DECISION_ERROR) return fail(decided);
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
    await refreshCommandKeys();
    setStatus('needs_clarification');
    const answered = await condition(() => pendingAnswer !== null, policy.clarificationTimeoutMs, { summary: 'Clarification answer deadline' });
    if (!answered) return fail('clarification_timeout');
    texts.push(pendingAnswer!);
    pendingAnswer = null;
  }

  /**
   * Verifies the claims against the systems of record (in stages, each planned by the rules),
   * then decides with the policy in force: scope first, then the type's rules. The decision is
   * recorded with its inputs. Runs again before an effect whose facts may have aged or moved.
   */
  async function decideOnFacts(
    type: string,
    claims: Record<string, unknown>,
    firstLookups?: Record<string, ToolCall>,
  ): Promise<Decision | 'verification_failed' | typeof DECISION_ERROR> {
    const facts = await verify(type, claims, firstLookups);
    if (facts instanceof Error) return 'verification_failed';
    verifiedFacts = facts;
    const decisionInput = {
      problemId: input.problemId,
      type,
      claims,
      facts,
      policyVersion: policy!.version,
      policy: policy!.types[type],
      scope: { accounts: input.accountScope, customerId: input.customerId, askedReasonCode: state.clarification?.reasonCode ?? null },
    };
    const made = await rules.decide(decisionInput);
    if (!made.decision) return DECISION_ERROR;
    const decision = made.decision;
    state.decision = {
      action: decision.action,
      reasonCode: decision.reasonCode,
      requiresApproval: decision.kind === 'execute' && decision.approval !== undefined,
      ruleId: decision.ruleId,
      policyVersion: policy!.version,
      inputDigest: digestOf({ type, claims, facts, policyVersion: policy!.version }),
      verifiedFacts: Object.keys(facts).sort(),
      ...(recorded ? { buildId: made.buildId } : {}),
    };
    setAttributes([{ key: sa.requiresApproval, value: state.decision.requiresApproval }]);
    return decision;
  }

  /** Runs the planned read-only lookups, stage by stage, in parallel within a stage; their results are the verified facts. */
  async function verify(type: string, claims: Record<string, unknown>, firstLookups?: Record<string, ToolCall>): Promise<Facts | Error> {
    const facts: Facts = {};
    let lookups = firstLookups;
    try {
      for (;;) {
        if (!lookups) {
          const plan = await rules.plan({ type, claims, facts });
          if (plan.kind === 'invalid') return new Error('claims no longer valid');
          lookups = plan.lookups;
        }
        const stage = Object.entries(lookups);
        if (stage.length === 0) return facts;
        const results = await Promise.all(stage.map(([name, call]) => runTool({ ...call, id: `verify-${name}` })));
        stage.forEach(([name], i) => (facts[name] = results[i]));
        lookups = undefined;
      }
    } catch (err) {
      return new Error(reasonOf(err, 'verification_failed').message);
    }
  }

  /**
   * Runs one step as its tool's activity. `results` completes the input (`inputFrom`); `retry`
   * numbers a re-decided execution, whose request is new and so needs a key of its own.
   */
  function runTool(step: ActionStep | (ActionStep['compensation'] & object), results: Record<string, unknown> = {}, retry = 0): Promise<unknown> {
    const def = step.run ?? rules.runOptions(step);
    const fn = tools[step.tool]!;
    return fn.executeWithOptions(
      {
        summary: step.summary,
        startToCloseTimeout: def.timeoutMs,
        retry: {
          maximumAttempts: def.retry.maximumAttempts,
          initialInterval: def.retry.initialIntervalMs,
          backoffCoefficient: def.retry.backoffCoefficient,
          maximumInterval: def.retry.maximumIntervalMs,
          nonRetryableErrorTypes: ['ToolRejected', 'ToolInputInvalid'],
        },
      },
      [{ input: runtimeInputOf(step, results), idempotencyKey: `${input.problemId}/${step.id}${retry > 0 ? `~${retry}` : ''}` }],
    );
  }

  /**
   * Approval gate (if any), then the action's steps as a saga, then any follow-up timer.
   * Facts are read again right before the effect when they may have aged (an approval wait) or
   * moved (a system of record refused a stale concurrency token): the problem is re-decided,
   * and an action that changed goes back through approval under its new digest.
   */
  async function act(type: string, claims: Record<string, unknown>, first: Extract<Decision, { kind: 'execute' }>): Promise<ProblemState> {
    let decision = first;
    let approvedKey: string | null = null;
    let staleRetries = 0;
    for (;;) {
      if (decision.approval && approvalKeyOf(decision) !== approvedKey) {
        const verdict = await awaitApproval(type, decision);
        if (verdict !== 'approved') return finish('rejected', { reasonCode: verdict });
        approvedKey = approvalKeyOf(decision);
        if (patched(PATCHES.reverifyBeforeEffect)) {
          const fresh = await redecide(type, claims);
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
  async function redecide(type: string, claims: Record<string, unknown>): Promise<Extract<Decision, { kind: 'execute' }> | ProblemState> {
    // The approval handler already said so when the last approval was recorded.
    if (state.status !== 'executing') setStatus('executing');
    policy = await loadPolicyInForce('Reload decision policy');
    const fresh = await decideOnFacts(type, claims);
    if (fresh === 'verification_failed' || fresh === DECISION_ERROR) return fail(fresh);
    if (fresh.kind !== 'execute') return finish('rejected', { reasonCode: fresh.reasonCode });
    return fresh;
  }

  /** The action's steps as a saga, then any follow-up; `stale` when the first step's facts had moved. */
  async function execute(decision: Extract<Decision, { kind: 'execute' }>, retry: number): Promise<ProblemState | 'stale'> {
    if (state.status !== 'executing') setStatus('executing');
    const steps: StepRecord[] = decision.steps.map((s) => ({ id: s.id, tool: s.tool, status: 'skipped' }));
    const results: Record<string, unknown> = {};
    for (const [i, step] of decision.steps.entries()) {
      const record = steps[i]!;
      try {
        results[step.id] = record.result = await runTool(step, results, retry);
        record.status = 'done';
      } catch (err) {
        const reason = reasonOf(err, 'tool_failed');
        if (reason.rejected && i === 0 && STALE_FACTS_CODES.includes(reason.reasonCode)) return 'stale';
        record.status = 'failed';
        record.error = reason.reasonCode;
        await compensate(decision.steps.slice(0, i), steps);
        const nothingApplied = steps.every((s) => s.status !== 'done' && s.status !== 'compensation_failed');
        if (reason.rejected && i === 0) return finish('rejected', { reasonCode: reason.reasonCode, steps });
        return finish('failed', { reasonCode: reason.reasonCode, steps, nothingApplied });
      }
    }
    const outcome: Record<string, unknown> = { action: decision.action, results, steps };
    if (!decision.followUp) return finish('completed', outcome);

    // In effect now; `active` (not final) until the follow-up (e.g. revoking access) has run.
    const dueAt = new Date(Date.now() + decision.followUp.afterMs).toISOString();
    outcome.followUp = { summary: decision.followUp.summary, dueAt, status: 'scheduled' };
    state.outcome = outcome;
    setStatus(patched(PATCHES.activeFollowUp) ? 'active' : 'completed');
    await sleep(decision.followUp.afterMs, { summary: decision.followUp.summary });
    for (const step of decision.followUp.steps) {
      try {
        results[step.id] = await runTool(step, results);
      } catch (err) {
        // E.g. access that could not be revoked: surfaced as failed, never dropped.
        const reasonCode = reasonOf(err, 'follow_up_failed').reasonCode;
        outcome.followUp = { summary: decision.followUp.summary, dueAt, status: 'failed', stepId: step.id, error: reasonCode };
        return finish('failed', { ...outcome, reasonCode });
      }
    }
    outcome.followUp = { summary: decision.followUp.summary, dueAt, status: 'done', doneAt: new Date().toISOString() };
    return finish('completed', outcome);
  }

  /** Undoes completed steps in reverse order; a compensation keeps retrying by its tool's policy. */
  async function compensate(done: ActionStep[], records: StepRecord[]): Promise<void> {
    for (const step of [...done].reverse()) {
      const record = records.find((r) => r.id === step.id)!;
      if (!step.compensation) continue;
      try {
        await runTool(step.compensation);
        record.status = 'compensated';
      } catch (err) {
        record.status = 'compensation_failed';
        record.error = reasonOf(err, 'compensation_failed').reasonCode;
      }
    }
  }

  /** Waits for approvals with durable timers: remind, escalate, then expire. */
  async function awaitApproval(type: string, decision: Extract<Decision, { kind: 'execute' }>): Promise<'approved' | 'rejected' | 'approval_rejected' | 'approval_timeout'> {
    const timing = policy!.approvalTiming;
    const action = commitmentOf(input.problemId, type, decision, policy!.version);
    await refreshCommandKeys();
    const now = Date.now();
    const at = (ms: number) => new Date(now + ms).toISOString();
    state.approval = {
      action,
      actionDigest: digestOf(action),
      evidence: { ruleId: decision.ruleId, reasonCode: decision.reasonCode, facts: verifiedFacts, texts: [...texts] },
      requiredApprovals: decision.approval!.requiredApprovals,
      group: decision.approval!.group ?? null,
      approvals: [],
      requestedAt: at(0),
      remindAt: at(timing.remindAfterMs),
      escalateAt: at(timing.escalateAfterMs),
      expiresAt: at(timing.expireAfterMs),
      escalated: false,
    };
    approvalResult = null;
    publishPendingApproval();
    setStatus('awaiting_approval');
    const event = { problemId: input.problemId, actionDigest: state.approval.actionDigest, group: state.approval.group };
    await notify({ event: 'approval_needed', ...event });
    const decided = () => approvalResult !== null;
    const waits: [number, () => Promise<void>][] = [
      [timing.remindAfterMs, () => notify({ event: 'reminder', ...event })],
      [timing.escalateAfterMs - timing.remindAfterMs, async () => {
        state.approval!.escalated = true;
        publishPendingApproval();
        await notify({ event: 'escalated', ...event, group: timing.escalationGroup });
      }],
      [timing.expireAfterMs - timing.escalateAfterMs, async () => undefined],
    ];
    const timerSummaries = ['Approval reminder due', 'Approval escalation due', 'Approval expiry'];
    for (const [i, [ms, onTimeout]] of waits.entries()) {
      if (await condition(decided, Math.max(1, ms), { summary: timerSummaries[i] ?? 'Approval wait' })) break;
      await onTimeout();
      await refreshCommandKeys();
    }
    if (approvalResult === 'approved') return 'approved';
    return approvalResult === 'rejected' ? 'approval_rejected' : 'approval_timeout';
  }
}
