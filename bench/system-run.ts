/**
 * Whole-system run: every text of a labelled corpus through a running stack (`npm start`) over
 * HTTP, each until it rests; counts how many completed, await approval, asked, were rejected or
 * failed, and lists every executed action that was not due. An action is due only when the
 * problem's type is the labelled intent and every id or amount it acted on is the labelled value.
 * Nobody approves during the run, so only automatic actions execute.
 *
 *   LLM_PROVIDER=hybrid PORT=3180 ... npm start            # in another shell
 *   npx tsx bench/system-run.ts --base-url http://127.0.0.1:3180 [--corpus <file>] [--concurrency 2]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { corpusSchema, type CorpusItem } from '../src/llm/evaluation';
import { pool } from './lib/stats';

interface ProblemView {
  id: string;
  status: string;
  type: string | null;
  entities: Record<string, unknown> | null;
  decision: { action: string; reasonCode: string; requiresApproval: boolean } | null;
}

const RESTING = new Set(['needs_clarification', 'awaiting_approval', 'active', 'completed', 'rejected', 'failed']);

/** Why an executed action was not due, or undefined when it was. */
function notDue(item: CorpusItem, p: ProblemView): string | undefined {
  if (p.type !== item.expected.intent) return `type ${p.type}, labelled ${item.expected.intent}`;
  const labels = item.expected.entities ?? {};
  for (const [field, value] of Object.entries(p.entities ?? {})) {
    const idOrAmount = typeof value === 'number' || (typeof value === 'string' && /\d/.test(value));
    if (field in labels ? labels[field] !== value : idOrAmount) return `${field}=${JSON.stringify(value)}, labelled ${JSON.stringify(labels[field] ?? null)}`;
  }
  return undefined;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'base-url': { type: 'string', default: `http://127.0.0.1:${process.env.PORT ?? 3000}` },
      key: { type: 'string', default: 'dev-submitter-key-0001' },
      corpus: { type: 'string', default: path.join(__dirname, '..', 'test', 'fixtures', 'extraction-corpus.json') },
      concurrency: { type: 'string', default: '2' },
      'timeout-s': { type: 'string', default: '600' },
    },
  });
  const base = values['base-url']!;
  const headers = { authorization: `Bearer ${values.key}`, 'content-type': 'application/json' };
  const corpus = corpusSchema.parse(JSON.parse(fs.readFileSync(values.corpus!, 'utf8')));
  const deadlineMs = Number(values['timeout-s']) * 1000;

  const results = await pool(corpus.items, Number(values.concurrency), async (item) => {
    const res = await fetch(`${base}/v1/problems`, { method: 'POST', headers, body: JSON.stringify({ text: item.text, channel: 'api' }) });
    if (res.status !== 202) return { item, view: undefined, note: `submit answered ${res.status}` };
    const { id } = (await res.json()) as { id: string };
    const until = Date.now() + deadlineMs;
    while (Date.now() < until) {
      const view = (await (await fetch(`${base}/v1/problems/${id}`, { headers })).json()) as ProblemView;
      if (RESTING.has(view.status)) {
        process.stderr.write(`${item.id}: ${view.status} ${view.decision?.reasonCode ?? ''}\n`);
        return { item, view, note: undefined };
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    return { item, view: undefined, note: 'did not rest in time' };
  });

  const counts = new Map<string, number>();
  const violations: string[] = [];
  for (const { item, view, note } of results) {
    const status = view?.status ?? `unfinished (${note})`;
    counts.set(status, (counts.get(status) ?? 0) + 1);
    const executed = view && (view.status === 'completed' || view.status === 'active') && view.decision && !['reject', 'clarify'].includes(view.decision.action);
    const why = executed ? notDue(item, view) : undefined;
    if (why) violations.push(`${item.id}: ${view!.decision!.action} (${why})`);
  }
  console.log(`System run: ${results.length} texts of ${path.basename(values.corpus!)} via ${base}`);
  console.log('| status | problems |\n| --- | --- |');
  for (const [status, n] of [...counts.entries()].sort()) console.log(`| ${status} | ${n} |`);
  console.log(`Actions not due: ${violations.length}`);
  for (const v of violations) console.log(`  ${v}`);
  process.exitCode = violations.length > 0 ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
