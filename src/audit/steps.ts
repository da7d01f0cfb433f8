/**
 * Audit steps: what an auditor reads about one problem, reconstructed from its Temporal
 * history. Fields are whitelisted: never the user's text, prompts or raw model output.
 */

/** Common fields of every step. */
interface StepBase {
  /** Time of the history event the step was read from (ISO 8601). */
  at: string;
  /** Id of that event in the workflow history; steps are ordered by it. */
  eventId: number;
}

/** How an activity ended, as recorded in history. */
export type ActivityOutcome = 'completed' | 'failed' | 'timed_out' | 'canceled';

/** A failure, by type and reason code only: never its message, which is internal text (invariant 4). */
export interface FailureSummary {
  type: string | null;
  reasonCode: string | null;
}

/** One extraction (an `extractProblem` activity): provenance, cost and validation result. */
export interface ExtractionStep extends StepBase {
  kind: 'extraction';
  /** 1 for the first extraction, 2 after the first clarification, ... */
  round: number;
  summary: string | null;
  outcome: ActivityOutcome;
  /** Activity attempts Temporal made (retries of transient LLM errors). */
  attempts: number;
  provider: string | null;
  model: string | null;
  usage: { modelCalls: number; promptTokens: number; completionTokens: number; latencyMs: number } | null;
  /** Repair turns after output that failed validation. */
  repairAttempts: number | null;
  /** `valid`: claims of a registered type; `clarify`: the platform asked the user; `failed`: the activity failed. */
  validation: 'valid' | 'clarify' | 'failed';
  type: string | null;
  /** Validated claims (entities); present only when validation is `valid`. */
  entities?: Record<string, unknown>;
  reasonCode?: string;
  missingFields?: string[];
  failure?: FailureSummary;
}

/** One verified fact: a read-only tool lookup whose result the decision used. */
export interface VerificationStep extends StepBase {
  kind: 'verification';
  fact: string;
  /** The tool (system of record lookup) the fact came from. */
  source: string;
  idempotencyKey: string | null;
  attempts: number;
  outcome: ActivityOutcome;
  value?: unknown;
  failure?: FailureSummary;
}

/** The decision of the problem type's pure rule, recomputed from recorded claims, facts and policy. */
export interface DecisionStep extends StepBase {
  kind: 'decision';
  type: string;
  action: string | null;
  ruleId: string | null;
  reasonCode: string | null;
  policyVersion: string | null;
  /** Digest over type, claims, verified facts and policy version: what the rule saw. */
  inputDigest: string | null;
  verifiedFacts: string[];
  requiresApproval: boolean;
  approval?: { requiredApprovals: number; group: string | null; actionDigest: string };
  plannedSteps?: { id: string; tool: string }[];
  /**
   * `event`: the decision event itself (the worker's `decide` local activity), as made, with its
   * build id; for problems decided before decisions were recorded, `recorded`: taken from the
   * workflow's own result; `recomputed`: the current rule re-run on the recorded inputs (running
   * problems); `unavailable`: the type is no longer registered.
   */
  source: 'event' | 'recorded' | 'recomputed' | 'unavailable';
  /** The worker build whose rules decided (decision events only). */
  buildId: string | null;
  /** Whether the current rule, re-run on the recorded inputs, gives the recorded decision (null when not comparable). */
  recomputedMatches: boolean | null;
}

/** An approver's decision, from the accepted `submitApproval` update. */
export interface ApprovalStep extends StepBase {
  kind: 'approval';
  principal: string;
  decision: 'approve' | 'reject';
  actionDigest: string;
  comment?: string;
  /** When the update's handler finished (the action ran or was rejected). */
  completedAt?: string;
}

/** A clarification asked of the submitter, or their answer (whose text is never shown). */
export interface ClarificationStep extends StepBase {
  kind: 'clarification';
  event: 'requested' | 'answered';
  round?: number;
  reasonCode?: string;
  missingFields?: string[];
  principal?: string;
  /** Length of the answer in characters; the text itself stays out of the audit. */
  answerLength?: number;
}

/** A write tool call of the executed action (or of its follow-up). */
export interface ToolStep extends StepBase {
  kind: 'tool' | 'compensation';
  tool: string;
  stepId: string | null;
  summary: string | null;
  idempotencyKey: string | null;
  attempts: number;
  outcome: ActivityOutcome;
  result?: unknown;
  failure?: FailureSummary;
}

/** A durable timer that fired (approval reminder, escalation, expiry, clarification deadline, follow-up). */
export interface TimerStep extends StepBase {
  kind: 'timer';
  summary: string | null;
  durationMs: number | null;
  startedAt: string | null;
}

/** A status change, from the `ProblemStatus` search attribute (or the workflow's end). */
export interface StatusStep extends StepBase {
  kind: 'status';
  status: string;
  reasonCode?: string;
}

/** Any audit step. */
export type AuditStep = ExtractionStep | VerificationStep | DecisionStep | ApprovalStep | ClarificationStep | ToolStep | TimerStep | StatusStep;

/** Kinds of audit steps, as in the external contract. */
export const AUDIT_STEP_KINDS = ['extraction', 'verification', 'decision', 'approval', 'clarification', 'tool', 'compensation', 'timer', 'status'] as const;
