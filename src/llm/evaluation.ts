import { z } from 'zod';
import type { ExtractionResult } from '../domain/extraction';
import type { Catalog } from '../domain/registry';
import { validateCandidate } from './candidate';
import { runExtraction } from './extraction-loop';
import type { LlmProvider } from './provider';

/**
 * Scoring of extraction quality over a labeled corpus, used by `npm run eval:extraction` and by
 * a unit test that keeps the rules provider's figures from regressing.
 */

/** One labeled text. */
export const corpusItemSchema = z.strictObject({
  id: z.string(),
  tags: z.array(z.string()),
  text: z.string(),
  expected: z.strictObject({
    intent: z.string(),
    entities: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    missing: z.array(z.string()).optional(),
  }),
});
/** The corpus file. */
export const corpusSchema = z.object({ description: z.string().optional(), items: z.array(corpusItemSchema).min(1) });
/** A labeled text. */
export type CorpusItem = z.infer<typeof corpusItemSchema>;

/** What the harness saw for one item. */
export interface Outcome {
  item: CorpusItem;
  predictedIntent: string;
  predictedEntities: Record<string, unknown>;
  /** Provider answers the validation boundary rejected (each costs a repair turn or ends invalid). */
  invalidAnswers: number;
  finalInvalid: boolean;
  /** Provider answers in all (first answer and repairs). */
  answers: number;
  /** The result's reason code when it asked instead of extracting (`extraction_conflict`, `missing_fields`, ...). */
  reasonCode?: string;
  /** Model calls, repair turns and tokens of this item, and its wall time. */
  calls: number;
  repairs: number;
  promptTokens: number;
  completionTokens: number;
  wallMs: number;
  error?: string;
}

/** Wraps a provider to keep every raw candidate it returned (for field scoring), never shown. */
function recording(llm: LlmProvider): { llm: LlmProvider; candidates: unknown[] } {
  const candidates: unknown[] = [];
  return {
    candidates,
    llm: {
      name: llm.name,
      model: llm.model,
      async extract(request) {
        const answer = await llm.extract(request);
        candidates.push(answer.candidate);
        return answer;
      },
    },
  };
}

/** The intent label a result stands for: a type, `multiple_issues`, `unknown` or `invalid`. */
function intentOf(result: ExtractionResult): string {
  if (result.kind === 'problem') return result.type;
  if (result.reasonCode === 'extraction_invalid') return 'invalid';
  if (result.reasonCode === 'multiple_issues') return 'multiple_issues';
  return result.candidateType ?? 'unknown';
}

/** Fields of the last candidate that individually satisfy the predicted type's field schemas. */
function validFields(cat: Catalog, type: string, candidate: unknown): Record<string, unknown> {
  const problemType = cat.get(type);
  const entities = (candidate as { type?: unknown; entities?: unknown } | undefined)?.entities;
  if (!problemType || (candidate as { type?: unknown }).type !== type || typeof entities !== 'object' || entities === null) return {};
  const shape = problemType.claims.shape as Record<string, z.ZodType>;
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(entities)) {
    if (value === null || value === undefined || !shape[field]) continue;
    // Defaults are not claims: score only values the provider actually produced.
    const parsed = shape[field].safeParse(value);
    if (parsed.success) out[field] = value;
  }
  return out;
}

/** Runs one item through the real extraction loop (provider, validation boundary, repair). */
export async function evaluate(llm: LlmProvider, cat: Catalog, item: CorpusItem, repairAttempts: number): Promise<Outcome> {
  const rec = recording(llm);
  const started = Date.now();
  try {
    const result = await runExtraction({ catalog: cat, llm: rec.llm, repairAttempts, tokenBudget: Number.MAX_SAFE_INTEGER }, { problemId: item.id, texts: [item.text], tokensUsedSoFar: 0 });
    const invalidAnswers = rec.candidates.filter((c) => c === undefined || !validateCandidate(cat, c).ok).length;
    const predictedIntent = intentOf(result);
    const { calls, repairAttempts: repairs, promptTokens, completionTokens } = result.usage;
    return {
      item, predictedIntent, predictedEntities: validFields(cat, predictedIntent, rec.candidates.at(-1)), invalidAnswers, finalInvalid: predictedIntent === 'invalid',
      answers: rec.candidates.length, ...(result.kind === 'clarify' ? { reasonCode: result.reasonCode } : {}),
      calls, repairs, promptTokens, completionTokens, wallMs: Date.now() - started,
    };
  } catch (err) {
    return {
      item, predictedIntent: 'error', predictedEntities: {}, invalidAnswers: 0, finalInvalid: false, answers: rec.candidates.length,
      calls: 0, repairs: 0, promptTokens: 0, completionTokens: 0, wallMs: Date.now() - started, error: err instanceof Error ? err.message : String(err),
    };
  }
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}
/** A percentage, or a dash when there is nothing to divide. */
export const ratio = (a: number, b: number) => (b === 0 ? '—' : `${((100 * a) / b).toFixed(1)}%`);

/** The value below which `q` of the sorted values fall (nearest rank). */
function percentile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** Cost figures: answers, schema-valid rate, repairs, calls, latency and token throughput. */
function costs(outcomes: Outcome[]) {
  const sum = (f: (o: Outcome) => number) => outcomes.reduce((s, o) => s + f(o), 0);
  const answers = sum((o) => o.answers);
  const modelMs = sum((o) => (o.calls > 0 ? o.wallMs : 0));
  return {
    answers,
    schemaValidAnswers: answers - sum((o) => o.invalidAnswers),
    repairs: sum((o) => o.repairs),
    calls: sum((o) => o.calls),
    promptTokens: sum((o) => o.promptTokens),
    completionTokens: sum((o) => o.completionTokens),
    latencyP50Ms: percentile(outcomes.map((o) => o.wallMs), 0.5),
    latencyP95Ms: percentile(outcomes.map((o) => o.wallMs), 0.95),
    /** Completion tokens per second of items that called a model. */
    completionTokensPerSecond: modelMs === 0 ? 0 : (1000 * sum((o) => o.completionTokens)) / modelMs,
    /** Prompt and completion tokens per second of items that called a model. */
    tokensPerSecond: modelMs === 0 ? 0 : (1000 * sum((o) => o.promptTokens + o.completionTokens)) / modelMs,
    conflicts: outcomes.filter((o) => o.reasonCode === 'extraction_conflict').length,
  };
}

/** Per-intent accuracy, per-field precision/recall and invalid-output counts. */
export function summarise(cat: Catalog, outcomes: Outcome[]) {
  const intents = new Map<string, { n: number; correct: number }>();
  const fields = new Map<string, Counts>();
  for (const t of cat.types) for (const f of Object.keys(t.claims.shape)) fields.set(`${t.name}.${f}`, { tp: 0, fp: 0, fn: 0 });
  for (const o of outcomes) {
    const { intent, entities } = o.item.expected;
    const row = intents.get(intent) ?? { n: 0, correct: 0 };
    row.n += 1;
    if (o.predictedIntent === intent) row.correct += 1;
    intents.set(intent, row);
    if (!entities || !cat.get(intent)) continue;
    const sameType = o.predictedIntent === intent;
    for (const field of Object.keys(cat.get(intent)!.claims.shape)) {
      const c = fields.get(`${intent}.${field}`)!;
      const want = entities[field];
      const got = sameType ? o.predictedEntities[field] : undefined;
      if (got !== undefined && got === want) c.tp += 1;
      else {
        if (got !== undefined) c.fp += 1;
        if (want !== undefined) c.fn += 1;
      }
    }
  }
  const byTag = new Map<string, { n: number; correct: number }>();
  for (const o of outcomes) {
    for (const tag of o.item.tags) {
      const row = byTag.get(tag) ?? { n: 0, correct: 0 };
      row.n += 1;
      if (o.predictedIntent === o.item.expected.intent) row.correct += 1;
      byTag.set(tag, row);
    }
  }
  return {
    items: outcomes.length,
    intentCorrect: outcomes.filter((o) => o.predictedIntent === o.item.expected.intent).length,
    intents: [...intents.entries()].map(([intent, r]) => ({ intent, ...r })),
    byTag: [...byTag.entries()].map(([tag, r]) => ({ tag, ...r })),
    fields: [...fields.entries()].map(([field, c]) => ({ field, ...c })),
    invalidAnswers: outcomes.reduce((s, o) => s + o.invalidAnswers, 0),
    finalInvalid: outcomes.filter((o) => o.finalInvalid).length,
    errors: outcomes.filter((o) => o.error).length,
    cost: costs(outcomes),
  };
}

/** Summary of a corpus run. */
export type EvalSummary = ReturnType<typeof summarise>;

/** Evaluates every item in order (sequential: a real endpoint should not see a burst). */
export async function evaluateCorpus(llm: LlmProvider, cat: Catalog, items: CorpusItem[], repairAttempts: number, onOutcome?: (o: Outcome) => void): Promise<{ outcomes: Outcome[]; summary: EvalSummary }> {
  const outcomes: Outcome[] = [];
  for (const item of items) {
    const outcome = await evaluate(llm, cat, item, repairAttempts);
    onOutcome?.(outcome);
    outcomes.push(outcome);
  }
  return { outcomes, summary: summarise(cat, outcomes) };
}
