/**
 * Drill: the worker extracts through the `openai` provider against the fake model server,
 * which answers with the fault mix of the LLM boundary: malformed JSON, schema violations,
 * 429 with Retry-After, 5xx, hangs past the timeout, refusals, content-filter stops, and
 * answers whose facts are wrong (inflated amount, another account). No wrong action may be
 * taken (the ledger shows exactly the credits that are due), and every problem must end in a
 * defined state: final, or waiting for a clarification.
 *
 *   npm run drill:llm-faults -- [--rounds 4]
 */
import { parseArgs } from 'node:util';
import { startFakeOpenAiServer, type FakeReply } from '../../src/llm/testing/fake-openai-server';
import { openSystemsDb } from '../../src/systems/db';
import { createDrillClient, readLedger } from './lib/problems';
import { runDrill, withStack } from './lib/stack';

interface FaultCase {
  name: string;
  replies: (ok: FakeReply) => FakeReply[];
  /** Entities the model claims (defaults: the true ones). */
  claims?: Record<string, unknown>;
  /** Allowed resting statuses and the number of credits due. */
  expect: { statuses: string[]; reasonCode?: string; credits: 0 | 1 };
}

const COMPLETED: FaultCase['expect'] = { statuses: ['completed'], reasonCode: 'credit_within_auto_limit', credits: 1 };
const NO_ACTION: FaultCase['expect'] = { statuses: ['failed', 'rejected', 'needs_clarification'], credits: 0 };

const FAULTS: FaultCase[] = [
  { name: 'valid answer', replies: (ok) => [ok], expect: COMPLETED },
  { name: 'malformed JSON, then valid', replies: (ok) => [{ kind: 'text', content: '{"type": "billing_dispute", "entities": {' }, ok], expect: COMPLETED },
  { name: 'schema violation, then valid', replies: (ok) => [{ kind: 'json', answer: { type: 'billing_dispute', confidence: 2, entities: { amount: 'lots' } } }, ok], expect: COMPLETED },
  { name: 'truncated (finish_reason length), then valid', replies: (ok) => [{ kind: 'text', content: '{"type":"billing', finishReason: 'length' }, ok], expect: COMPLETED },
  { name: '429 Retry-After 1, then valid', replies: (ok) => [{ kind: 'status', status: 429, headers: { 'retry-after': '1' } }, ok], expect: COMPLETED },
  { name: '500, then valid', replies: (ok) => [{ kind: 'status', status: 500 }, ok], expect: COMPLETED },
  { name: 'hang past the timeout, then valid', replies: (ok) => [{ kind: 'hang' }, ok], expect: COMPLETED },
  { name: 'refusal', replies: () => [{ kind: 'refusal', message: 'I cannot help with that.' }], expect: NO_ACTION },
  { name: 'content filter', replies: () => [{ kind: 'content_filter' }], expect: NO_ACTION },
  { name: 'always invalid', replies: () => [{ kind: 'json', answer: { type: 'billing_dispute', entities: { amount: -1 } } }], expect: NO_ACTION },
  { name: '401 from the endpoint', replies: () => [{ kind: 'status', status: 401 }], expect: NO_ACTION },
  { name: 'inflated amount (model says 5000)', claims: { amount: 5000 }, replies: (ok) => [ok], expect: { statuses: ['rejected'], reasonCode: 'amount_exceeds_charge', credits: 0 } },
  { name: 'another account (model says ACC-1002)', claims: { accountId: 'ACC-1002' }, replies: (ok) => [ok], expect: { statuses: ['rejected'], reasonCode: 'invoice_account_mismatch', credits: 0 } },
];

const invoiceId = (i: number) => `INV-${760000 + i}`;

async function main(): Promise<boolean> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '4' }, 'timeout-s': { type: 'string', default: '240' } } });
  const rounds = Number(values.rounds);
  const cases = Array.from({ length: rounds * FAULTS.length }, (_, i) => ({ index: i, fault: FAULTS[i % FAULTS.length]! }));
  const fake = await startFakeOpenAiServer();
  const seed = (dbFile: string) => {
    const db = openSystemsDb(dbFile);
    const insertInvoice = db.prepare('INSERT INTO invoices (id, account_id, period, currency) VALUES (?, ?, ?, ?)');
    const insertLine = db.prepare('INSERT INTO invoice_lines (invoice_id, line_no, description, amount) VALUES (?, 1, ?, ?)');
    db.transaction(() => cases.forEach((c) => (insertInvoice.run(invoiceId(c.index), 'ACC-1001', '2026-10', 'INR'), insertLine.run(invoiceId(c.index), 'FIBER-100', 100))))();
    db.close();
  };
  const env = { LLM_PROVIDER: 'openai', OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'drill-key', LLM_MODEL: 'fake-drill', LLM_TIMEOUT_MS: '1500', LLM_REPAIR_ATTEMPTS: '1' };
  try {
    return await withStack({ seed, env }, async (stack) => {
      const started = Date.now();
      for (const c of cases) {
        const marker = `[lf-${c.index}]`;
        const answer: FakeReply = {
          kind: 'json',
          answer: {
            type: 'billing_dispute',
            confidence: 0.95,
            issueCount: 1,
            entities: { accountId: 'ACC-1001', invoiceId: invoiceId(c.index), amount: 100, currency: 'INR', reason: 'overcharge', ...c.fault.claims },
          },
        };
        fake.on((r) => r.userText.includes(marker), ...c.fault.replies(answer));
      }
      const client = createDrillClient(stack.apiUrls);
      const texts = cases.map((c) => ({ index: c.index, kind: 'auto_credit' as const, text: `[lf-${c.index}] Account ACC-1001, invoice ${invoiceId(c.index)}: I was overcharged, please refund Rs 100.`, expect: { status: 'completed' as const, reasonCode: '', credits: 1 } }));
      const ids = await client.submitAll(texts, 10);
      const finals = await client.waitAllFinal([...ids.values()], { timeoutMs: Number(values['timeout-s']) * 1000, resting: ['needs_clarification'] });
      const ledger = await readLedger(stack.systemsUrl);
      const credits = new Map<string, number>();
      for (const e of ledger) credits.set(e.idempotencyKey.split('/')[0]!, (credits.get(e.idempotencyKey.split('/')[0]!) ?? 0) + 1);

      const rows = new Map<string, { n: number; outcomes: Map<string, number>; bad: number }>();
      const problems: string[] = [];
      for (const c of cases) {
        const id = ids.get(c.index);
        const snap = id ? finals.get(id) : undefined;
        const reason = snap?.decision?.reasonCode ?? snap?.outcome?.reasonCode ?? snap?.clarification?.reasonCode ?? '-';
        const status = snap?.status ?? 'lost';
        const effects = id ? (credits.get(id) ?? 0) : 0;
        const good = Boolean(snap) && c.fault.expect.statuses.includes(status) && (c.fault.expect.reasonCode === undefined || reason === c.fault.expect.reasonCode) && effects === c.fault.expect.credits
          && (status !== 'failed' || reason !== '-');
        const row = rows.get(c.fault.name) ?? { n: 0, outcomes: new Map(), bad: 0 };
        row.n += 1;
        row.outcomes.set(`${status}/${reason}`, (row.outcomes.get(`${status}/${reason}`) ?? 0) + 1);
        if (!good) {
          row.bad += 1;
          problems.push(`${id ?? `case ${c.index}`} (${c.fault.name}): ${status}/${reason}, ${effects} credits`);
        }
        rows.set(c.fault.name, row);
      }
      const wrongActions = cases.filter((c) => c.fault.expect.credits === 0 && (credits.get(ids.get(c.index) ?? '') ?? 0) > 0).length;
      const duplicates = [...credits.values()].filter((n) => n > 1).length;
      const ok = problems.length === 0 && wrongActions === 0 && duplicates === 0;
      console.log(`\nDrill llm-faults: ${ok ? 'PASS' : 'FAIL'} (${new Date().toISOString()}), ${cases.length} problems, ${fake.requests.length} model calls, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
      console.log('| model behaviour | problems | resting state / reason code | not as expected |\n| --- | --- | --- | --- |');
      for (const [name, row] of rows) console.log(`| ${name} | ${row.n} | ${[...row.outcomes.entries()].map(([k, v]) => `${k} ×${v}`).join(', ')} | ${row.bad} |`);
      console.log(`| **wrong actions (credits not due)** | | | ${wrongActions} |`);
      console.log(`| **duplicate credits** | | | ${duplicates} |`);
      for (const line of problems.slice(0, 10)) console.log(`  ${line}`);
      return ok;
    });
  } finally {
    void fake.close();
  }
}

runDrill(main);
