/**
 * Shapes of the public API's responses (docs/API.md, ../shared contract). The console is an
 * ordinary client of that API: it imports nothing from the server code.
 */

/** Problem statuses of the contract. */
export const STATUSES = ['received', 'extracting', 'needs_clarification', 'awaiting_approval', 'executing', 'active', 'completed', 'rejected', 'failed'] as const;
/** A problem's status. */
export type Status = (typeof STATUSES)[number];
/** Statuses after which a problem no longer changes. */
export const FINAL_STATUSES: readonly string[] = ['completed', 'rejected', 'failed'];

/** `GET /v1/me`. */
export interface Me {
  principal: string;
  roles: string[];
  groups: string[];
}

/** The decision the rules took. */
export interface Decision {
  action: string;
  reasonCode: string;
  requiresApproval: boolean;
  ruleId?: string;
  policyVersion?: string;
  inputDigest?: string;
  verifiedFacts?: string[];
}

/** One approver's recorded decision. */
export interface ApprovalRecord {
  principal: string;
  decision: 'approve' | 'reject';
  comment?: string;
  at: string;
  actionDigest: string;
}

/** The exact action that runs once approved. */
export interface Action {
  type: string;
  name: string;
  steps: { id: string; tool: string; input: Record<string, unknown> }[];
}

/** `GET /v1/problems/:id`. */
export interface Problem {
  id: string;
  status: Status;
  type: string | null;
  customerId?: string | null;
  channel?: string;
  submittedBy?: string;
  entities: Record<string, unknown> | null;
  decision: Decision | null;
  outcome: Record<string, unknown> | null;
  clarification?: { question: string; missingFields: string[]; reasonCode: string; round: number } | null;
  approval?: {
    action: Action;
    actionDigest: string;
    requiredApprovals: number;
    group: string | null;
    approvals: ApprovalRecord[];
    requestedAt: string;
    expiresAt: string;
    escalateAt: string;
    escalated: boolean;
  } | null;
  createdAt: string;
  updatedAt: string;
}

/** `POST /v1/problems` (202). */
export interface Submitted {
  id: string;
  status: Status;
}

/** One row of `GET /v1/problems`. */
export interface ProblemSummary {
  id: string;
  status: string | null;
  type: string | null;
  customerId: string | null;
  submittedBy: string | null;
  requiresApproval: boolean | null;
  createdAt: string | null;
  closedAt: string | null;
}

/** A page of a list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** One row of `GET /v1/approvals`. */
export interface PendingApproval {
  problemId: string;
  type: string | null;
  action: Action;
  actionDigest: string;
  requiredApprovals: number;
  group?: string | null;
  approvals: ApprovalRecord[];
  submittedBy?: string;
  requestedAt: string;
  escalateAt?: string;
  expiresAt: string;
  evidence?: ApprovalEvidence | null;
}

/** What the approver is shown besides the action: the verified facts the rule read and why it decided so. */
export interface ApprovalEvidence {
  ruleId: string;
  reasonCode: string;
  facts: Record<string, unknown>;
  texts: string[];
}

/** One step of `GET /v1/problems/:id/audit`: `kind` and `at` always, the rest by kind. */
export interface AuditStep {
  kind: string;
  at: string;
  [field: string]: unknown;
}

/** `GET /v1/problems/:id/audit`. */
export interface Audit {
  id: string;
  status?: string | null;
  closed?: boolean;
  steps: AuditStep[];
  nextCursor?: string | null;
}

/** `GET /console/config.json`: deployment settings the API serves next to the console. */
export interface ConsoleConfig {
  temporalUiUrl: string;
  namespace: string;
}

/** `GET /v1/policy`: the policy in force, every type's section resolved. */
export interface CurrentPolicy {
  version: string;
  policy: { version: string; types: Record<string, unknown> } & Record<string, unknown>;
}

/** Body of `POST /v1/policy/simulations`. */
export interface SimulationRequest {
  policy: unknown;
  since?: string;
  until?: string;
  types?: string[];
  limit?: number;
}

/** One side of a replayed decision. */
export interface DecisionSummary {
  action: string;
  reasonCode: string;
  ruleId: string;
  requiresApproval: boolean;
  requiredApprovals: number;
  amount?: number;
}

/** Counts of a simulation, per type or overall. */
export interface SimulationTally {
  evaluated: number;
  changed: number;
  skipped: number;
  approvalsBefore: number;
  approvalsAfter: number;
  approvalsDelta: number;
  autoCreditedBefore: number;
  autoCreditedAfter: number;
  autoCreditedDelta: number;
}

/** `POST /v1/policy/simulations`: past decisions replayed over a candidate policy. */
export interface Simulation {
  policyVersion: string;
  baselineVersions: Record<string, number>;
  evaluated: number;
  changed: number;
  skipped: number;
  matched: number;
  mode: 'inline' | 'workflow';
  items: { problemId: string; type: string; status: string; changed: boolean; before: DecisionSummary; after: DecisionSummary }[];
  totals: Omit<SimulationTally, 'evaluated' | 'changed' | 'skipped'> & { byType: Record<string, SimulationTally>; skippedByReason: Record<string, number> };
}
