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
}

/** One approver's recorded decision. */
export interface ApprovalRecord {
  principal: string;
  decision: 'approve' | 'reject';
  comment?: string;
  at: string;
  actionDigest: string;
}

/** The action waiting for approval, exactly as it will execute. */
export interface PendingApproval {
  action: { type: string; name: string; steps: { id: string; tool: string; input: Record<string, unknown> }[] };
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
