import { z } from 'zod';

/** Body of `POST /v1/problems`. */
export const submitProblemBody = component('SubmitProblem', z.strictObject({
  text: z.string().trim().min(1, 'text must not be empty').max(4000, 'text must be at most 4000 characters').describe('The problem in the submitter\'s words'),
  customerId: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._:-]+$/, 'customerId may contain letters, digits and . _ : -').optional(),
  channel: z.enum(['web', 'email', 'chat', 'api']).default('api'),
}));
/** A submitted problem. */
export type SubmitProblemBody = z.infer<typeof submitProblemBody>;

export const problemIdParams = z.object({ id: z.string().regex(/^prb_[0-9A-Za-z]{10,40}$/, 'not a problem id') });

export const idempotencyHeaders = z.object({
  'idempotency-key': z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'Idempotency-Key must be printable ASCII without spaces').optional(),
});

// A schema with an `id` in zod's registry (`.meta({ id })`) is one entry of the OpenAPI document's
// `components.schemas`, referenced wherever it is used (src/api/openapi.ts).

/** Names `schema` as the shared component `id` of the published document. */
function component<S extends z.ZodType>(id: string, schema: S): S {
  return schema.meta({ id });
}

/** Problem statuses, as in the external contract. */
export const problemStatus = component('ProblemStatus', z.enum(['received', 'extracting', 'needs_clarification', 'awaiting_approval', 'executing', 'active', 'completed', 'rejected', 'failed']));
/** Every problem status, in the contract's order. */
export const PROBLEM_STATUSES = problemStatus.options;
/** A problem's status. */
export type ProblemStatus = z.infer<typeof problemStatus>;

/** A registered problem type's name; the published document lists them (an enum built from the catalog). */
export const problemTypeName = component('ProblemTypeName', z.string().describe('A registered problem type'));

/** A problem's validated claims; the published document says which (one of the registered claims schemas). */
export const problemEntities = component('ProblemEntities', z.record(z.string(), z.unknown()).describe("The claims of the problem's type, as validated"));

/** The decision as the API shows it: outcome and reason codes, never reasoning. */
export const decisionRecord = component('Decision', z.object({
  action: z.string(),
  reasonCode: z.string(),
  requiresApproval: z.boolean(),
  ruleId: z.string(),
  policyVersion: z.string(),
  inputDigest: z.string().describe('Digest over type, claims, verified facts and policy version: what the rule saw'),
  verifiedFacts: z.array(z.string()).describe('Names of the verified facts (tool lookups) the rule used'),
  buildId: z.string().optional().describe('The worker build whose rules decided (absent for problems decided before decisions were recorded)'),
}));
/** A recorded decision. */
export type DecisionRecord = z.infer<typeof decisionRecord>;

/** One approver's recorded decision. */
export const approvalRecord = component('ApprovalRecord', z.object({
  principal: z.string(),
  decision: z.enum(['approve', 'reject']),
  comment: z.string().optional(),
  at: z.string(),
  actionDigest: z.string(),
}));
/** One approver's recorded decision. */
export type ApprovalRecord = z.infer<typeof approvalRecord>;

/** A tool call of an action as approvers see it and the digest covers it. */
export const committedCall = component('CommittedCall', z.object({ id: z.string(), tool: z.string(), input: z.record(z.string(), z.unknown()) }));
/** A tool call of an action. */
export type CommittedCall = z.infer<typeof committedCall>;

/**
 * Everything an approval commits to, exactly as it will execute; the action digest is over all
 * of it, so an approval of one commitment can never approve another.
 */
const actionCommitment = z.object({
  problemId: z.string(),
  type: z.string(),
  name: z.string(),
  steps: z.array(committedCall.extend({ compensation: committedCall.optional() })),
  followUp: z.object({ afterMs: z.number(), steps: z.array(committedCall) }).nullable(),
  requiredApprovals: z.number(),
  group: z.string().nullable(),
  policyVersion: z.string(),
  beneficiary: z.object({ accountIds: z.array(z.string()), employeeIds: z.array(z.string()) }).describe('Who the action benefits (step inputs accountId and employeeId); they cannot approve it'),
});
/** An action commitment, as the workflow records it. */
export type ActionCommitment = z.infer<typeof actionCommitment>;

/** The commitment as the API shows it: problems that started before a field was recorded lack it. */
export const actionSchema = component('Action', actionCommitment
  .partial({ problemId: true, followUp: true, requiredApprovals: true, group: true, policyVersion: true, beneficiary: true })
  .describe('The commitment an approval is for (fields other than type, name and steps are absent on problems that started before they were recorded)'));

/** What an approver sees besides the action: the verified facts the rule read and why it decided so. */
export const approvalEvidence = component('ApprovalEvidence', z.object({
  ruleId: z.string(),
  reasonCode: z.string(),
  facts: z.record(z.string(), z.unknown()).describe('Verified facts as the systems of record returned them'),
  texts: z.array(z.string()).describe("The submitter's texts: the original and each clarification"),
}));
/** The evidence of a pending approval. */
export type ApprovalEvidence = z.infer<typeof approvalEvidence>;

/** The action waiting for approval, as the workflow holds it. */
const pendingApprovalState = z.object({
  action: actionCommitment,
  evidence: approvalEvidence.optional(),
  actionDigest: z.string(),
  requiredApprovals: z.number(),
  group: z.string().nullable(),
  approvals: z.array(approvalRecord),
  requestedAt: z.string(),
  remindAt: z.string(),
  escalateAt: z.string(),
  expiresAt: z.string(),
  escalated: z.boolean(),
});
/** The action waiting for approval, exactly as it will execute. */
export type PendingApproval = z.infer<typeof pendingApprovalState>;

/**
 * Per-step state of an executed action, as the workflow writes it into `outcome.steps`. A type, not
 * a schema: the outcome stays open at run time (below), so outcomes recorded by older code still read.
 */
export interface StepRecord {
  id: string;
  tool: string;
  status: 'done' | 'failed' | 'compensated' | 'compensation_failed' | 'skipped';
  result?: unknown;
  error?: string;
}

/** The structured result of the executed actions: a reason code when refused or failed, the steps (StepRecord), per-type results. */
const outcome = component('Outcome', z.record(z.string(), z.unknown()).describe('The result of the executed actions: reasonCode when refused or failed, steps (id, tool, status, result, error) and results by step id'));

const clarificationRequest = z.object({ question: z.string(), missingFields: z.array(z.string()), reasonCode: z.string(), round: z.number() });

/** The workflow's state, as its `getProblem` query returns it: the one definition the API and the workflow share. */
const problemState = z.object({
  id: z.string(),
  status: problemStatus,
  type: problemTypeName.nullable(),
  customerId: z.string().nullable(),
  channel: z.string(),
  submittedBy: z.string(),
  entities: problemEntities.nullable(),
  decision: decisionRecord.nullable(),
  outcome: outcome.nullable(),
  clarification: clarificationRequest.nullable(),
  approval: pendingApprovalState.nullable(),
  usage: z.object({ llmCalls: z.number(), promptTokens: z.number(), completionTokens: z.number() }),
  createdAt: z.string(),
  updatedAt: z.string(),
});
/** The workflow's state, returned by the `getProblem` query. */
export type ProblemState = z.infer<typeof problemState>;

/** A problem as the API shows it: final outcome and reason codes, never model text; the pending action without the workflow's reminder time and evidence. */
export const problemView = component('Problem', problemState.extend({
  approval: pendingApprovalState.omit({ remindAt: true, evidence: true }).extend({ action: actionSchema }).nullable(),
}));

export const submitProblemResponse = component('SubmittedProblem', z.object({
  id: z.string(),
  status: problemStatus,
  links: z.object({ self: z.string(), audit: z.string() }),
}));

/** A page cursor as this API issues them (base64url segments); ASCII-only keeps URLs short. */
const pageCursor = z.string().max(1024).regex(/^[A-Za-z0-9_.-]+$/, 'not a cursor returned by this API');

export const listProblemsQuery = z.object({
  status: problemStatus.optional(),
  type: z.string().regex(/^[a-z_]{1,64}$/).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: pageCursor.optional(),
});

export const problemSummary = component('ProblemSummary', z.object({
  id: z.string(),
  status: z.string().nullable(),
  type: problemTypeName.nullable(),
  customerId: z.string().nullable(),
  submittedBy: z.string().nullable(),
  requiresApproval: z.boolean().nullable(),
  createdAt: z.string().nullable(),
  closedAt: z.string().nullable(),
}));

export const listProblemsResponse = component('ProblemPage', z.object({ items: z.array(problemSummary), nextCursor: z.string().nullable() }));

export const clarificationBody = component('Clarification', z.strictObject({ text: z.string().trim().min(1).max(4000) }));

export const approvalBody = component('ApprovalDecision', z.strictObject({
  decision: z.enum(['approve', 'reject']),
  actionDigest: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'actionDigest must be sha256:<64 hex>'),
  comment: z.string().trim().max(1000).optional(),
}));

export const pendingApprovalsQuery = z.object({
  status: z.literal('pending').default('pending'),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: pageCursor.optional(),
});

export const pendingApproval = component('PendingApproval', z.object({
  problemId: z.string(),
  type: problemTypeName.nullable(),
  action: actionSchema,
  actionDigest: z.string(),
  requiredApprovals: z.number(),
  group: z.string().nullable(),
  approvals: z.array(approvalRecord),
  submittedBy: z.string(),
  requestedAt: z.string(),
  escalateAt: z.string().describe('When the request escalates to the escalation group (time left = escalateAt - now)'),
  expiresAt: z.string().describe('When the request is auto-rejected with approval_timeout'),
  escalated: z.boolean().describe('True once escalated: members of the escalation group may approve too'),
  evidence: approvalEvidence.nullable(),
}));

/** The pending approval a waiting workflow publishes in its memo (what `GET /v1/approvals` lists). */
export const pendingApprovalMemo = pendingApproval.extend({ evidence: approvalEvidence.optional(), escalateAt: z.string(), submittedBy: z.string() });

export const pendingApprovalsResponse = component('PendingApprovalPage', z.object({ items: z.array(pendingApproval), nextCursor: z.string().nullable() }));

/** The one error body of every route: a stable `code`, a message for people, and details (e.g. validation issues). */
export const errorResponse = component('Error', z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.array(z.unknown()) }),
}));

export const meResponse = component('Me', z.object({ principal: z.string(), roles: z.array(z.string()), groups: z.array(z.string()) }));

const auditStepBase = { at: z.string(), eventId: z.number().int() };
const activityOutcome = z.enum(['completed', 'failed', 'timed_out', 'canceled']);
const failureSummary = z.object({ type: z.string().nullable(), reasonCode: z.string().nullable() });

/**
 * One audit step, reconstructed from the workflow's history. Unknown fields are stripped on
 * the way out, so nothing but these fields (never user text or model output) leaves the API.
 */
export const auditStep = component('AuditStep', z.discriminatedUnion('kind', [
  z.object({
    ...auditStepBase,
    kind: z.literal('extraction'),
    round: z.number().int(),
    summary: z.string().nullable(),
    outcome: activityOutcome,
    attempts: z.number().int(),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    usage: z.object({ modelCalls: z.number(), promptTokens: z.number(), completionTokens: z.number(), latencyMs: z.number() }).nullable(),
    repairAttempts: z.number().int().nullable(),
    validation: z.enum(['valid', 'clarify', 'failed']),
    type: problemTypeName.nullable(),
    entities: z.record(z.string(), z.unknown()).optional().describe('Validated claims only'),
    reasonCode: z.string().optional(),
    missingFields: z.array(z.string()).optional(),
    failure: failureSummary.optional(),
  }),
  z.object({
    ...auditStepBase,
    kind: z.literal('verification'),
    fact: z.string(),
    source: z.string().describe('The tool (system of record lookup) the fact came from'),
    idempotencyKey: z.string().nullable(),
    attempts: z.number().int(),
    outcome: activityOutcome,
    value: z.unknown().optional(),
    failure: failureSummary.optional(),
  }),
  z.object({
    ...auditStepBase,
    kind: z.literal('decision'),
    type: problemTypeName,
    action: z.string().nullable(),
    ruleId: z.string().nullable(),
    reasonCode: z.string().nullable(),
    policyVersion: z.string().nullable(),
    inputDigest: z.string().nullable(),
    verifiedFacts: z.array(z.string()),
    requiresApproval: z.boolean(),
    approval: z.object({ requiredApprovals: z.number().int(), group: z.string().nullable(), actionDigest: z.string() }).optional(),
    plannedSteps: z.array(z.object({ id: z.string(), tool: z.string() })).optional(),
    source: z.enum(['event', 'recorded', 'recomputed', 'unavailable']),
    buildId: z.string().nullable(),
    recomputedMatches: z.boolean().nullable(),
  }),
  z.object({
    ...auditStepBase,
    kind: z.literal('approval'),
    principal: z.string(),
    decision: z.enum(['approve', 'reject']),
    actionDigest: z.string(),
    comment: z.string().optional(),
    completedAt: z.string().optional(),
  }),
  z.object({
    ...auditStepBase,
    kind: z.literal('clarification'),
    event: z.enum(['requested', 'answered']),
    round: z.number().int().optional(),
    reasonCode: z.string().optional(),
    missingFields: z.array(z.string()).optional(),
    principal: z.string().optional(),
    answerLength: z.number().int().optional(),
  }),
  ...(['tool', 'compensation'] as const).map((kind) =>
    z.object({
      ...auditStepBase,
      kind: z.literal(kind),
      tool: z.string(),
      stepId: z.string().nullable(),
      summary: z.string().nullable(),
      idempotencyKey: z.string().nullable(),
      attempts: z.number().int(),
      outcome: activityOutcome,
      result: z.unknown().optional(),
      failure: failureSummary.optional(),
    }),
  ),
  z.object({ ...auditStepBase, kind: z.literal('timer'), summary: z.string().nullable(), durationMs: z.number().nullable(), startedAt: z.string().nullable() }),
  z.object({ ...auditStepBase, kind: z.literal('status'), status: z.string(), reasonCode: z.string().optional() }),
]));

export const auditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(200),
  cursor: z.string().max(256).optional(),
});

export const auditResponse = component('Audit', z.object({
  id: z.string(),
  status: z.string().nullable(),
  closed: z.boolean(),
  steps: z.array(auditStep),
  nextCursor: z.string().nullable(),
}));

/** `GET /v1/policy`: the policy in force, every type's section resolved. */
export const policyResponse = component('CurrentPolicy', z.object({
  version: z.string(),
  policy: z.object({
    version: z.string(),
    approvalTiming: z.object({ remindAfterMs: z.number(), escalateAfterMs: z.number(), expireAfterMs: z.number(), escalationGroup: z.string() }),
    clarificationRounds: z.number(),
    clarificationTimeoutMs: z.number(),
    types: z.record(z.string(), z.unknown()),
  }).describe('The policy file\'s JSON with defaults filled in: edit it and send it back as a candidate'),
}));

/** Most past problems one simulation replays. */
export const SIMULATION_LIMIT_MAX = 10_000;

/** Body of `POST /v1/policy/simulations`. */
export const simulationBody = component('SimulationRequest', z.strictObject({
  policy: z.unknown().describe('A candidate policy file, validated exactly as POLICY_FILE is'),
  since: z.iso.datetime({ offset: true }).or(z.iso.date()).optional().describe('Problems started at or after this instant or date (default: 30 days ago)'),
  until: z.iso.datetime({ offset: true }).or(z.iso.date()).optional().describe('Problems started before this instant or date (default: now)'),
  types: z.array(z.string().min(1).max(64)).min(1).max(20).optional().describe('Only these problem types; each of their problems is reported in items'),
  limit: z.number().int().min(1).max(SIMULATION_LIMIT_MAX).default(1000).describe('Most problems replayed, most recent first'),
}));
/** A simulation request. */
export type SimulationBody = z.infer<typeof simulationBody>;

const decisionSummary = component('DecisionSummary', z.object({
  action: z.string(),
  reasonCode: z.string(),
  ruleId: z.string(),
  requiresApproval: z.boolean(),
  requiredApprovals: z.number().int(),
  amount: z.number().optional().describe('Money the action moves (sum of its steps\' amounts)'),
}));

const simulationTally = component('SimulationTally', z.object({
  evaluated: z.number().int(),
  changed: z.number().int(),
  skipped: z.number().int(),
  approvalsBefore: z.number().int(),
  approvalsAfter: z.number().int(),
  approvalsDelta: z.number().int(),
  requiredApprovalsDelta: z.number().int(),
  autoCreditedBefore: z.number(),
  autoCreditedAfter: z.number(),
  autoCreditedDelta: z.number(),
}));

/** Answer of `POST /v1/policy/simulations`. */
export const simulationResponse = component('Simulation', z.object({
  policyVersion: z.string(),
  baselineVersions: z.record(z.string(), z.number().int()).describe('Policy versions the replayed decisions were made under, with how many each'),
  baselineBuilds: z.record(z.string(), z.number().int()).describe('Worker builds that recorded those decisions, with how many each'),
  evaluated: z.number().int(),
  changed: z.number().int(),
  skipped: z.number().int(),
  matched: z.number().int().describe('Problems the window and types matched; more than `limit` means only the most recent were replayed'),
  mode: z.enum(['inline', 'workflow']),
  simulationId: z.string().nullable().describe('Workflow id of a simulation run as a Temporal workflow'),
  items: z.array(z.object({
    problemId: z.string(),
    type: z.string(),
    status: z.string(),
    baselineVersion: z.string(),
    buildId: z.string(),
    changed: z.boolean(),
    before: decisionSummary,
    after: decisionSummary,
  })),
  totals: simulationTally.omit({ evaluated: true, changed: true, skipped: true }).extend({
    byType: z.record(z.string(), simulationTally),
    skippedByReason: z.record(z.string(), z.number().int()),
  }),
}));
/** A simulation's answer. */
export type SimulationResponse = z.infer<typeof simulationResponse>;
