/**
 * Where a problem's rules run, seen from workflow code. Problems started by this build plan
 * their lookups and decide in the worker's `planVerification` and `decide` local activities, so
 * each result is an event in history: replay reads it and never runs rule code, and the workflow
 * bundle never evaluates the catalog. Problems started before recorded decisions existed replay
 * with the rules in the sandbox, from a catalog loaded only for them (legacy-rules.ts).
 */
import type { DecisionInput, RecordedDecision } from '../src/domain/recorded-decision';
import type { ToolCall, ToolRunOptions } from '../src/domain/types';
import type { VerificationPlan } from '../src/domain/verification-plan';

/** The rules of one problem, as the workflow uses them. */
export interface Rules {
  /** Validates the claims and plans the next lookups, given the facts verified so far. */
  plan(request: { type: string; claims: unknown; facts: Record<string, unknown> }): Promise<VerificationPlan>;
  /** Decides over the verified facts; `decision: null` when the type's rules threw. */
  decide(input: DecisionInput): Promise<RecordedDecision>;
  /** Scheduling options of a step planned without them (by the legacy rules). */
  runOptions(call: ToolCall): ToolRunOptions;
}
