import { ApplicationFailure } from '@temporalio/common';
import type { ExtractionInput, ExtractionResult, ExtractionUsage, ExtractionVerdict } from '../domain/extraction';
import type { Catalog } from '../domain/registry';
import { validateCandidate } from './candidate';
import { classifyLlmError } from './errors';
import { MAX_USER_TEXT } from './prompt';
import type { LlmProvider, ProviderAnswer, RepairContext } from './provider';

/** Dependencies of the extraction loop. */
export interface ExtractDeps {
  catalog: Catalog;
  llm: LlmProvider;
  repairAttempts: number;
  /** Per-problem token budget (prompt + completion), across all extractions. */
  tokenBudget: number;
}

const HEARTBEAT_MS = 5_000;

/** How the extraction loop reports liveness and learns of cancellation; the activity passes its Context. */
export interface ExtractionIo {
  heartbeat?: () => void;
  signal?: AbortSignal;
}

/** Heartbeats while a slow model call is in flight, so a dead worker is noticed quickly. */
async function withHeartbeat<T>(work: Promise<T>, heartbeat: (() => void) | undefined): Promise<T> {
  if (!heartbeat) return work;
  const timer = setInterval(heartbeat, HEARTBEAT_MS);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

/** Whether a text has anything a person could have meant: letters or digits. */
const hasContent = (text: string) => /[\p{L}\p{N}]/u.test(text);

/**
 * A valid answer of one type with fields two extractors read differently asks the submitter to
 * confirm those fields (`extraction_conflict`) instead of acting on either reading.
 */
function withConflicts(catalog: Catalog, verdict: ExtractionVerdict, conflicts: string[] | undefined): ExtractionVerdict {
  if (!conflicts?.length) return verdict;
  const type = verdict.kind === 'problem' ? verdict.type : verdict.reasonCode === 'missing_fields' ? verdict.candidateType : undefined;
  const problemType = type ? catalog.get(type) : undefined;
  if (!problemType) return verdict;
  const shape = problemType.claims.shape as Record<string, { description?: string }>;
  const fields = [...new Set([...conflicts, ...(verdict.kind === 'clarify' ? verdict.missingFields : [])])];
  return {
    kind: 'clarify',
    reasonCode: 'extraction_conflict',
    question: `We could not read these details with certainty: ${fields.map((f) => shape[f]?.description ?? f).join('; ')}. Please reply with them.`,
    missingFields: fields,
    candidateType: problemType.name,
  };
}

/**
 * The extraction loop: the provider's answer is validated by zod; invalid output gets at most
 * `repairAttempts` repair turns, then becomes a clarification with `extraction_invalid`.
 * Returns validated claims only, never model text. Also used by the offline evaluation.
 */
export async function runExtraction(deps: ExtractDeps, input: ExtractionInput, io: ExtractionIo = {}): Promise<ExtractionResult> {
  const usage: ExtractionUsage = { provider: deps.llm.name, model: deps.llm.model, calls: 0, repairAttempts: 0, promptTokens: 0, completionTokens: 0, latencyMs: 0 };
  const texts = input.texts.map((t) => t.trim().slice(0, MAX_USER_TEXT));
  if (!texts.some(hasContent)) {
    return { kind: 'clarify', reasonCode: 'empty_text', question: 'Please describe the problem in words: what happened, on which account, and when.', missingFields: [], usage };
  }
  const { signal } = io;
  let repair: RepairContext | undefined;
  for (let attempt = 0; attempt <= deps.repairAttempts; attempt++) {
    let answer: ProviderAnswer;
    try {
      answer = await withHeartbeat(deps.llm.extract({ texts, repair, signal }), io.heartbeat);
    } catch (err) {
      // A cancelled activity rethrows the cancellation (a CancelledFailure) so Temporal records a cancel, not a failure.
      if (signal?.aborted) throw signal.reason ?? err;
      throw classifyLlmError(err);
    }
    usage.calls += answer.usage.calls;
    usage.repairAttempts = attempt;
    usage.model = answer.usage.model;
    usage.promptTokens += answer.usage.promptTokens;
    usage.completionTokens += answer.usage.completionTokens;
    usage.latencyMs += answer.usage.latencyMs;
    const used = input.tokensUsedSoFar + usage.promptTokens + usage.completionTokens;
    if (used > deps.tokenBudget) {
      throw ApplicationFailure.nonRetryable(`token budget of ${deps.tokenBudget} exceeded (${used})`, 'TokenBudgetExceeded', { reasonCode: 'token_budget_exceeded', usage });
    }
    const validation = answer.candidate === undefined ? { ok: false as const, errors: ['answer is not valid JSON'] } : validateCandidate(deps.catalog, answer.candidate);
    if (validation.ok) return { ...withConflicts(deps.catalog, validation.result, answer.conflicts), usage } as ExtractionResult;
    repair = { previousOutput: answer.rawText, errors: validation.errors };
  }
  return {
    kind: 'clarify',
    reasonCode: 'extraction_invalid',
    question: 'We could not read the details of this problem reliably. Please restate it with the account id, and the invoice, plan or system it concerns.',
    missingFields: [],
    usage,
  };
}
