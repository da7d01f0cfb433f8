import type { z } from 'zod';
import type { ActionStep, Decision, Facts, FieldHint, ProblemType, ToolCall, ToolDefinition, VerificationStage } from './types';

/** Carries a lookup's output type; never set at run time. */
declare const factType: unique symbol;

/** A planned call of a read tool whose result becomes the fact of the same name, typed `O`. */
export interface Lookup<O = unknown> extends ToolCall {
  readonly [factType]?: O;
}

/** A tool input: a JSON object. */
type ToolInput = Record<string, unknown>;

/** Lookups by fact name; a stage leaves out (or sets undefined) a lookup it does not need. */
type Lookups = Record<string, Lookup | undefined>;
type OutputOf<L> = L extends Lookup<infer O> ? O : never;

/**
 * The facts one stage verifies, typed by its lookups' tools. A stage that answers differently by
 * an earlier fact (`facts.account.found ? { plan: call(…) } : {}`) gives a union: a fact present
 * in only some answers is optional, so `decide()` must check it.
 */
export type StageFacts<L> = { [K in keyof L]: OutputOf<L[K]> };

/** Calls a read tool with an input its schema types; the result is a fact typed by its output schema. */
export function call<I extends ToolInput, O>(tool: ToolDefinition<I, O, 'read'>, input: NoInfer<I>, summary: string): Lookup<O> {
  return { tool: tool.name, input, summary };
}

/** How a step is written: its input, minus what a guard or an earlier step's result supplies. */
export interface StepSpec<I extends ToolInput, G extends keyof I & string, F extends keyof I & string> {
  /** Stable within the decision; part of the idempotency key `<problemId>/<id>`. */
  id: string;
  /** One line shown in Temporal Web UI next to the activity. No personal data. */
  summary: string;
  input: Omit<I, G | F>;
  /** Concurrency tokens merged into the input when the step runs (see `ActionStep.guard`). */
  guard?: Pick<I, G>;
  /** Input fields taken from an earlier step's result when this step runs. */
  inputFrom?: Record<F, { step: string; key: string }>;
  /** Undoes this step when a later one fails. */
  compensation?: ActionStep;
}

/** A step of an action: a call of a tool with an input its schema types (`step(issueCredit, {...})`). */
export function step<I extends ToolInput, O, G extends keyof I & string = never, F extends keyof I & string = never>(tool: ToolDefinition<I, O>, spec: StepSpec<I, G, F>): ActionStep {
  const { id, summary, input, compensation, guard, inputFrom } = spec;
  return {
    id,
    tool: tool.name,
    input,
    summary,
    ...(compensation ? { compensation: { id: compensation.id, tool: compensation.tool, input: compensation.input, summary: compensation.summary } } : {}),
    ...(guard ? { guard } : {}),
    ...(inputFrom ? { inputFrom } : {}),
  };
}

type Stage<C> = (claims: C, facts: Facts) => Lookups;

/**
 * A type's verification plan: stages of lookups, each reading the claims and the facts of the
 * stages before it. `F` is the facts `decide()` gets, typed from the lookup tools' outputs.
 */
export interface Verification<C, F extends object> {
  readonly stages: readonly Stage<C>[];
  /** Adds a stage whose lookups may use the facts verified so far. */
  then<L extends Lookups>(next: (claims: C, facts: F) => L): Verification<C, F & StageFacts<L>>;
}

function verification<C, F extends object>(stages: readonly Stage<C>[]): Verification<C, F> {
  return {
    stages,
    // The stages before it have run, so `facts` holds `F` when the stage is called.
    then: (next) => verification([...stages, next as Stage<C>]),
  };
}

/** Starts a verification plan with the lookups the claims alone allow. */
export function lookups<C, L extends Lookups>(first: (claims: C) => L): Verification<C, StageFacts<L>> {
  return verification([first]);
}

/**
 * The lookups still to run: those of the first stage with a lookup not yet in `factsSoFar`
 * (`{}` when verified), and whether that stage is the plan's last, so nothing is left to plan
 * once they have run.
 */
export function nextStage<C>(plan: Verification<C, object>, claims: C, factsSoFar: Facts): VerificationStage {
  for (const [index, stage] of plan.stages.entries()) {
    const pending = Object.entries(stage(claims, factsSoFar)).filter((entry): entry is [string, Lookup] => entry[1] !== undefined && !(entry[0] in factsSoFar));
    if (pending.length > 0) {
      return { lookups: Object.fromEntries(pending.map(([name, { tool, input, summary }]) => [name, { tool, input, summary }])), last: index === plan.stages.length - 1 };
    }
  }
  return { lookups: {}, last: true };
}

/** The facts a verification plan yields. */
export type FactsOf<V> = V extends Verification<infer _C, infer F> ? F : never;
/** The claims a verification plan reads. */
export type ClaimsOf<V> = V extends Verification<infer C, infer _F> ? C : never;

/** A type's pure decision over its claims and typed facts. */
export type Decide<V, P> = (input: { claims: ClaimsOf<V>; facts: FactsOf<V> }, policy: P) => Decision;

/** What a problem type's folder writes; `defineProblemType` turns it into the engine's `ProblemType`. */
export interface ProblemTypeSpec<C extends z.ZodObject, F extends object, P> {
  name: string;
  description: string;
  intentKeywords: string[];
  fieldHints: Partial<Record<keyof z.infer<C> & string, FieldHint>>;
  claims: C;
  policy: z.ZodType<P>;
  defaultPolicy: P;
  verify: Verification<z.infer<C>, F>;
  decide: (input: { claims: z.infer<C>; facts: F }, policy: P) => Decision;
  tools: readonly ToolDefinition[];
  samples: string[];
}

/**
 * A problem type from its spec: the verification plan becomes the engine's staged `verify()`,
 * and `decide()` keeps the facts type its lookups give it.
 */
export function defineProblemType<C extends z.ZodObject, F extends object, P>(spec: ProblemTypeSpec<C, F, P>): ProblemType<C, F, P> {
  const { verify: plan, ...rest } = spec;
  return { ...rest, verify: (claims, factsSoFar) => nextStage(plan, claims, factsSoFar) };
}
