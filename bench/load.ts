/**
 * Load benchmark: N problems over HTTP with concurrency C through the whole system, and, in
 * the same run, N bare workflows with the same number of no-op activities started through the
 * Temporal client directly (the baseline). Prints throughput, submit latency and
 * submit-to-completed latency, and the ratios.
 *
 *   npm run bench:load -- --count 200 --concurrency 20
 *   npm run bench:load -- --temporal-address 127.0.0.1:7233   # an existing server, e.g. npm run cluster's frontend
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { startDevServer } from '../scripts/lib/dev-server';
import { freePort, startProcess, waitFor, type ManagedProcess } from '../scripts/lib/processes';
import { DEV_API_KEYS } from '../src/config';
import { openSystemsDb } from '../src/systems/db';
import { ms, percentile, pool } from './lib/stats';

const ROOT = path.resolve(__dirname, '..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

interface Sample {
  submitMs: number;
  completeMs: number;
  ok: boolean;
}

interface RunResult {
  name: string;
  samples: Sample[];
  wallMs: number;
}

/** Adds one auto-creditable invoice per problem so every problem runs the full pipeline. */
function seedBenchInvoices(dbFile: string, count: number): void {
  const db = openSystemsDb(dbFile);
  const invoice = db.prepare('INSERT INTO invoices (id, account_id, period, currency) VALUES (?, ?, ?, ?)');
  const line = db.prepare('INSERT INTO invoice_lines (invoice_id, line_no, description, amount) VALUES (?, 1, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      invoice.run(`INV-${800000 + i}`, 'ACC-1001', '2026-10', 'INR');
      line.run(`INV-${800000 + i}`, 'FIBER-100', 100);
    }
  })();
  db.close();
}

async function measure(name: string, count: number, concurrency: number, run: (i: number) => Promise<{ submitted: number; ok: boolean }>): Promise<RunResult> {
  const started = performance.now();
  const samples = await pool(Array.from({ length: count }, (_, i) => i), concurrency, async (i) => {
    const t0 = performance.now();
    const { submitted, ok } = await run(i);
    return { submitMs: submitted - t0, completeMs: performance.now() - t0, ok };
  });
  return { name, samples, wallMs: performance.now() - started };
}

function summarize(r: RunResult) {
  const submit = r.samples.map((s) => s.submitMs);
  const complete = r.samples.map((s) => s.completeMs);
  return {
    name: r.name,
    ok: r.samples.filter((s) => s.ok).length,
    perSecond: (r.samples.length / r.wallMs) * 1000,
    submitP50: percentile(submit, 50),
    submitP99: percentile(submit, 99),
    completeP50: percentile(complete, 50),
    completeP99: percentile(complete, 99),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '200' }, concurrency: { type: 'string', default: '20' }, 'temporal-address': { type: 'string' } } });
  const count = Number(values.count);
  const concurrency = Number(values.concurrency);
  const warmup = 10;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-load-'));
  seedBenchInvoices(path.join(dir, 'systems.db'), count + warmup);

  // Both runs use the same server: a fresh dev server, or the given one (own task queues there).
  const server = values['temporal-address'] ? undefined : await startDevServer({ headless: true });
  const address = values['temporal-address'] ?? server!.address;
  const run = path.basename(dir);
  const taskQueue = server ? 'problems' : `bench-${run}`;
  const baselineQueue = server ? 'baseline' : `baseline-${run}`;
  const ports = { api: await freePort(), systems: await freePort() };
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    DATA_DIR: dir,
    PORT: String(ports.api),
    SYSTEMS_PORT: String(ports.systems),
    SYSTEMS_URL: `http://127.0.0.1:${ports.systems}`,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '1000000',
    SUBMISSIONS_PER_MINUTE: '1000000',
    BASELINE_TASK_QUEUE: baselineQueue,
    // A worker deployment per run (a shared server may hold others); its version made current by the worker.
    WORKER_DEPLOYMENT_NAME: taskQueue,
    WORKER_SET_CURRENT: 'true',
  };
  const processes: ManagedProcess[] = [];
  const spawn = (name: string, script: string) => {
    const p = startProcess(name, TSX, [path.join(ROOT, script)], { env, cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    processes.push(p);
  };
  spawn('systems', 'src/systems/server.ts');
  spawn('worker', 'src/temporal/worker-main.ts');
  spawn('api', 'src/api/server.ts');
  spawn('baseline-worker', 'bench/baseline/worker.ts');
  const base = `http://127.0.0.1:${ports.api}`;
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  try {
    await waitFor('API ready', async () => (await fetch(`${base}/readyz`)).ok, 120_000, 500);
    const key = DEV_API_KEYS[0]!.key;

    const viaApi = async (i: number) => {
      const res = await fetch(`${base}/v1/problems`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text: `Account ACC-1001, invoice INV-${800000 + i}: I was overcharged, please refund Rs 100.` }),
      });
      const submitted = performance.now();
      if (res.status !== 202) return { submitted, ok: false };
      const { id } = (await res.json()) as { id: string };
      const state = (await client.workflow.getHandle(id).result()) as { status: string };
      return { submitted, ok: state.status === 'completed' };
    };
    const bare = async (i: number) => {
      const handle = await client.workflow.start('baselineWorkflow', { taskQueue: baselineQueue, workflowId: `baseline-${Date.now()}-${i}`, args: [{ text: `problem ${i}` }] });
      const submitted = performance.now();
      return { submitted, ok: (await handle.result()) === 'done' };
    };
    await measure('warm-up', warmup, warmup, (i) => viaApi(count + i));
    await waitFor('baseline worker', async () => (await bare(-1)).ok, 60_000, 500);

    const baseline = summarize(await measure('bare Temporal (client → 5 no-op activities)', count, concurrency, bare));
    const system = summarize(await measure('whole system (HTTP → extract → verify → decide → credit)', count, concurrency, viaApi));
    const rows = [baseline, system];
    console.log(`\nLoad: ${count} problems, concurrency ${concurrency}, ${os.cpus().length} CPUs, Temporal ${server ? 'dev server' : address}, ${new Date().toISOString()}\n`);
    console.log('| run | ok | problems/s | submit p50 | submit p99 | completed p50 | completed p99 |');
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const r of rows) console.log(`| ${r.name} | ${r.ok}/${count} | ${r.perSecond.toFixed(1)} | ${ms(r.submitP50)} | ${ms(r.submitP99)} | ${ms(r.completeP50)} | ${ms(r.completeP99)} |`);
    console.log(`| ratio system/baseline | | ${(system.perSecond / baseline.perSecond).toFixed(2)}× throughput | ${(system.submitP50 / baseline.submitP50).toFixed(2)}× | ${(system.submitP99 / baseline.submitP99).toFixed(2)}× | ${(system.completeP50 / baseline.completeP50).toFixed(2)}× | ${(system.completeP99 / baseline.completeP99).toFixed(2)}× |`);
    if (system.ok !== count || baseline.ok !== count) process.exitCode = 1;
  } finally {
    await connection.close();
    for (const p of processes.reverse()) await p.stop();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
