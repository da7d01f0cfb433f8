import type { z } from 'zod';

/** A planned call of a tool by name; planned by pure code, executed by an activity. */
export interface ToolCall {
  tool: string;
  input: Record<string, unknown>;
  /** One line shown in Temporal Web UI next to the activity. No personal data. */
  summary: string;
  /**
   * The tool's timeout and retry settings, attached by the worker when it plans or decides, so
   * workflow code runs a step without holding the catalog. Not part of what an approval covers.
   */
  run?: ToolRunOptions;
}

/** How a tool's activity is scheduled: its timeout and retry policy. */
export interface ToolRunOptions {
  timeoutMs: number;
  retry: ToolRetry;
}

/** One step of an action. A step with a compensation is undone if a later step fails (saga). */
export interface ActionStep extends ToolCall {
  /** Stable within the decision; part of the idempotency key `<problemId>/<id>`. */
  id: string;
  compensation?: ToolCall & { id: string };
  /**
   * Concurrency token(s) merged into the input when the step runs, e.g. the ledger version
   * the decision was made on. Not part of the approved action: a token that moved without
   * changing the decision needs no new approval, and the system of record refuses a stale one.
   */
  guard?: Record<string, unknown>;
  /**
   * Input fields taken from an earlier step's result when this step runs, as
   * `{ field: { step, key } }`; e.g. a follow-up revokes exactly the grant its action created.
   */
  inputFrom?: Record<string, { step: string; key: string }>;
}

/** Who must approve an action before it runs. */
export interface ApprovalRequirement {
  requiredApprovals: number;
  /** Approver group that may approve; any approver when absent. */
  group?: string;
}

/** Steps that run after a durable timer, e.g. revoking temporary access. */
export interface FollowUp {
  afterMs: number;
  summary: string;
  steps: ActionStep[];
}

/** What a problem type's pure `decide()` returns. */
export type Decision =
  | {
      kind: 'execute';
      action: string;
      reasonCode: string;
      ruleId: string;
      steps: ActionStep[];
      approval?: ApprovalRequirement;
      followUp?: FollowUp;
    }
  | { kind: 'reject'; action: 'reject'; reasonCode: string; ruleId: string }
  | {
      kind: 'clarify';
      action: 'clarify';
      reasonCode: string;
      ruleId: string;
      question: string;
      missingFields: string[];
    };

/** The systems-of-record port that tools use; the worker injects an HTTP client. */
export interface SystemsPort {
  /** Returns the parsed JSON body, or `null` for a 404 when `notFoundAsNull` is set. */
  request<T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    options?: { body?: unknown; idempotencyKey?: string; notFoundAsNull?: boolean; signal?: AbortSignal },
  ): Promise<T | null>;
}

/** What a tool gets besides its input. */
export interface ToolContext {
  systems: SystemsPort;
  /** Same on every attempt and every replay of this step. */
  idempotencyKey: string;
  signal?: AbortSignal;
}

/** Retry settings of a tool, mapped onto the activity's Temporal retry policy. */
export interface ToolRetry {
  maximumAttempts: number;
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
}

/** `read` tools verify facts; `write` tools change a system of record and need an idempotency key. */
export type ToolEffect = 'read' | 'write';

/**
 * A typed tool: executed as a Temporal activity named `name`. Types reference tools by object
 * (`call(lookUpInvoice, …)`, `step(issueCredit, …)`), so the name, the input and the output travel
 * together and a wrong input fails `tsc`.
 */
export interface ToolDefinition<I = Record<string, unknown>, O = unknown, E extends ToolEffect = ToolEffect> {
  name: string;
  description: string;
  input: z.ZodType<I>;
  output: z.ZodType<O>;
  effect: E;
  timeoutMs: number;
  retry: ToolRetry;
  run(ctx: ToolContext, input: I): Promise<O>;
}

/** Approval timing: durable timers in the workflow, durations in milliseconds. */
export interface ApprovalTiming {
  remindAfterMs: number;
  escalateAfterMs: number;
  expireAfterMs: number;
  escalationGroup: string;
}

/** How the offline rules provider finds a field in free text; the model needs no hints. */
export type FieldHint =
  | { kind: 'id'; prefix: string }
  | { kind: 'money' }
  | { kind: 'currency' }
  | { kind: 'pincode' }
  | { kind: 'date' }
  | { kind: 'duration_days' }
  | { kind: 'enum'; synonyms: Record<string, string[]> }
  | { kind: 'word'; values: string[] }
  /** A regex source (case-insensitive); the value is capture group 1, normalised to `upper` or `lower` case. */
  | { kind: 'pattern'; source: string; normalize: 'upper' | 'lower' };

/** Verified facts as the engine holds them, keyed by lookup name; a type sees them typed (`FactsOf`). */
export type Facts = Record<string, unknown>;

/** One stage of a type's verification: its lookups by fact name, and whether a later stage may follow. */
export interface VerificationStage {
  lookups: Record<string, ToolCall>;
  /** No stage follows: once these lookups have run, every fact is verified. */
  last: boolean;
}

/**
 * A problem type: everything the platform needs to extract, verify, decide and act. Written with
 * `defineProblemType()` (src/domain/plug-in.ts), which types `F` from the lookup tools' output
 * schemas; the engine sees the erased `ProblemType`. Registered once in `src/domain/registry.ts`.
 */
export interface ProblemType<C extends z.ZodObject = z.ZodObject, F extends object = Facts, P = unknown> {
  name: string;
  /** Shown to the model in the generated prompt; say when this type applies. */
  description: string;
  /** Words and phrases (lower case regex sources) the offline rules provider uses to detect the intent. */
  intentKeywords: string[];
  /** Optional hints for the offline rules provider, per claims field. */
  fieldHints: Partial<Record<keyof z.infer<C> & string, FieldHint>>;
  /** Entities the model extracts: claims, verified by tools before any decision. */
  claims: C;
  /** Schema of this type's section of the policy file. */
  policy: z.ZodType<P>;
  defaultPolicy: P;
  /**
   * The read-only lookups to run next, given the facts verified so far: those of the first stage
   * with a lookup not yet in `factsSoFar`. Called again after each stage unless it was the
   * `last`; no lookups means verified.
   */
  verify(claims: z.infer<C>, factsSoFar: Facts): VerificationStage;
  /** Pure decision over claims, verified facts and policy. */
  decide(input: { claims: z.infer<C>; facts: F }, policy: P): Decision;
  tools: readonly ToolDefinition[];
  /** Example texts, used by docs and tests. */
  samples: string[];
}

/** What the workflow passes to a tool activity. */
export interface ToolInvocation {
  input: Record<string, unknown>;
  idempotencyKey: string;
}
