import { z } from 'zod';
import { PROBLEM_STATUSES } from '../../workflows/state';

/** Body of `POST /v1/problems`. */
export const submitProblemBody = z.strictObject({
  text: z.string().trim().min(1, 'text must not be empty').max(4000, 'text must be at most 4000 characters').describe('The problem in the submitter\'s words'),
  customerId: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._:-]+$/, 'customerId may contain letters, digits and . _ : -').optional(),
  channel: z.enum(['web', 'email', 'chat', 'api']).default('api'),
});
/** A submitted problem. */
export type SubmitProblemBody = z.infer<typeof submitProblemBody>;

export const problemIdParams = z.object({ id: z.string().regex(/^prb_[0-9A-Za-z]{10,40}$/, 'not a problem id') });

export const idempotencyHeaders = z.object({
  'idempotency-key': z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'Idempotency-Key must be printable ASCII without spaces').optional(),
});

export const problemStatus = z.enum(PROBLEM_STATUSES);

export const decisionSchema = z.object({
  action: z.string(),
  reasonCode: z.string(),
  requiresApproval: z.boolean(),
  ruleId: z.string(),
  policyVersion: z.string(),
  inputDigest: z.string(),
  verifiedFacts: z.array(z.string()),
  /** The worker build whose rules decided (absent for problems decided before decisions were recorded). */
  buildId: z.string().optional(),
});

const approvalRecord = z.object({
  principal: z.string(),
  decision: z.enum(['approve', 'reject']),
  comment: z.string().optional(),
  at: z.string(),
  actionDigest: z.string(),
});

const committedCall = z.object({ id: z.string(), tool: z.string(), input: z.record(z.string(), z.unknown()) });

/** Everything an approval commits to; the action digest is over exactly this. */
export const actionSchema = z.object({
  problemId: z.string().optional(),
  type: z.string(),
  name: z.string(),
  steps: z.array(committedCall.extend({ compensation: committedCall.optional() })),
  followUp: z.object({ afterMs: z.number(), steps: z.array(committedCall) }).nullable().optional(),
  requiredApprovals: z.number().optional(),
  group: z.string().nullable().optional(),
  policyVersion: z.string().optional(),
  beneficiary: z.object({ accountIds: z.array(z.string()), employeeIds: z.array(z.string()) }).optional().describe('Who the action benefits; they cannot approve it'),
}).describe('The commitment an approval is for (fields other than type, name and steps are absent on problems that started before they were recorded)');

/** What an approver sees besides the action: the verified facts the rule read and why it decided so. */
export const approvalEvidence = z.object({
  ruleId: z.string(),
  reasonCode: z.string(),
  facts: z.record(z.string(), z.unknown()).describe('Verified facts as the systems of record returned them'),
  texts: z.array(z.string()).describe("The submitter's texts: the original and each clarification"),
});

/** A problem as the API shows it: final outcome and reason codes, never model text. */
export const problemView = z.object({
  id: z.string(),
  status: problemStatus,
  type: z.string().nullable(),
  customerId: z.string().nullable(),
  channel: z.string(),
  submittedBy: z.string(),
  entities: z.record(z.string(), z.unknown()).nullable(),
  decision: decisionSchema.nullable(),
  outcome: z.record(z.string(), z.unknown()).nullable(),
  clarification: z.object({ question: z.string(), missingFields: z.array(z.string()), reasonCode: z.string(), round: z.number() }).nullable(),
  approval: z
    .object({
      action: actionSchema,
      actionDigest: z.string(),
      requiredApprovals: z.number(),
      group: z.string().nullable(),
      approvals: z.array(approvalRecord),
      requestedAt: z.string(),
      expiresAt: z.string(),
      escalateAt: z.string(),
      escalated: z.boolean(),
    })
    .nullable(),
  usage: z.object({ llmCalls: z.number(), promptTokens: z.number(), completionTokens: z.number() }),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const submitProblemResponse = z.object({
  id: z.string(),
  status: problemStatus,
  links: z.object({ self: z.string(), audit: z.string() }),
});

/** A page cursor as this API issues them (base64url segments); ASCII-only keeps URLs short. */
const pageCursor = z.string().max(1024).regex(/^[A-Za-z0-9_.-]+$/, 'not a cursor returned by this API');

export const listProblemsQuery = z.object({
  status: problemStatus.optional(),
  type: z.string().regex(/^[a-z_]{1,64}$/).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: pageCursor.optional(),
});

export const problemSummary = z.object({
  id: z.string(),
  status: z.string().nullable(),
  type: z.string().nullable(),
  customerId: z.string().nullable(),
  submittedBy: z.string().nullable(),
  requiresApproval: z.boolean().nullable(),
  createdAt: z.string().nullable(),
  closedAt: z.string().nullable(),
});

export const listProblemsResponse = z.object({ items: z.array(problemSummary), nextCursor: z.string().nullable() });

export const clarificationBody = z.strictObject({ text: z.string().trim().min(1).max(4000) });

export const approvalBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  actionDigest: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'actionDigest must be sha256:<64 hex>'),
  comment: z.string().trim().max(1000).optional(),
});

export const pendingApprovalsQuery = z.object({
  status: z.literal('pending').default('pending'),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: pageCursor.optional(),
});

export const pendingApproval = z.object({
  problemId: z.string(),
  type: z.string().nullable(),
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
});

/** The pending approval a waiting workflow publishes in its memo (what `GET /v1/approvals` lists). */
export const pendingApprovalMemo = pendingApproval.extend({ evidence: approvalEvidence.optional(), escalateAt: z.string(), submittedBy: z.string() });

export const pendingApprovalsResponse = z.object({ items: z.array(pendingApproval), nextCursor: z.string().nullable() });

export const errorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.array(z.unknown()) }),
});

export const meResponse = z.object({ principal: z.string(), roles: z.array(z.string()), groups: z.array(z.string()) });

const auditStepBase = { at: z.string(), eventId: z.number().int() };
const activityOutcome = z.enum(['completed', 'failed', 'timed_out', 'canceled']);
const failureSummary = z.object({ type: z.string().nullable(), reasonCode: z.string().nullable(), message: z.string().optional() });

/**
 * One audit step, reconstructed from the workflow's history. Unknown fields are stripped on
 * the way out, so nothing but these fields (never user text or model output) leaves the API.
 */
export const auditStep = z.discriminatedUnion('kind', [
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
    type: z.string().nullable(),
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
    type: z.string(),
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
]);

export const auditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(200),
  cursor: z.string().max(256).optional(),
});

export const auditResponse = z.object({
  id: z.string(),
  status: z.string().nullable(),
  closed: z.boolean(),
  steps: z.array(auditStep),
  nextCursor: z.string().nullable(),
});
