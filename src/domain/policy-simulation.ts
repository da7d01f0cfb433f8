import { toPaise } from './money';
import { runDecision, type RecordedDecision } from './recorded-decision';
import type { Catalog } from './registry';
import { bump, emptyTally, type SimulationTally, type SimulationTotals } from './simulation-totals';
import type { Decision } from './types';

/** A decision as the what-if compares it: what it does, why, and what it needs from people. */
export interface DecisionSummary {
  action: string;
  reasonCode: string;
  ruleId: string;
  requiresApproval: boolean;
  requiredApprovals: number;
  /** Money the action moves: the sum of its steps' `amount` inputs (a credit's amount); absent when none. */
  amount?: number;
}

/** Why a past problem could not be replayed over the candidate policy. */
export type SkipReason =
  /** No `decide` marker in its history: decided before decisions were recorded, or failed before deciding (e.g. verification). */
  | 'decision_not_recorded'
  /** Its last recorded decision failed (`decision_error`): there is nothing to compare. */
  | 'decision_failed'
  /** Today's rule code, given the recorded input and policy, decides otherwise: a diff would mix code and policy changes. */
  | 'code_changed_since_decision'
  /** Its type is no longer registered. */
  | 'type_not_registered';

/** One past problem replayed over the candidate policy. */
export type SimulatedProblem =
  | {
      problemId: string;
      type: string;
      status: string;
      /** Policy version and worker build of the recorded decision. */
      baselineVersion: string;
      buildId: string;
      before: DecisionSummary;
      after: DecisionSummary;
      changed: boolean;
    }
  | { problemId: string; type: string; status: string; skipped: SkipReason };

/** A problem of the visibility page, with its last recorded decision (`null` when none was recorded). */
export interface PastProblem {
  problemId: string;
  type: string;
  status: string;
  recorded: RecordedDecision | null;
}

/** The candidate: a resolved policy's version and per-type sections. */
export interface CandidatePolicy {
  version: string;
  types: Record<string, unknown>;
}

/** Money moved by a decision's steps, in paise. */
function amountPaise(decision: Extract<Decision, { kind: 'execute' }>): number | undefined {
  const amounts = decision.steps.map((s) => s.input.amount).filter((a): a is number => typeof a === 'number');
  return amounts.length === 0 ? undefined : amounts.reduce((sum, a) => sum + toPaise(a), 0);
}

/** The comparable summary of a decision. */
export function summarizeDecision(decision: Decision): DecisionSummary {
  const base = { action: decision.action, reasonCode: decision.reasonCode, ruleId: decision.ruleId };
  if (decision.kind !== 'execute') return { ...base, requiresApproval: false, requiredApprovals: 0 };
  const paise = amountPaise(decision);
  const requiredApprovals = decision.approval?.requiredApprovals ?? 0;
  return { ...base, requiresApproval: requiredApprovals > 0, requiredApprovals, ...(paise === undefined ? {} : { amount: paise / 100 }) };
}

const sameSummary = (a: DecisionSummary, b: DecisionSummary) =>
  a.action === b.action && a.reasonCode === b.reasonCode && a.ruleId === b.ruleId && a.requiredApprovals === b.requiredApprovals && a.amount === b.amount;

/**
 * Replays one past problem: `before` is its last recorded decision, `after` today's rule code over
 * the same recorded input (claims, verified facts, scope) with the candidate's section of its type.
 * Today's code is first run over the recorded policy: when that no longer gives the recorded
 * decision, the problem is skipped, so every change reported is the policy's.
 */
export function simulateProblem(catalog: Catalog, problem: PastProblem, candidate: CandidatePolicy): SimulatedProblem {
  const { problemId, type, status, recorded } = problem;
  const skip = (skipped: SkipReason): SimulatedProblem => ({ problemId, type, status, skipped });
  if (!recorded) return skip('decision_not_recorded');
  if (!recorded.decision) return skip('decision_failed');
  if (!catalog.get(recorded.input.type) || !(recorded.input.type in candidate.types)) return skip('type_not_registered');
  const before = summarizeDecision(recorded.decision);
  const reproduced = runDecision(catalog, recorded.input, recorded.buildId).decision;
  if (!reproduced || !sameSummary(summarizeDecision(reproduced), before)) return skip('code_changed_since_decision');
  const input = { ...recorded.input, policy: candidate.types[recorded.input.type], policyVersion: candidate.version };
  const decided = runDecision(catalog, input, recorded.buildId).decision;
  if (!decided) return skip('decision_failed');
  const after = summarizeDecision(decided);
  return { problemId, type, status, baselineVersion: recorded.input.policyVersion, buildId: recorded.buildId, before, after, changed: !sameSummary(before, after) };
}

const automaticPaise = (d: DecisionSummary) => (d.requiredApprovals === 0 && d.amount !== undefined ? toPaise(d.amount) : 0);

/** Adds one simulated problem to the totals (money held in paise until {@link finishTotals}). */
export function addToTotals(totals: SimulationTotals, result: SimulatedProblem): SimulationTotals {
  const tally = (totals.byType[result.type] ??= emptyTally());
  if ('skipped' in result) {
    tally.skipped += 1;
    bump(totals.skippedByReason, result.skipped);
    return totals;
  }
  tally.evaluated += 1;
  if (result.changed) tally.changed += 1;
  tally.approvalsBefore += result.before.requiresApproval ? 1 : 0;
  tally.approvalsAfter += result.after.requiresApproval ? 1 : 0;
  tally.requiredApprovalsDelta += result.after.requiredApprovals - result.before.requiredApprovals;
  tally.autoCreditedBefore += automaticPaise(result.before);
  tally.autoCreditedAfter += automaticPaise(result.after);
  bump(totals.baselineVersions, result.baselineVersion);
  bump(totals.baselineBuilds, result.buildId);
  return totals;
}

/** What the API answers about the totals: per type and overall, money in rupees. */
export interface SimulationSummary {
  evaluated: number;
  changed: number;
  skipped: number;
  baselineVersions: Record<string, number>;
  baselineBuilds: Record<string, number>;
  totals: Omit<SimulationTally, 'evaluated' | 'changed' | 'skipped'> & { byType: Record<string, SimulationTally>; skippedByReason: Record<string, number> };
}

const rupees = (t: SimulationTally): SimulationTally => ({
  ...t,
  approvalsDelta: t.approvalsAfter - t.approvalsBefore,
  autoCreditedBefore: t.autoCreditedBefore / 100,
  autoCreditedAfter: t.autoCreditedAfter / 100,
  autoCreditedDelta: (t.autoCreditedAfter - t.autoCreditedBefore) / 100,
});

/** Final figures from running totals: deltas computed, paise turned into rupees. */
export function finishTotals(totals: SimulationTotals): SimulationSummary {
  const all = Object.values(totals.byType).reduce((sum, t) => {
    for (const key of Object.keys(t) as (keyof SimulationTally)[]) sum[key] += t[key];
    return sum;
  }, emptyTally());
  const { evaluated, changed, skipped, ...overall } = rupees(all);
  return {
    evaluated,
    changed,
    skipped,
    baselineVersions: totals.baselineVersions,
    baselineBuilds: totals.baselineBuilds,
    totals: { ...overall, byType: Object.fromEntries(Object.entries(totals.byType).map(([k, t]) => [k, rupees(t)])), skippedByReason: totals.skippedByReason },
  };
}

/** Whether a simulated problem belongs in the answer's `items`: every change, plus every problem of the types asked for. */
export function isReported(result: SimulatedProblem, types: readonly string[] | undefined): boolean {
  if ('skipped' in result) return false;
  return result.changed || (types?.includes(result.type) ?? false);
}
