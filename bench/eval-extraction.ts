/**
 * Extraction quality harness: runs a labeled corpus through the same extraction loop the
 * activity uses (provider → validation boundary → repair) and prints per-intent accuracy,
 * per-field precision/recall and the count of invalid model outputs.
 *
 *   npm run eval:extraction -- --provider rules
 *   npm run eval:extraction -- --provider openai   # OPENAI_BASE_URL / OPENAI_API_KEY / LLM_MODEL from the environment
 *   npm run eval:extraction -- --provider local    # LLM_MODEL_PATH (default: the model of npm run model:install), LLM_LOCAL_*
 *   npm run eval:extraction -- --provider hybrid   # rules first, the local model fills the gaps
 *   options: --corpus <file> (default test/fixtures/extraction-corpus.json; the held-out set is
 *   test/fixtures/extraction-corpus-heldout.json), --json (machine-readable summary), --verbose (every miss)
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../src/config';
import { catalog } from '../src/domain/registry';
import { corpusSchema, evaluateCorpus, ratio, type EvalSummary, type Outcome } from '../src/llm/evaluation';
import { createLlmProvider } from '../src/temporal/activity-deps';

/** Peak resident memory of this process (the model runs in a thread of it), in MB. */
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

function print(provider: string, model: string, s: EvalSummary, outcomes: Outcome[], verbose: boolean): void {
  const c = s.cost;
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
    '',
    '| schema-valid answers | repairs | model calls / problem | extraction_conflict | latency p50 | latency p95 | tokens/s (prompt+completion) | completion tokens/s | tokens / problem | peak RSS |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    `| ${c.schemaValidAnswers}/${c.answers} (${ratio(c.schemaValidAnswers, c.answers)}) | ${c.repairs} | ${(c.calls / s.items).toFixed(2)} | ${c.conflicts} | ${c.latencyP50Ms} ms | ${c.latencyP95Ms} ms | ${c.tokensPerSecond.toFixed(0)} | ${c.completionTokensPerSecond.toFixed(1)} | ${((c.promptTokens + c.completionTokens) / s.items).toFixed(0)} | ${peakRssMb()} MB |`,
  ];
  if (verbose) {
    lines.push('', 'Misses:');
    for (const o of outcomes) {
      if (o.predictedIntent !== o.item.expected.intent) lines.push(`  ${o.item.id}: intent ${o.predictedIntent} (expected ${o.item.expected.intent})${o.reasonCode ? ` ${o.reasonCode}` : ''}${o.error ? ` error: ${o.error}` : ''}`);
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
  const provider = z.enum(['rules', 'openai', 'local', 'hybrid']).parse(values.provider);
  const config = loadConfig({ ...process.env, LLM_PROVIDER: provider, LOG_LEVEL: 'silent' });
  const llm = createLlmProvider(config, catalog);
  const corpus = corpusSchema.parse(JSON.parse(fs.readFileSync(values.corpus, 'utf8')));
  try {
    // Progress on stderr: a small model on a busy CPU takes seconds per item.
    const progress = (o: Outcome) => process.stderr.write(`${o.item.id}: ${o.predictedIntent} ${o.wallMs} ms\n`);
    const { outcomes, summary } = await evaluateCorpus(llm, catalog, corpus.items, config.llm.repairAttempts, progress);
    if (values.json) console.log(JSON.stringify({ provider, model: llm.model, peakRssMb: peakRssMb(), ...summary }, null, 2));
    else print(provider, llm.model, summary, outcomes, values.verbose);
  } finally {
    await llm.close?.();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
