/**
 * Load benchmark: N problems over HTTP with concurrency C through the whole system, and, in
 * the same run, N bare workflows with the same number of no-op activities started through the
 * Temporal client directly (the baseline). Prints throughput, submit latency and
 * submit-to-completed latency, and the ratios.
 *
 *   npm run bench:load -- --count 200 --concurrency 20
 *   npm run bench:load -- --temporal-address 127.0.0.1:7233   # an existing server, e.g. npm run cluster's frontend
 *   npm run bench:load -- --count 40 --concurrency 10 --rounds 3 --min-ratio 0.75   # CI's perf check
 *
 * With `--rounds R` the baseline and the system alternate R times (B S, S B, B S, …), so a burst of
 * load from elsewhere on a shared machine hits both; the ratio reported and checked against
 * `--min-ratio` (exit code 1 below it) is the median of the rounds' throughput ratios.
 *
 * Then `--one-at-a-time K` (default 40) submissions of each kind, one after another, each waiting
 * for its problem to finish: submit latency with the machine otherwise idle, the floor of the
 * submit ratio that the loaded rounds add CPU queueing to.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { startDevServer } from '../scripts/lib/dev-server';
import { freePort, startNodeScript, waitFor, type ManagedProcess } from '../scripts/lib/processes';
import { DEV_API_KEYS } from '../src/config';
import { openSystemsDb } from '../src/systems/db';
import { cpuSeconds, processTree, type ProcessGroups } from './lib/proc-cpu';
import { startBaseline } from './baseline/client';
import { inAlternatingOrder, median, ms, percentile, pool } from './lib/stats';

const ROOT = path.resolve(__dirname, '..');

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

/** Account and invoice of bench problem `i`. */
const benchIds = (i: number) => ({ account: `ACC-${80000 + i}`, invoice: `INV-${800000 + i}` });

/**
 * Adds one auto-creditable invoice per problem, each on an account of its own (a copy of
 * ACC-1001), so every problem runs the full pipeline: the policy's automatic-credit total per
 * account would send the 11th credit of one account to an approval.
 */
function seedBenchInvoices(dbFile: string, count: number): void {
  const db = openSystemsDb(dbFile);
  const columns = (db.prepare('SELECT name FROM pragma_table_info(?)').all('accounts') as { name: string }[]).map((c) => c.name).filter((c) => c !== 'id');
  const account = db.prepare(`INSERT INTO accounts (id, ${columns.join(', ')}) SELECT ?, ${columns.join(', ')} FROM accounts WHERE id = 'ACC-1001'`);
  const invoice = db.prepare('INSERT INTO invoices (id, account_id, period, currency) VALUES (?, ?, ?, ?)');
  const line = db.prepare('INSERT INTO invoice_lines (invoice_id, line_no, description, amount) VALUES (?, 1, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const ids = benchIds(i);
      account.run(ids.account);
      invoice.run(ids.invoice, ids.account, '2026-10', 'INR');
      line.run(ids.invoice, 'FIBER-100', 100);
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
  const wallMs = performance.now() - started;
  console.error(`${name}: ${count} in ${(wallMs / 1000).toFixed(1)} s (load ${os.loadavg()[0]!.toFixed(1)})`);
  return { name, samples, wallMs };
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
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '20' },
      rounds: { type: 'string', default: '1' },
      'min-ratio': { type: 'string' },
      'temporal-address': { type: 'string' },
      'one-at-a-time': { type: 'string', default: '40' },
    },
  });
  const count = Number(values.count);
  const concurrency = Number(values.concurrency);
  const rounds = Number(values.rounds);
  const oneAtATime = Number(values['one-at-a-time']);
  const warmup = 10;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-load-'));
  seedBenchInvoices(path.join(dir, 'systems.db'), count * rounds + warmup + oneAtATime);

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
    // Children stop with this process however it ends (e.g. CI's timeout), see scripts/lib/parent-pipe.ts.
    const p = startNodeScript(name, path.join(ROOT, script), [], { env, cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
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

    let nextInvoice = 0;
    const viaApi = async () => {
      const i = nextInvoice++;
      const res = await fetch(`${base}/v1/problems`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text: `Account ${benchIds(i).account}, invoice ${benchIds(i).invoice}: I was overcharged, please refund Rs 100.` }),
      });
      const submitted = performance.now();
      if (res.status !== 202) return { submitted, ok: false };
      const { id } = (await res.json()) as { id: string };
      const state = (await client.workflow.getHandle(id).result()) as { status: string };
      return { submitted, ok: state.status === 'completed' };
    };
    const bare = async (i: number) => {
      const { done } = await startBaseline(client, baselineQueue, `baseline-${Date.now()}-${i}`, i);
      const submitted = performance.now();
      return { submitted, ok: await done };
    };
    await measure('warm-up', warmup, warmup, viaApi);
    await waitFor('baseline worker', async () => (await bare(-1)).ok, 60_000, 500);

    // CPU of each process during a run, per problem (the dev server only when this benchmark started it).
    const groups: ProcessGroups = Object.fromEntries([...(server ? [['Temporal server', server.process.child.pid!] as const] : []), ...processes.map((p) => [p.name, p.child.pid!] as const)].map(([name, pid]) => [name, processTree(pid).map((p) => p.pid)]));
    const withCpu = async <T extends object>(run: () => Promise<T>): Promise<T & { cpuMs: Record<string, number> }> => {
      const before = cpuSeconds(groups);
      const result = await run();
      const after = cpuSeconds(groups);
      return { ...result, cpuMs: Object.fromEntries(Object.keys(groups).map((g) => [g, ((after[g]! - before[g]!) * 1000) / count])) };
    };
    const names = { baseline: 'bare Temporal (client → 5 no-op activities)', system: 'whole system (HTTP → extract → verify → decide → credit)' };
    type Run = ReturnType<typeof summarize> & { cpuMs: Record<string, number> };
    const results: { baseline: Run; system: Run; load: number }[] = [];
    for (let r = 0; r < rounds; r++) {
      const runBaseline = async () => withCpu(async () => summarize(await measure(names.baseline, count, concurrency, (i) => bare(r * count + i))));
      const runSystem = async () => withCpu(async () => summarize(await measure(names.system, count, concurrency, viaApi)));
      const [baseline, system] = await inAlternatingOrder(r, runBaseline, runSystem);
      results.push({ baseline, system, load: os.loadavg()[0]! });
    }
    console.log(`\nLoad: ${count} problems, concurrency ${concurrency}, ${rounds} round(s), ${os.cpus().length} CPUs, Temporal ${server ? 'dev server' : address}, ${new Date().toISOString()}\n`);
    console.log('| run | ok | problems/s | submit p50 | submit p99 | completed p50 | completed p99 |');
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    results.forEach(({ baseline, system, load }, r) => {
      const round = rounds > 1 ? `round ${r + 1} (load ${load.toFixed(1)}): ` : '';
      for (const x of [baseline, system]) console.log(`| ${round}${x.name} | ${x.ok}/${count} | ${x.perSecond.toFixed(1)} | ${ms(x.submitP50)} | ${ms(x.submitP99)} | ${ms(x.completeP50)} | ${ms(x.completeP99)} |`);
      console.log(`| ${round}ratio system/baseline | | ${(system.perSecond / baseline.perSecond).toFixed(2)}× throughput | ${(system.submitP50 / baseline.submitP50).toFixed(2)}× | ${(system.submitP99 / baseline.submitP99).toFixed(2)}× | ${(system.completeP50 / baseline.completeP50).toFixed(2)}× | ${(system.completeP99 / baseline.completeP99).toFixed(2)}× |`);
    });
    if (oneAtATime > 0) {
      const [bareAlone, systemAlone] = [summarize(await measure(names.baseline, oneAtATime, 1, (i) => bare(rounds * count + i))), summarize(await measure(names.system, oneAtATime, 1, viaApi))];
      console.log(`\nOne at a time (${oneAtATime} each, the next submitted when the last finished): submit p50 / p99 bare ${ms(bareAlone.submitP50)} / ${ms(bareAlone.submitP99)}, system ${ms(systemAlone.submitP50)} / ${ms(systemAlone.submitP99)}; ratio ${(systemAlone.submitP50 / bareAlone.submitP50).toFixed(2)}× / ${(systemAlone.submitP99 / bareAlone.submitP99).toFixed(2)}×`);
    }
    const groupNames = Object.keys(groups);
    console.log(`\nCPU per problem (ms), median of the rounds:\n\n| run | ${groupNames.join(' | ')} |\n| --- | ${groupNames.map(() => '---').join(' | ')} |`);
    for (const which of ['baseline', 'system'] as const) console.log(`| ${names[which]} | ${groupNames.map((g) => median(results.map((x) => x[which].cpuMs[g]!)).toFixed(0)).join(' | ')} |`);
    const ratios = results.map(({ baseline, system }) => system.perSecond / baseline.perSecond);
    const ratio = median(ratios);
    const submitP99 = median(results.map(({ baseline, system }) => system.submitP99 / baseline.submitP99));
    console.log(`\nthroughput ratio system/baseline: median ${ratio.toFixed(2)}× of ${rounds} round(s) (${ratios.map((x) => x.toFixed(2)).join(', ')}); submit p99 ratio median ${submitP99.toFixed(2)}×`);
    if (results.some(({ baseline, system }) => system.ok !== count || baseline.ok !== count)) process.exitCode = 1;
    if (values['min-ratio'] !== undefined) {
      const floor = Number(values['min-ratio']);
      const verdict = ratio >= floor ? 'ok' : 'FAILED';
      console.log(`perf check: median throughput ratio ${ratio.toFixed(2)}× against the floor ${floor.toFixed(2)}×: ${verdict}`);
      if (ratio < floor) process.exitCode = 1;
    }
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
