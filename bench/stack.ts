/**
 * The embedded stack under load, exactly as `npm start` runs it (scripts/dev.ts: Temporal dev
 * server on a SQLite file with its Web UI, demo systems, one worker, the API, each under tsx):
 * N connectivity problems submitted over HTTP by C concurrent clients, each client submitting
 * its next problem as soon as the previous POST answered. Prints problems/s (first POST to last
 * problem at rest), POST latency, submit→resting latency, and the CPU each process used during
 * the load (read from /proc), with the machine's load average, since the machine is shared.
 *
 * Each run also measures bare Temporal on the same stack, as the ceiling its dev server allows:
 * a baseline worker (bench/baseline, five no-op activities) and the same N workflows started by C
 * concurrent Temporal clients, with no HTTP, no API and no extraction. The two phases alternate
 * which goes first from run to run, and the table gives the system ÷ bare ratios.
 *
 * Last in each run, the same N starts from C clients to a task queue no worker polls: the dev
 * server's own floor for a start with C in flight, which no submission through it can beat.
 *
 * With `--rate R` the load is open instead of closed: submissions arrive at R per second on a
 * fixed schedule, whether or not earlier ones have answered (no concurrency cap), and each
 * latency counts from its scheduled time, so a stall shows in the figures rather than slowing
 * the arrivals (no coordinated omission). That answers "at R problems/s, how long does a POST
 * take", which closed-loop clients cannot: with C always in flight, latency is C ÷ rate.
 *
 *   npm run bench:stack -- --count 200 --concurrency 20
 *   npm run bench:stack -- --count 400 --rate 20           # open loop at 20 problems/s
 *   npm run bench:stack -- --runs 3                        # repeated, each on a fresh data dir
 *   WORKER_MAX_CACHED_WORKFLOWS=100 npm run bench:stack      # any variable the stack reads
 *
 * Ports are the NN=44 block unless PORT, SYSTEMS_PORT, TEMPORAL_ADDRESS, TEMPORAL_UI_PORT are set.
 * "Resting" is the workflow's result (connectivity problems end `completed`), awaited through the
 * Temporal client, so measuring adds no HTTP polling to the load.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DEV_API_KEYS } from '../src/config';
import { startGuardedCommand, startNodeScript, waitFor } from '../scripts/lib/processes';
import { cpuSeconds, loadAverage, machineBusySeconds, processTree, type ProcessGroups } from './lib/proc-cpu';
import { startBaseline, startBaselineWorkflow } from './baseline/client';
import { inAlternatingOrder, ms, percentile, pool } from './lib/stats';

const ROOT = path.resolve(__dirname, '..');

/** The baseline workflow's task queue on the stack's dev server. */
const BASELINE_QUEUE = 'baseline';
/** A task queue no worker polls: its starts measure the dev server alone. */
const UNPOLLED_QUEUE = 'bench-starts-only';

/** Connectivity texts of the three completing paths (outage ticket, line reset, technician visit). */
const TEXTS = [
  'My fiber internet has been down since 2026-11-20, account ACC-1001, pincode 400001.',
  'No internet on my mobile since yesterday. Account ACC-1002.',
  'Fiber broadband keeps dropping, account ACC-1004',
];

/** Which role a process of the stack plays, from its command line. */
function roleOf(cmd: string): string {
  if (/\bstart-dev\b/.test(cmd)) return 'temporal dev server';
  if (cmd.includes('guard-command')) return 'supervisors (dev.ts, guards)';
  if (cmd.includes('worker-main')) return 'worker';
  if (cmd.includes('api/server')) return 'API';
  if (cmd.includes('systems/server')) return 'demo systems';
  return 'supervisors (dev.ts, guards)';
}

/** Figures of one phase of a run: the system through its API, or the bare baseline. */
interface PhaseFigures {
  ok: number;
  perSecond: number;
  /** The submission's latency: the POST's for the system, StartWorkflowExecution's for the baseline. */
  postP50: number;
  postP99: number;
  restP50: number;
  restP99: number;
  wallS: number;
  cpu: Record<string, number>;
  machineCpu: number;
  loadBefore: number;
  loadAfter: number;
}

interface RunFigures {
  system: PhaseFigures;
  bare: PhaseFigures;
  /** Starts alone, to a task queue no worker polls. */
  startsOnly: PhaseFigures;
}

/**
 * Submits problem `i`, its latency counted from `t0` (its scheduled time in an open-loop phase);
 * `rest` settles `true` once it rests as expected.
 */
type Submit = (i: number, t0?: number) => Promise<{ t0: number; postMs: number; rest: Promise<boolean> }>;

/** How a phase offers its load: closed (C clients, each submitting when its last POST answered) or open (R per second on a schedule). */
type Load = { concurrency: number } | { rate: number };

/** Runs the phase's `count` submissions as `load` says. */
async function offer(count: number, load: Load, submit: Submit, onSubmitted: (submitted: Awaited<ReturnType<Submit>>) => void): Promise<void> {
  if ('concurrency' in load) {
    await pool(Array.from({ length: count }, (_, i) => i), load.concurrency, async (i) => onSubmitted(await submit(i)));
    return;
  }
  const started = performance.now();
  const posts: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const scheduled = started + (i * 1000) / load.rate;
    const wait = scheduled - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    posts.push(submit(i, scheduled).then(onSubmitted));
  }
  await Promise.all(posts);
}

/** `count` submissions offered as `load` says. */
async function measurePhase(count: number, load: Load, groups: ProcessGroups, submit: Submit): Promise<PhaseFigures> {
  const loadBefore = loadAverage();
  const cpu0 = cpuSeconds(groups);
  const machine0 = machineBusySeconds();
  const started = performance.now();
  const waits: Promise<{ ok: boolean; restMs: number; postMs: number }>[] = [];
  await offer(count, load, submit, ({ t0, postMs, rest }) => {
    waits.push(rest.then((ok) => ({ ok, restMs: performance.now() - t0, postMs })));
  });
  const samples = await Promise.all(waits);
  const wallS = (performance.now() - started) / 1000;
  const cpu1 = cpuSeconds(groups);
  return {
    ok: samples.filter((s) => s.ok).length,
    perSecond: count / wallS,
    postP50: percentile(samples.map((s) => s.postMs), 50),
    postP99: percentile(samples.map((s) => s.postMs), 99),
    restP50: percentile(samples.map((s) => s.restMs), 50),
    restP99: percentile(samples.map((s) => s.restMs), 99),
    wallS,
    cpu: Object.fromEntries(Object.keys(groups).map((g) => [g, (cpu1[g]! - cpu0[g]!) / wallS])),
    machineCpu: (machineBusySeconds() - machine0) / wallS,
    loadBefore,
    loadAfter: loadAverage(),
  };
}

async function runOnce(run: number, count: number, load: Load, env: NodeJS.ProcessEnv): Promise<RunFigures> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-stack-'));
  const runEnv: NodeJS.ProcessEnv = { ...env, DATA_DIR: dataDir };
  const logFile = path.join(dataDir, 'stack.log');
  const log = fs.openSync(logFile, 'a');
  // The same command line as `npm start` (without its prestart installs), output to a file,
  // behind a guard that stops it if this benchmark dies.
  const stack = startGuardedCommand('npm start', process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/dev.ts')], { env: runEnv, cwd: ROOT, stdio: ['ignore', log, log] });
  const base = `http://127.0.0.1:${runEnv.PORT}`;
  const connection = await waitForConnection(runEnv.TEMPORAL_ADDRESS!, stack.exited, logFile);
  const baselineWorker = startNodeScript('baseline worker', path.join(ROOT, 'bench/baseline/worker.ts'), [], { env: { ...runEnv, BASELINE_TASK_QUEUE: BASELINE_QUEUE }, cwd: ROOT, stdio: ['ignore', log, log] });
  try {
    await waitFor('the API to be ready', async () => (await fetch(`${base}/readyz`)).ok, 180_000, 500);
    const client = new Client({ connection });
    const key = DEV_API_KEYS.find((k) => k.roles.includes('submitter'))!.key;
    const viaApi: Submit = async (i, t0 = performance.now()) => {
      const res = await fetch(`${base}/v1/problems`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text: TEXTS[i % TEXTS.length] }),
      });
      const postMs = performance.now() - t0;
      if (res.status !== 202) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
      const { id } = (await res.json()) as { id: string };
      return { t0, postMs, rest: client.workflow.result(id).then((state) => (state as { status: string }).status === 'completed') };
    };
    const bare: Submit = async (i, t0 = performance.now()) => {
      const { done } = await startBaseline(client, BASELINE_QUEUE, `baseline-${run}-${i}`, i);
      return { t0, postMs: performance.now() - t0, rest: done };
    };
    // Warm-up: every path once, and the baseline, so bundle load and JIT are not in the figures.
    await Promise.all([...TEXTS.map(async (_, i) => (await viaApi(i)).rest), (await bare(-1)).rest]);

    const groups: ProcessGroups = { 'baseline worker': processTree(baselineWorker.child.pid!).map((p) => p.pid) };
    for (const p of processTree(stack.child.pid!)) (groups[roleOf(p.cmd)] ??= []).push(p.pid);
    const [system, bareFigures] = await inAlternatingOrder(run, () => measurePhase(count, load, groups, viaApi), () => measurePhase(count, load, groups, bare));
    const startOnly: Submit = async (i, t0 = performance.now()) => {
      await startBaselineWorkflow(client, UNPOLLED_QUEUE, `start-only-${run}-${i}`, i);
      return { t0, postMs: performance.now() - t0, rest: Promise.resolve(true) };
    };
    return { system, bare: bareFigures, startsOnly: await measurePhase(count, load, groups, startOnly) };
  } finally {
    await connection.close();
    await baselineWorker.stop();
    await stack.stop(30_000);
    fs.closeSync(log);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A client connection to the stack's Temporal, once its dev server answers. */
async function waitForConnection(address: string, exited: Promise<number | null>, logFile: string): Promise<Connection> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (gone) throw new Error(`the stack exited during start-up:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
    try {
      return await Connection.connect({ address, connectTimeout: 1000 });
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

const pct = (n: number) => `${(n * 100).toFixed(0)} %`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '200' }, concurrency: { type: 'string', default: '20' }, rate: { type: 'string' }, runs: { type: 'string', default: '1' } } });
  const count = Number(values.count);
  const load: Load = values.rate !== undefined ? { rate: Number(values.rate) } : { concurrency: Number(values.concurrency) };
  const offered = 'rate' in load ? `offered open-loop at ${load.rate}/s` : `${load.concurrency} concurrent clients`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: process.env.PORT ?? '3440',
    SYSTEMS_PORT: process.env.SYSTEMS_PORT ?? '3441',
    SYSTEMS_URL: process.env.SYSTEMS_URL ?? `http://127.0.0.1:${process.env.SYSTEMS_PORT ?? '3441'}`,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7443',
    TEMPORAL_UI_PORT: process.env.TEMPORAL_UI_PORT ?? '8443',
    WORKER_METRICS_PORT: process.env.WORKER_METRICS_PORT ?? '0',
    WORKER_APP_METRICS_PORT: process.env.WORKER_APP_METRICS_PORT ?? '0',
    // One key submits everything: the per-key limits would otherwise answer 429 by design.
    RATE_LIMIT_PER_MINUTE: '1000000',
    SUBMISSIONS_PER_MINUTE: '1000000',
  };
  const runs: RunFigures[] = [];
  for (let r = 0; r < Number(values.runs); r++) runs.push(await runOnce(r, count, load, env));

  const variables = Object.entries(process.env).filter(([k]) => /^(DEV_|WORKER_|LOG_|NODE_OPTIONS)/.test(k)).map(([k, v]) => `${k}=${v}`);
  console.log(`\nEmbedded stack (scripts/dev.ts): ${count} connectivity problems, ${offered}, ${os.cpus().length} CPUs, ${new Date().toISOString()}${variables.length ? `, ${variables.join(' ')}` : ''}`);
  console.log(`bare: the same ${count} starts of a 5-activity workflow on the same dev server, ${offered} through the Temporal client (no HTTP, no API)\n`);
  console.log('| run | load avg before / after | completed | problems/s | POST (bare: start) p50 / p99 | submit→resting p50 / p99 |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  const row = (label: string, p: PhaseFigures) => `| ${label} | ${p.loadBefore.toFixed(1)} / ${p.loadAfter.toFixed(1)} | ${p.ok}/${count} | ${p.perSecond.toFixed(1)} | ${ms(p.postP50)} / ${ms(p.postP99)} | ${ms(p.restP50)} / ${ms(p.restP99)} |`;
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  runs.forEach(({ system, bare }, i) => {
    console.log(row(`${i + 1}: system`, system));
    console.log(row(`${i + 1}: bare`, bare));
    console.log(`| ${i + 1}: system ÷ bare | | | ${ratio(system.perSecond, bare.perSecond)} | ${ratio(system.postP50, bare.postP50)} / ${ratio(system.postP99, bare.postP99)} | ${ratio(system.restP50, bare.restP50)} / ${ratio(system.restP99, bare.restP99)} |`);
  });
  console.log(`\nStarts alone (the same ${count} starts, ${offered}, to a task queue no worker polls: the dev server's floor for a start):`);
  runs.forEach(({ startsOnly: s }, i) => console.log(`- run ${i + 1} (load ${s.loadBefore.toFixed(1)}): ${s.perSecond.toFixed(0)} starts/s, start p50 / p99 ${ms(s.postP50)} / ${ms(s.postP99)}`));
  const roles = Object.keys(runs[0]!.system.cpu).sort();
  console.log(`\nCPU during the load, in % of one core (the machine has ${os.cpus().length}):\n`);
  console.log(`| run | ${roles.join(' | ')} | whole machine (all users) |`);
  console.log(`| --- | ${roles.map(() => '---').join(' | ')} | --- |`);
  runs.forEach((r, i) => {
    for (const phase of ['system', 'bare'] as const) console.log(`| ${i + 1}: ${phase} | ${roles.map((g) => pct(r[phase].cpu[g] ?? 0)).join(' | ')} | ${pct(r[phase].machineCpu)} |`);
  });
  for (const phase of ['system', 'bare'] as const) {
    console.log(`\nCPU seconds per problem, ${phase}:`, roles.map((g) => `${g} ${((runs.reduce((s, r) => s + (r[phase].cpu[g] ?? 0) * r[phase].wallS, 0)) / (count * runs.length) * 1000).toFixed(1)} ms`).join(', '));
  }
  if (runs.some((r) => r.system.ok !== count || r.bare.ok !== count)) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
