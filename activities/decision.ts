import { log } from '@temporalio/activity';
import { runDecision, type DecisionInput, type RecordedDecision } from '../src/domain/recorded-decision';
import type { Catalog } from '../src/domain/registry';
import type { Facts } from '../src/domain/types';
import { planVerification, type VerificationPlan } from '../src/domain/verification-plan';

/**
 * The rules, run by the worker as local activities so each result is recorded in history:
 * replay reads the recorded plan and decision and never runs rule code again, and workflow code
 * never evaluates the catalog.
 */
export function createDecisionActivities(deps: { catalog: Catalog; buildId: string }) {
  return {
    /** Validates the extracted claims and plans the next stage of lookups. */
    planVerification: async (request: { type: string; claims: unknown; facts: Facts }): Promise<VerificationPlan> => planVerification(deps.catalog, request),
    /** Decides once over the verified facts and the policy in force; recorded with its input and build. */
    decide: async (input: DecisionInput): Promise<RecordedDecision> => {
      const { error, ...recorded } = runDecision(deps.catalog, input, deps.buildId);
      if (error) log.error('decide() failed; the problem ends with decision_error', { type: input.type, error });
      return recorded;
    },
  };
}
