/**
 * Pure helpers of "re-verify before effect" (workflow code: deterministic, no I/O): whether a
 * re-decided action is the one approved, how a step's input is completed when it runs, and
 * how long to back off after a system of record refused a stale concurrency token.
 */
import { digestOf } from '../src/domain/digest';
import type { ActionStep, Decision } from '../src/domain/types';

type Execute = Extract<Decision, { kind: 'execute' }>;

/** Patch ids (`patched()`): histories recorded before these changes replay on the old path. */
export const PATCHES = {
  /** Facts are read again (and the policy reloaded) after an approval wait, before the effect. */
  reverifyBeforeEffect: 'reverify-before-effect',
  /** The policy is reloaded after a clarification round: the one in force at decision time is recorded. */
  policyAtDecision: 'policy-at-decision',
  /** A scoped principal's problem is checked against the accounts it touches. */
  accountScope: 'account-scope',
  /** A follow-up (e.g. revoking access) keeps the problem `active` until it is done. */
  activeFollowUp: 'active-follow-up',
} as const;

/** Tool refusals that mean "your facts are stale": re-verify and re-decide instead of failing. */
export const STALE_FACTS_CODES: readonly string[] = ['ledger_version_conflict'];

/** How many times one problem re-decides after stale-fact refusals before it fails with `ledger_contention`. */
export const MAX_STALE_RETRIES = 10;

/**
 * What an approval covers: action, rule, approval requirement and each step's tool and input,
 * without the steps' concurrency guards. A re-decided action with the same key needs no new
 * approval; any other change does.
 */
export function approvalKeyOf(decision: Execute): string {
  return digestOf({
    action: decision.action,
    approval: decision.approval ?? null,
    steps: decision.steps.map((s) => ({ id: s.id, tool: s.tool, input: s.input })),
  });
}

/** A step's input as it runs: its decided input, fields from earlier results (`inputFrom`), then its guard. */
export function runtimeInputOf(step: Pick<ActionStep, 'input' | 'guard' | 'inputFrom'>, results: Record<string, unknown>): Record<string, unknown> {
  const from = Object.fromEntries(
    Object.entries(step.inputFrom ?? {}).map(([field, ref]) => [field, (results[ref.step] as Record<string, unknown> | undefined)?.[ref.key]]),
  );
  return { ...step.input, ...from, ...(step.guard ?? {}) };
}

/** Back-off before re-deciding after the n-th stale refusal (n from 1): exponential, capped, jittered by `random` in [0,1). */
export function staleBackoffMs(n: number, random: number): number {
  const base = Math.min(8_000, 250 * 2 ** (n - 1));
  return Math.round(base / 2 + (base / 2) * random);
}
