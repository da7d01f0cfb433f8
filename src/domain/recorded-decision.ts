import { checkAccountScope, accountsTouched } from './scope';
import type { Catalog } from './registry';
import type { ActionStep, Decision, Facts } from './types';
import { runOptionsOf } from './verification-plan';

/**
 * Everything a decision reads, recorded with it in history, so the decision can be audited as
 * made and run again over a candidate policy (what-if) without calling a tool or the model.
 */
export interface DecisionInput {
  problemId: string;
  /** The registered problem type. */
  type: string;
  /** Claims as validated by the type's schema. */
  claims: Record<string, unknown>;
  /** Verified facts: each lookup's result, keyed by the lookup's name. */
  facts: Facts;
  policyVersion: string;
  /** This type's policy section, as the policy file gave it (resolved by the type's schema when decided). */
  policy: unknown;
  /** The submitter's account scope; a scoped principal never acts on another account. */
  scope: {
    accounts?: string[];
    customerId?: string;
    /** Reason code of the clarification already asked, so a scope question is asked once. */
    askedReasonCode?: string | null;
  };
}

/**
 * A decision as an event: its input, its output and the build that made it. Produced by the
 * worker's `decide` local activity; replay reads it from the history and never re-runs rules.
 */
export interface RecordedDecision {
  input: DecisionInput;
  /** `null` when the type's `decide()` threw: the problem ends `failed` with `decision_error`. */
  decision: Decision | null;
  /** The worker build (deployment build id) whose rule code decided. */
  buildId: string;
}

/** Name of the local activity whose markers hold a problem's recorded decisions. */
export const DECIDE_ACTIVITY = 'decide';

/** Reason code of a problem whose type's `decide()` threw. */
export const DECISION_ERROR = 'decision_error';

/**
 * Scope before rules: a principal scoped to accounts never acts on another account; a text
 * naming an account other than the submission's customerId is asked about once, then refused.
 */
function scopeDecision(input: DecisionInput): Decision | null {
  const verdict = checkAccountScope({ accounts: input.scope.accounts, customerId: input.scope.customerId }, accountsTouched(input.claims, input.facts));
  if (!verdict) return null;
  if (verdict.kind === 'reject') return { kind: 'reject', action: 'reject', reasonCode: verdict.reasonCode, ruleId: 'SCOPE-01' };
  if (input.scope.askedReasonCode === verdict.reasonCode) return { kind: 'reject', action: 'reject', reasonCode: verdict.reasonCode, ruleId: 'SCOPE-02' };
  return {
    kind: 'clarify',
    action: 'clarify',
    reasonCode: verdict.reasonCode,
    ruleId: 'SCOPE-02',
    question: `This request names account ${verdict.accountId}, but it was submitted for ${input.scope.customerId}. Which account is it about?`,
    missingFields: ['accountId'],
  };
}

/** The decision with each step's scheduling options attached, so workflow code needs no catalog. */
function withRunOptions(catalog: Catalog, decision: Decision): Decision {
  if (decision.kind !== 'execute') return decision;
  const attach = (step: ActionStep): ActionStep => ({
    ...step,
    run: runOptionsOf(catalog, step.tool),
    ...(step.compensation ? { compensation: { ...step.compensation, run: runOptionsOf(catalog, step.compensation.tool) } } : {}),
  });
  return {
    ...decision,
    steps: decision.steps.map(attach),
    ...(decision.followUp ? { followUp: { ...decision.followUp, steps: decision.followUp.steps.map(attach) } } : {}),
  };
}

/**
 * Decides once: scope, then the type's pure `decide()` over claims, verified facts and the type's
 * policy section (a section recorded before it gained fields reads with today's defaults).
 * Never throws: a rule that throws (or plans a tool no type registered) is recorded as
 * `decision: null` with the error's message for the worker's log, never for the API.
 */
export function runDecision(catalog: Catalog, input: DecisionInput, buildId: string): RecordedDecision & { error?: string } {
  const problemType = catalog.get(input.type);
  if (!problemType) return { input, decision: null, buildId, error: `unknown problem type ${input.type}` };
  try {
    const section = problemType.policy.safeParse(input.policy);
    const decision = scopeDecision(input) ?? problemType.decide({ claims: input.claims, facts: input.facts }, section.success ? section.data : input.policy);
    return { input, decision: withRunOptions(catalog, decision), buildId };
  } catch (err) {
    return { input, decision: null, buildId, error: err instanceof Error ? err.message : String(err) };
  }
}
