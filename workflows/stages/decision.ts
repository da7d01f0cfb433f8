/**
 * Decision stage: verified facts and the policy in force go to the rules (the worker's recorded
 * `decide` step); what the problem shows of the decision is derived here.
 */
import { digestOf } from '../../src/domain/digest';
import type { RecordedDecision } from '../../src/domain/recorded-decision';
import type { Decision } from '../../src/domain/types';
import type { DecisionRecord } from '../state';

/** The decision as the problem's status shows it: codes, policy version, input digest, fact names and build. */
export function decisionRecordOf(made: RecordedDecision & { decision: Decision }, withBuildId: boolean): DecisionRecord {
  const { input, decision } = made;
  return {
    action: decision.action,
    reasonCode: decision.reasonCode,
    requiresApproval: decision.kind === 'execute' && decision.approval !== undefined,
    ruleId: decision.ruleId,
    policyVersion: input.policyVersion,
    inputDigest: digestOf({ type: input.type, claims: input.claims, facts: input.facts, policyVersion: input.policyVersion }),
    verifiedFacts: Object.keys(input.facts).sort(),
    ...(withBuildId ? { buildId: made.buildId } : {}),
  };
}

/** Whether a recorded decision has an outcome (the rules did not throw). */
export const hasDecision = (made: RecordedDecision): made is RecordedDecision & { decision: Decision } => made.decision !== null;
