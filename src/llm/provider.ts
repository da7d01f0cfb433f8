/** Token usage and latency of one model call. */
export interface CallUsage {
  model: string;
  /** Model calls this answer cost: 1 for a model, 0 for the offline rules. */
  calls: number;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
}

/** One turn of a conversation with the model, for a repair attempt. */
export interface RepairContext {
  previousOutput: string;
  errors: string[];
}

/** A provider's answer: the candidate (still untrusted) and what it cost. */
export interface ProviderAnswer {
  candidate: unknown;
  /** Exact text the model returned, kept only for a repair turn; never leaves the activity. */
  rawText: string;
  usage: CallUsage;
  /**
   * Fields on which two extractors (the hybrid's rules and model) read different values: the
   * candidate leaves them out and the problem asks (`extraction_conflict`) instead of acting.
   */
  conflicts?: string[];
}

/**
 * Turns texts into a candidate extraction. Implementations do no validation beyond
 * parsing JSON: the activity validates every answer at one boundary.
 */
export interface LlmProvider {
  readonly name: string;
  readonly model: string;
  extract(request: { texts: string[]; repair?: RepairContext; signal?: AbortSignal }): Promise<ProviderAnswer>;
  /** Releases what the provider holds (a loaded model); absent when there is nothing to release. */
  close?(): Promise<void>;
}
