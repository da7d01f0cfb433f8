/**
 * The running totals of a policy simulation and how pages of it add up. Kept apart from
 * policy-simulation.ts because the simulation workflow merges pages in its sandbox: this module
 * imports nothing, so the workflow bundle evaluates no schema or rule code for it.
 */

/** Counts of one type (or of all): money in rupees, computed in paise. */
export interface SimulationTally {
  evaluated: number;
  changed: number;
  skipped: number;
  /** Problems that need at least one approval, before and after. */
  approvalsBefore: number;
  approvalsAfter: number;
  /** `approvalsAfter − approvalsBefore`: approvals added (positive) or removed (negative). */
  approvalsDelta: number;
  /** Approvals people would give in all (a two-approval action counts two), after minus before. */
  requiredApprovalsDelta: number;
  /** Money moved without approval, before and after. */
  autoCreditedBefore: number;
  autoCreditedAfter: number;
  /** `autoCreditedAfter − autoCreditedBefore`: money the candidate moves automatically that needed a person before (or the reverse). */
  autoCreditedDelta: number;
}

/** Running totals of a simulation, in paise so pages add up exactly. */
export interface SimulationTotals {
  byType: Record<string, SimulationTally>;
  skippedByReason: Record<string, number>;
  baselineVersions: Record<string, number>;
  baselineBuilds: Record<string, number>;
}

/** A tally with nothing counted. */
export const emptyTally = (): SimulationTally => ({
  evaluated: 0, changed: 0, skipped: 0, approvalsBefore: 0, approvalsAfter: 0, approvalsDelta: 0,
  requiredApprovalsDelta: 0, autoCreditedBefore: 0, autoCreditedAfter: 0, autoCreditedDelta: 0,
});

/** Totals with nothing counted. */
export const emptyTotals = (): SimulationTotals => ({ byType: {}, skippedByReason: {}, baselineVersions: {}, baselineBuilds: {} });

/** Adds `by` to `counts[key]`. */
export const bump = (counts: Record<string, number>, key: string, by = 1) => void (counts[key] = (counts[key] ?? 0) + by);

/** Sums two partial totals (pages of one simulation). */
export function mergeTotals(a: SimulationTotals, b: SimulationTotals): SimulationTotals {
  // Copied by hand: workflow code merges pages, and its sandbox has no structuredClone.
  const out: SimulationTotals = {
    byType: Object.fromEntries(Object.entries(a.byType).map(([k, t]) => [k, { ...t }])),
    skippedByReason: { ...a.skippedByReason },
    baselineVersions: { ...a.baselineVersions },
    baselineBuilds: { ...a.baselineBuilds },
  };
  for (const [type, t] of Object.entries(b.byType)) {
    const into = (out.byType[type] ??= emptyTally());
    for (const key of Object.keys(t) as (keyof SimulationTally)[]) into[key] += t[key];
  }
  for (const [k, n] of Object.entries(b.skippedByReason)) bump(out.skippedByReason, k, n);
  for (const [k, n] of Object.entries(b.baselineVersions)) bump(out.baselineVersions, k, n);
  for (const [k, n] of Object.entries(b.baselineBuilds)) bump(out.baselineBuilds, k, n);
  return out;
}
