import type { VerificationPlan } from './verification-plan';

/** Cost and provenance of one extraction, recorded in history and summed per problem. */
export interface ExtractionUsage {
  provider: string;
  model: string;
  /** Model calls made, repairs included; the rules provider makes none. */
  calls: number;
  repairAttempts: number;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
}

/**
 * What the extraction activity returns: validated claims of one registered type, or a
 * request for clarification. Never raw model text.
 */
export type ExtractionResult =
  | {
      kind: 'problem';
      type: string;
      claims: Record<string, unknown>;
      usage: ExtractionUsage;
      /**
       * The first verification stage, planned by the worker that extracted (the activity's
       * result, so replay reads it): the workflow needs no `planVerification` of its own.
       */
      plan?: Extract<VerificationPlan, { kind: 'lookups' }>;
    }
  | {
      kind: 'clarify';
      /** `intent_unknown`, `multiple_issues`, `missing_fields`, `extraction_invalid`, `empty_text`. */
      reasonCode: string;
      question: string;
      missingFields: string[];
      candidateType?: string;
      usage: ExtractionUsage;
    };

/** An extraction result before usage is attached. */
export type ExtractionVerdict = ExtractionResult extends infer R ? (R extends ExtractionResult ? Omit<R, 'usage'> : never) : never;

/** Input of the extraction activity: every text the submitter gave, oldest first. */
export interface ExtractionInput {
  problemId: string;
  texts: string[];
  tokensUsedSoFar: number;
}
