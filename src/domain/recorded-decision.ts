import type { Catalog } from './registry';
import type { Decision, Facts } from './types';

/** Everything a decision is made from: recorded in history with the decision. */
export interface DecisionInput {
  type: string;
  /** Claims as validated by the type's schema. */
  claims: Record<string, unknown>;
  /** Verified facts, keyed by lookup name. */
  facts: Facts;
  /** The type's section of the policy in force. */
  policy: unknown;
  policyVersion: string;
}

/**
 * A decision as recorded in history (the result of the `decide` local activity): its input, its
 * output, and the build that made it. Replay reads it back and never re-runs rule code; the audit
 * and the what-if simulation read it from history.
 */
export interface RecordedDecision {
  input: DecisionInput;
  /** The decision, or `null` when `decide()` threw (the problem then fails with `decision_error`). */
  decision: Decision | null;
  /** Deployment build id of the worker that decided (APP_VERSION). */
  buildId: string;
}

/**
 * Runs the registered type's pure `decide()` on recorded facts. A `decide()` that throws, or a type
 * that is not registered, gives `decision: null`: the workflow fails the problem with
 * `decision_error` instead of failing its workflow task forever.
 */
export function runDecision(catalog: Catalog, input: DecisionInput, buildId: string): RecordedDecision {
  const problemType = catalog.get(input.type);
  let decision: Decision | null = null;
  try {
    const claims = problemType?.claims.parse(input.claims);
    if (problemType && claims) decision = problemType.decide({ claims, facts: input.facts }, problemType.policy.parse(input.policy));
  } catch {
    decision = null;
  }
  return { input, decision, buildId };
}
