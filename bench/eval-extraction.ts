/**
 * Extraction quality harness: runs a labeled corpus through the same extraction loop the
 * activity uses (provider → validation boundary → repair) and prints per-intent accuracy,
 * per-field precision/recall and the count of invalid model outputs.
 *
 *   npm run eval:extraction -- --provider rules
 *   npm run eval:extraction -- --provider openai   # OPENAI_BASE_URL / OPENAI_API_KEY / LLM_MODEL from the environment
 *   options: --corpus <file> (default test/fixtures/extraction-corpus.json), --json (machine-readable summary), --verbose (every miss)
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { runExtraction } from '../activities/extract-problem';
import { loadConfig } from '../src/config';
import type { ExtractionResult } from '../src/domain/extraction';
import { catalog, type Catalog } from '../src/domain/registry';
import { validateCandidate } from '../src/llm/candidate';
import type { LlmProvider } from '../src/llm/provider';
import { createLlmProvider } from '../src/temporal/activity-deps';

const itemSchema = z.strictObject({
  id: z.string(),
  tags: z.array(z.string()),
  text: z.string(),
  expected: z.strictObject({
    intent: z.string(),
    entities: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    missing: z.array(z.string()).optional(),
  }),
});
const corpusSchema = z.object({ description: z.string().optional(), items: z.array(itemSchema).min(1) });
type Item = z.infer<typeof itemSchema>;

/** What the harness saw for one item. */
interface Outcome {
  item: Item;
  predictedIntent: string;
  predictedEntities: Record<string, unknown>;
  /** Provider answers the validation boundary rejected (each costs a repair turn or ends invalid). */
  invalidAnswers: number;
  finalInvalid: boolean;
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

async function evaluate(llm: LlmProvider, cat: Catalog, item: Item, repairAttempts: number): Promise<Outcome> {
  const rec = recording(llm);
  try {
    const result = await runExtraction({ catalog: cat, llm: rec.llm, repairAttempts, tokenBudget: Number.MAX_SAFE_INTEGER }, { problemId: item.id, texts: [item.text], tokensUsedSoFar: 0 });
    const invalidAnswers = rec.candidates.filter((c) => c === undefined || !validateCandidate(cat, c).ok).length;
    const predictedIntent = intentOf(result);
    return { item, predictedIntent, predictedEntities: validFields(cat, predictedIntent, rec.candidates.at(-1)), invalidAnswers, finalInvalid: predictedIntent === 'invalid' };
  } catch (err) {
    return { item, predictedIntent: 'error', predictedEntities: {}, invalidAnswers: 0, finalInvalid: false, error: err instanceof Error ? err.message : String(err) };
  }
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}
const ratio = (a: number, b: number) => (b === 0 ? '—' : `${((100 * a) / b).toFixed(1)}%`);

/** Per-intent accuracy, per-field precision/recall and invalid-output counts. */
function summarise(cat: Catalog, outcomes: Outcome[]) {
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
  };
}

function print(provider: string, model: string, s: ReturnType<typeof summarise>, outcomes: Outcome[], verbose: boolean): void {
  const lines = [
    `Extraction eval: provider=${provider} model=${model} items=${s.items}`,
    '',
    `Intent accuracy: ${s.intentCorrect}/${s.items} (${ratio(s.intentCorrect, s.items)})`,
    '',
    '| expected intent | items | correct | accuracy |',
    '| --- | --- | --- | --- |',
    ...s.intents.map((r) => `| ${r.intent} | ${r.n} | ${r.correct} | ${ratio(r.correct, r.n)} |`),
    '',
    '| tag | items | intent correct | accuracy |',
    '| --- | --- | --- | --- |',
    ...s.byTag.map((r) => `| ${r.tag} | ${r.n} | ${r.correct} | ${ratio(r.correct, r.n)} |`),
    '',
    '| field | TP | FP | FN | precision | recall |',
    '| --- | --- | --- | --- | --- | --- |',
    ...s.fields.map((f) => `| ${f.field} | ${f.tp} | ${f.fp} | ${f.fn} | ${ratio(f.tp, f.tp + f.fp)} | ${ratio(f.tp, f.tp + f.fn)} |`),
    '',
    `Invalid outputs: ${s.invalidAnswers} answers rejected at the validation boundary; ${s.finalInvalid} items ended extraction_invalid after repair; ${s.errors} provider errors`,
  ];
  if (verbose) {
    lines.push('', 'Misses:');
    for (const o of outcomes) {
      if (o.predictedIntent !== o.item.expected.intent) lines.push(`  ${o.item.id}: intent ${o.predictedIntent} (expected ${o.item.expected.intent})${o.error ? ` error: ${o.error}` : ''}`);
      for (const [field, want] of Object.entries(o.item.expected.entities ?? {})) {
        const got = o.predictedEntities[field];
        if (o.predictedIntent === o.item.expected.intent && got !== want) lines.push(`  ${o.item.id}: ${field} = ${JSON.stringify(got)} (expected ${JSON.stringify(want)})`);
      }
    }
  }
  console.log(lines.join('\n'));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      provider: { type: 'string', default: 'rules' },
      corpus: { type: 'string', default: path.join(__dirname, '..', 'test', 'fixtures', 'extraction-corpus.json') },
      json: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
    },
  });
  const provider = z.enum(['rules', 'openai']).parse(values.provider);
  const config = loadConfig({ ...process.env, LLM_PROVIDER: provider, LOG_LEVEL: 'silent' });
  const llm = createLlmProvider(config, catalog);
  const corpus = corpusSchema.parse(JSON.parse(fs.readFileSync(values.corpus, 'utf8')));
  const outcomes: Outcome[] = [];
  // Sequential: the rules are instant, and a real endpoint should not see a burst.
  for (const item of corpus.items) outcomes.push(await evaluate(llm, catalog, item, config.llm.repairAttempts));
  const summary = summarise(catalog, outcomes);
  if (values.json) console.log(JSON.stringify({ provider, model: llm.model, ...summary }, null, 2));
  else print(provider, llm.model, summary, outcomes, values.verbose);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
