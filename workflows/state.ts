/** Problem statuses, as in the external contract. */
export const PROBLEM_STATUSES = [
  'received',
  'extracting',
  'needs_clarification',
  'awaiting_approval',
  'executing',
  'active',
  'completed',
  'rejected',
  'failed',
] as const;
/** A problem's status. */
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

/**
 * Statuses after which nothing more happens to a problem's decision. `active` is not one: an
 * action is in effect and its follow-up (e.g. revoking access) is still due.
 */
export const FINAL_STATUSES: readonly ProblemStatus[] = ['completed', 'rejected', 'failed'];

/** The decision as the API shows it: outcome and reason codes, never reasoning. */
export interface DecisionRecord {
  action: string;
  reasonCode: string;
  requiresApproval: boolean;
  ruleId: string;
  policyVersion: string;
  /** Digest over type, claims, verified facts and policy version: what the rule saw. */
  inputDigest: string;
  /** Names of the verified facts (tool lookups) the rule used. */
  verifiedFacts: string[];
  /** The worker build whose rules decided; absent for problems decided before decisions were recorded. */
  buildId?: string;
}

/** One approver's recorded decision. */
export interface ApprovalRecord {
  principal: string;
  decision: 'approve' | 'reject';
  comment?: string;
  at: string;
  actionDigest: string;
}

/** A tool call of an action as approvers see it and the digest covers it. */
export interface CommittedCall {
  id: string;
  tool: string;
  input: Record<string, unknown>;
}

/**
 * Everything an approval commits to, exactly as it will execute; the action digest is over all of it,
 * so an approval of one commitment can never approve another.
 */
export interface ActionCommitment {
  problemId: string;
  type: string;
  name: string;
  steps: (CommittedCall & { compensation?: CommittedCall })[];
  followUp: { afterMs: number; steps: CommittedCall[] } | null;
  requiredApprovals: number;
  group: string | null;
  policyVersion: string;
  /** Who the action benefits (step inputs `accountId` and `employeeId`): they never approve it. */
  beneficiary: { accountIds: string[]; employeeIds: string[] };
}

/** What the approver is shown besides the action: the facts the rule read and why it decided so. */
export interface ApprovalEvidence {
  ruleId: string;
  reasonCode: string;
  /** The verified facts, as the systems of record returned them. */
  facts: Record<string, unknown>;
  /** The submitter's texts, original and clarifications, in order. */
  texts: string[];
}

/** The action waiting for approval, exactly as it will execute. */
export interface PendingApproval {
  action: ActionCommitment;
  evidence?: ApprovalEvidence;
  actionDigest: string;
  requiredApprovals: number;
  group: string | null;
  approvals: ApprovalRecord[];
  requestedAt: string;
  remindAt: string;
  escalateAt: string;
  expiresAt: string;
  escalated: boolean;
}

/** Per-step state of an executed action. */
export interface StepRecord {
  id: string;
  tool: string;
  status: 'done' | 'failed' | 'compensated' | 'compensation_failed' | 'skipped';
  result?: unknown;
  error?: string;
}

/** The workflow's state, returned by the `getProblem` query. */
export interface ProblemState {
  id: string;
  status: ProblemStatus;
  type: string | null;
  customerId: string | null;
  channel: string;
  submittedBy: string;
  entities: Record<string, unknown> | null;
  decision: DecisionRecord | null;
  outcome: Record<string, unknown> | null;
  clarification: { question: string; missingFields: string[]; reasonCode: string; round: number } | null;
  approval: PendingApproval | null;
  usage: { llmCalls: number; promptTokens: number; completionTokens: number };
  createdAt: string;
  updatedAt: string;
}
