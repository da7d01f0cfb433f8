import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import type { DecisionRecord, ProblemState } from '../api/schemas';
import { commitmentOf } from '../domain/commitment';
import { digestOf } from '../domain/digest';
import type { ExtractionResult } from '../domain/extraction';
import type { ResolvedPolicy } from '../domain/policy';
import { DECIDE_ACTIVITY, type RecordedDecision } from '../domain/recorded-decision';
import type { Catalog } from '../domain/registry';
import type { Decision, Facts } from '../domain/types';
import { problemSearchAttributes as sa } from '../temporal/search-attributes';
import { durationToMs, EventType, timestampToIso, toNumber, type History, type HistoryEvent, type PayloadDecoder, type Payloads, type ProtoFailure } from './history';
import { isRecordedDecision, localActivityOf, type LocalActivityRecord } from './recorded-decisions';
import type { ActivityOutcome, ApprovalStep, AuditStep, DecisionStep, FailureSummary, StatusStep } from './steps';

/** The result of reading one history. */
export interface ReconstructedAudit {
  steps: AuditStep[];
  /** Latest `ProblemStatus` in the history. */
  status: string | null;
  /** Whether the workflow has ended. */
  closed: boolean;
  eventCount: number;
}

interface ScheduledActivity {
  type: string;
  summary: string | null;
  inputPayloads: Payloads | null | undefined;
  attempt: number;
}

/** Activities that are not tools; everything else the workflow schedules is a tool named after the activity. */
const EXTRACT = 'extractProblem';
const LOAD_POLICY = 'loadPolicy';
const ADMIT_PROBLEM = 'admitProblem';
const NOTIFY = 'notify';
const PLAN_VERIFICATION = 'planVerification';
const VERIFY_PREFIX = 'verify-';

const endStatus: Partial<Record<number, string>> = {
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED]: 'workflow_failed',
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED]: 'workflow_terminated',
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT]: 'workflow_timed_out',
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED]: 'workflow_canceled',
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The [fact, tool] pairs of a recorded verification plan (an extraction's first stage, or `planVerification`'s result). */
function lookupsOf(plan: unknown): [string, string][] {
  if (!isRecord(plan) || !isRecord(plan.lookups)) return [];
  return Object.entries(plan.lookups).flatMap(([fact, call]) => (isRecord(call) && typeof call.tool === 'string' ? [[fact, call.tool] as [string, string]] : []));
}
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * Reads a `problemWorkflow` history into ordered audit steps. Payloads are decoded with
 * `decode` (so codec-encrypted histories work); only whitelisted fields are copied out, so
 * the submitted text, clarification answers, prompts and model output never appear.
 * Decisions are read from their decision events (the `decide` local activity's markers: input,
 * output and build id). Histories from before decision events recompute them with the
 * registered type's pure `decide()` from the recorded claims, facts and policy, checked against
 * the decision the workflow itself recorded.
 */
export async function reconstructAudit(history: History, catalog: Catalog, decode: PayloadDecoder): Promise<ReconstructedAudit> {
  const steps: AuditStep[] = [];
  const activities = new Map<number, ScheduledActivity>();
  const timers = new Map<string, { startedAt: string; durationMs: number | null; summary: string | null }>();
  const approvals = new Map<string, ApprovalStep>();
  const compensationIds = new Set<string>();
  let policy: ResolvedPolicy | null = null;
  let extraction: { type: string; claims: unknown } | null = null;
  let facts: Facts = {};
  /** The lookups of the stage planned last, as [fact, tool]: a lookup run as a local activity is matched to its fact by tool. */
  let plannedLookups: [string, string][] = [];
  let clarify: { reasonCode: string; missingFields: string[] } | null = null;
  let round = 0;
  let clarificationRound = 0;
  let status: string | null = null;
  let closed = false;
  let lastDecision: DecisionStep | null = null;
  /** Whether this history has decision events (then search-attribute upserts are not decisions). */
  let decisionEvents = false;
  let result: Partial<ProblemState> | null = null;
  let problemId = '';
  const events = history.events ?? [];

  const first = async (payloads: { payloads?: Parameters<PayloadDecoder>[0] } | null | undefined): Promise<unknown> => (await decode(payloads?.payloads))[0];
  const summaryOf = async (event: HistoryEvent): Promise<string | null> => {
    const summary = event.userMetadata?.summary;
    if (!summary) return null;
    return str((await decode([summary]))[0]);
  };
  /** A failure by type and reason code: its message is internal text (hosts, ports, downstream bodies) and stays in history. */
  const failureOf = async (failure: ProtoFailure | null | undefined): Promise<FailureSummary> => {
    const info = failure?.applicationFailureInfo;
    const detail = info?.details?.payloads?.length ? (await decode(info.details.payloads).catch(() => []))[0] : undefined;
    return {
      type: info?.type ?? (failure?.timeoutFailureInfo ? 'timeout' : null),
      reasonCode: isRecord(detail) ? str(detail.reasonCode) : null,
    };
  };

  for (const event of events) {
    const eventId = toNumber(event.eventId);
    const at = timestampToIso(event.eventTime);
    switch (event.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED: {
        const attrs = decodeTypedSearchAttributes(event.workflowExecutionStartedEventAttributes?.searchAttributes?.indexedFields);
        const input = await first(event.workflowExecutionStartedEventAttributes?.input);
        if (isRecord(input)) problemId = str(input.problemId) ?? '';
        const initial = attrs.get(sa.status);
        if (initial) {
          status = initial;
          steps.push({ kind: 'status', at, eventId, status: initial });
        }
        break;
      }
      case EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: {
        const attrs = decodeTypedSearchAttributes(event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields);
        const requiresApproval = attrs.get(sa.requiresApproval);
        if (requiresApproval !== undefined && !decisionEvents) {
          lastDecision = decisionStep(at, eventId, requiresApproval);
          steps.push(lastDecision);
        }
        const next = attrs.get(sa.status);
        if (next !== undefined) {
          status = next;
          steps.push({ kind: 'status', at, eventId, status: next });
          if (next === 'needs_clarification') {
            clarificationRound += 1;
            steps.push({ kind: 'clarification', at, eventId, event: 'requested', round: clarificationRound, ...(clarify ?? {}) });
          }
        }
        break;
      }
      case EventType.EVENT_TYPE_MARKER_RECORDED: {
        const local = await localActivityOf(event, decode);
        if (local?.activityType === DECIDE_ACTIVITY && isRecordedDecision(local.result)) {
          decisionEvents = true;
          lastDecision = decisionEventStep(at, eventId, local.result);
          steps.push(lastDecision);
        } else if (local?.activityType === LOAD_POLICY && isRecord(local.result)) {
          policy = local.result as unknown as ResolvedPolicy;
        } else if (local?.activityType === ADMIT_PROBLEM && isRecord(local.result) && isRecord(local.result.policy)) {
          // The first step of problems whose start is signed: the admission's verdict, and the policy.
          policy = local.result.policy as unknown as ResolvedPolicy;
        } else if (local?.activityType === PLAN_VERIFICATION) {
          plannedLookups = lookupsOf(local.result);
        } else if (local && catalog.tool(local.activityType)) {
          await localLookup(at, eventId, local);
        }
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: {
        const attrs = event.activityTaskScheduledEventAttributes;
        activities.set(eventId, { type: attrs?.activityType?.name ?? 'unknown', summary: await summaryOf(event), inputPayloads: attrs?.input, attempt: 1 });
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
        const attrs = event.activityTaskStartedEventAttributes;
        const scheduled = activities.get(toNumber(attrs?.scheduledEventId));
        if (scheduled) scheduled.attempt = attrs?.attempt ?? 1;
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: {
        const attrs = event.activityTaskCompletedEventAttributes;
        const scheduled = activities.get(toNumber(attrs?.scheduledEventId));
        if (scheduled) await activityClosed(scheduled, at, eventId, 'completed', await first(attrs?.result), undefined);
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED:
      case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
      case EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED: {
        const failed = event.activityTaskFailedEventAttributes;
        const timedOut = event.activityTaskTimedOutEventAttributes;
        const canceled = event.activityTaskCanceledEventAttributes;
        const scheduledId = failed?.scheduledEventId ?? timedOut?.scheduledEventId ?? canceled?.scheduledEventId;
        const scheduled = activities.get(toNumber(scheduledId));
        const outcome: ActivityOutcome = failed ? 'failed' : timedOut ? 'timed_out' : 'canceled';
        if (scheduled) await activityClosed(scheduled, at, eventId, outcome, undefined, failed?.failure ?? timedOut?.failure);
        break;
      }
      case EventType.EVENT_TYPE_TIMER_STARTED: {
        const attrs = event.timerStartedEventAttributes;
        timers.set(attrs?.timerId ?? '', { startedAt: at, durationMs: durationToMs(attrs?.startToFireTimeout), summary: await summaryOf(event) });
        break;
      }
      case EventType.EVENT_TYPE_TIMER_FIRED: {
        const timer = timers.get(event.timerFiredEventAttributes?.timerId ?? '');
        steps.push({ kind: 'timer', at, eventId, summary: timer?.summary ?? null, durationMs: timer?.durationMs ?? null, startedAt: timer?.startedAt ?? null });
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED: {
        const request = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest;
        const arg = await first(request?.input?.args);
        if (!isRecord(arg)) break;
        if (request?.input?.name === 'submitApproval') {
          const step: ApprovalStep = {
            kind: 'approval',
            at,
            eventId,
            principal: str(arg.principal) ?? 'unknown',
            decision: arg.decision === 'reject' ? 'reject' : 'approve',
            actionDigest: str(arg.actionDigest) ?? '',
            ...(typeof arg.comment === 'string' && arg.comment ? { comment: arg.comment } : {}),
          };
          approvals.set(request.meta?.updateId ?? String(eventId), step);
          steps.push(step);
        } else if (request?.input?.name === 'submitClarification') {
          steps.push({ kind: 'clarification', at, eventId, event: 'answered', round: clarificationRound, principal: str(arg.principal) ?? 'unknown', answerLength: str(arg.text)?.trim().length ?? 0 });
        }
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED: {
        const step = approvals.get(event.workflowExecutionUpdateCompletedEventAttributes?.meta?.updateId ?? '');
        if (step) step.completedAt = at;
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED: {
        closed = true;
        const value = await first(event.workflowExecutionCompletedEventAttributes?.result);
        if (isRecord(value)) result = value as Partial<ProblemState>;
        break;
      }
      default: {
        const ended = event.eventType === null || event.eventType === undefined ? undefined : endStatus[event.eventType];
        if (ended) {
          closed = true;
          status = 'failed';
          steps.push({ kind: 'status', at, eventId, status: 'failed', reasonCode: ended });
        }
      }
    }
  }

  if (result) applyRecordedResult(result);
  return { steps, status, closed, eventCount: events.length };

  async function activityClosed(activity: ScheduledActivity, at: string, eventId: number, outcome: ActivityOutcome, value: unknown, failure: ProtoFailure | null | undefined): Promise<void> {
    if (activity.type === NOTIFY) return;
    if (activity.type === LOAD_POLICY) {
      if (isRecord(value)) policy = value as unknown as ResolvedPolicy;
      return;
    }
    if (activity.type === EXTRACT) {
      round += 1;
      facts = {};
      plannedLookups = lookupsOf(isRecord(value) ? value.plan : undefined);
      steps.push(extractionStep(at, eventId, activity, outcome, value, outcome === 'completed' ? undefined : await failureOf(failure)));
      return;
    }
    const invocation = (await decode(activity.inputPayloads?.payloads))[0];
    const idempotencyKey = isRecord(invocation) ? str(invocation.idempotencyKey) : null;
    const stepId = idempotencyKey === null ? null : idempotencyKey.slice(idempotencyKey.indexOf('/') + 1);
    const ended = outcome === 'completed' ? { result: value } : { failure: await failureOf(failure) };
    if (stepId?.startsWith(VERIFY_PREFIX)) {
      const fact = stepId.slice(VERIFY_PREFIX.length);
      if (outcome === 'completed') facts[fact] = value;
      steps.push({ kind: 'verification', at, eventId, fact, source: activity.type, idempotencyKey, attempts: activity.attempt, outcome, ...(outcome === 'completed' ? { value } : { failure: ended.failure }) });
      return;
    }
    const kind = stepId !== null && compensationIds.has(stepId) ? 'compensation' : 'tool';
    steps.push({ kind, at, eventId, tool: activity.type, stepId, summary: activity.summary, idempotencyKey, attempts: activity.attempt, outcome, ...ended });
  }

  /** A lookup run as a local activity (problems of builds with `local-first`): its fact comes from the stage's plan. */
  async function localLookup(at: string, eventId: number, local: LocalActivityRecord): Promise<void> {
    const planned = plannedLookups.findIndex(([, tool]) => tool === local.activityType);
    const fact = planned >= 0 ? plannedLookups.splice(planned, 1)[0]![0] : local.activityType;
    const base = { kind: 'verification' as const, at, eventId, fact, source: local.activityType, idempotencyKey: problemId ? `${problemId}/${VERIFY_PREFIX}${fact}` : null, attempts: local.attempt };
    if (local.failure) {
      steps.push({ ...base, outcome: 'failed', failure: await failureOf(local.failure) });
      return;
    }
    facts[fact] = local.result;
    steps.push({ ...base, outcome: 'completed', value: local.result });
  }

  function extractionStep(at: string, eventId: number, activity: ScheduledActivity, outcome: ActivityOutcome, value: unknown, failure: FailureSummary | undefined): AuditStep {
    const base = { kind: 'extraction' as const, at, eventId, round, summary: activity.summary, outcome, attempts: activity.attempt };
    const result = isRecord(value) ? (value as unknown as ExtractionResult) : null;
    if (!result || failure) {
      return { ...base, provider: null, model: null, usage: null, repairAttempts: null, validation: 'failed', type: null, reasonCode: failure?.reasonCode ?? 'extraction_failed', ...(failure ? { failure } : {}) };
    }
    const u = result.usage;
    const common = {
      ...base,
      provider: u.provider,
      model: u.model,
      usage: { modelCalls: u.calls, promptTokens: u.promptTokens, completionTokens: u.completionTokens, latencyMs: u.latencyMs },
      repairAttempts: u.repairAttempts,
    };
    if (result.kind === 'problem') {
      extraction = { type: result.type, claims: result.claims };
      clarify = null;
      return { ...common, validation: 'valid', type: result.type, entities: result.claims };
    }
    extraction = null;
    clarify = { reasonCode: result.reasonCode, missingFields: result.missingFields };
    return { ...common, validation: 'clarify', type: result.candidateType ?? null, reasonCode: result.reasonCode, missingFields: result.missingFields };
  }

  /** A decision event: the decision as made, by the build that made it. */
  function decisionEventStep(at: string, eventId: number, recorded: RecordedDecision): DecisionStep {
    const { input, decision, buildId } = recorded;
    const base = { kind: 'decision' as const, at, eventId, type: input.type, verifiedFacts: Object.keys(input.facts).sort(), policyVersion: input.policyVersion, source: 'event' as const, buildId, recomputedMatches: null };
    const inputDigest = digestOf({ type: input.type, claims: input.claims, facts: input.facts, policyVersion: input.policyVersion });
    if (!decision) return { ...base, action: null, ruleId: null, reasonCode: 'decision_error', inputDigest, requiresApproval: false };
    return withPlan({ ...base, action: decision.action, ruleId: decision.ruleId, reasonCode: decision.reasonCode, inputDigest, requiresApproval: decision.kind === 'execute' && decision.approval !== undefined }, decision, input.type, input.policyVersion);
  }

  /** The steps and approval a decision planned; its compensations are recognised as such later. */
  function withPlan(step: DecisionStep, decision: Decision, type: string, policyVersion: string): DecisionStep {
    if (decision.kind === 'clarify') clarify = { reasonCode: decision.reasonCode, missingFields: decision.missingFields };
    if (decision.kind !== 'execute') return step;
    for (const s of [...decision.steps, ...(decision.followUp?.steps ?? [])]) if (s.compensation) compensationIds.add(s.compensation.id);
    step.plannedSteps = decision.steps.map((s) => ({ id: s.id, tool: s.tool }));
    if (decision.approval) {
      const action = commitmentOf(problemId, type, decision, policyVersion);
      step.approval = { requiredApprovals: decision.approval.requiredApprovals, group: decision.approval.group ?? null, actionDigest: digestOf(action) };
    }
    return step;
  }

  function decisionStep(at: string, eventId: number, requiresApproval: boolean): DecisionStep {
    const base = { kind: 'decision' as const, at, eventId, verifiedFacts: Object.keys(facts).sort(), requiresApproval, recomputedMatches: null, buildId: null };
    const problemType = extraction ? catalog.get(extraction.type) : undefined;
    const claims = problemType?.claims.safeParse(extraction?.claims);
    if (!problemType || !claims?.success || !policy) {
      return { ...base, type: extraction?.type ?? 'unknown', action: null, ruleId: null, reasonCode: null, policyVersion: policy?.version ?? null, inputDigest: null, source: 'unavailable' };
    }
    const decision: Decision = problemType.decide({ claims: claims.data, facts }, policy.types[problemType.name]);
    const step: DecisionStep = {
      ...base,
      type: problemType.name,
      action: decision.action,
      ruleId: decision.ruleId,
      reasonCode: decision.reasonCode,
      policyVersion: policy.version,
      inputDigest: digestOf({ type: problemType.name, claims: claims.data, facts, policyVersion: policy.version }),
      source: 'recomputed',
    };
    return withPlan(step, decision, problemType.name, policy.version);
  }

  /** The workflow's own result is the record: the last decision is checked against it, the final status gets its reason. */
  function applyRecordedResult(recorded: Partial<ProblemState>): void {
    const decision = isRecord(recorded.decision) ? (recorded.decision as DecisionRecord) : null;
    if (decision && lastDecision && lastDecision.source !== 'event') {
      const comparable = lastDecision.source === 'recomputed';
      Object.assign(lastDecision, {
        action: decision.action,
        ruleId: decision.ruleId,
        reasonCode: decision.reasonCode,
        policyVersion: decision.policyVersion,
        inputDigest: decision.inputDigest,
        verifiedFacts: decision.verifiedFacts,
        requiresApproval: decision.requiresApproval,
        source: 'recorded',
        recomputedMatches: comparable ? lastDecision.inputDigest === decision.inputDigest && lastDecision.ruleId === decision.ruleId && lastDecision.reasonCode === decision.reasonCode : null,
      } satisfies Partial<DecisionStep>);
    }
    const outcomeReason = isRecord(recorded.outcome) ? str(recorded.outcome.reasonCode) : null;
    const finalStatus = [...steps].reverse().find((s): s is StatusStep => s.kind === 'status');
    const reasonCode = outcomeReason ?? decision?.reasonCode ?? null;
    if (finalStatus && reasonCode && !finalStatus.reasonCode) finalStatus.reasonCode = reasonCode;
  }
}
