/**
 * Memory of one worker while many problems wait for approval. Starts N problem workflows
 * (default 10,000) that each go to `awaiting_approval`, against a local dev server, the demo
 * systems and ONE worker process whose sticky cache is bounded by WORKER_MAX_CACHED_WORKFLOWS.
 * Samples the worker's RSS (its whole process tree) while they start and while they wait,
 * then prints a table plus the history size of a waiting problem.
 *
 *   npm run bench:waiting -- [--count 10000] [--cache 500] [--window 300] [--hold-s 60] [--sample-s 10] [--approvals-probe 200]
 *
 * Problems are started through the Temporal client with the same input the API sends, so the
 * figure is the worker's, not the API's. At most `--window` problems are on their way to
 * approval at any time (arrivals, not one burst of N), so the cache holds the active ones.
 * With `--approvals-probe R` an API process runs too, and once all wait an approver reads the
 * pending queue (`GET /v1/approvals`, first page) R times, one after another: its latency with N waiting.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { startDevServer } from '../scripts/lib/dev-server';
import { freePort, startProcess, waitFor, type ManagedProcess } from '../scripts/lib/processes';
import { digestOf } from '../src/domain/digest';
import { problemSearchAttributes as sa } from '../src/temporal/search-attributes';
import { bundleWorkflowSources } from '../src/temporal/workflow-bundle';
import type { ProblemInput } from '../workflows/definitions';
import { DEV_API_KEYS, loadConfig } from '../src/config';
import { createCommandSigner } from '../src/security/command-keys';
import { ms, percentile, pool } from './lib/stats';

const ROOT = path.resolve(__dirname, '..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const TEXT = 'Account ACC-1001, invoice INV-2001: please credit Rs 999 for the fiber plan.';

/** Resident set size (bytes) of `pid` and all its descendants, from /proc. */
function treeRss(pid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // exited meanwhile
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop()!;
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      total += rss ? Number(rss[1]) * 1024 : 0;
    } catch {
      // exited meanwhile
    }
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}

interface Sample {
  atS: number;
  phase: 'starting' | 'waiting';
  started: number;
  awaiting: number;
  rssMb: number;
}

/** Reads the approver's pending queue `times` times, one after another; latencies in ms. */
async function probeApprovals(base: string, times: number): Promise<{ p50: number; p99: number; max: number; items: number }> {
  const key = DEV_API_KEYS.find((k) => k.principal === 'bob')!.key;
  await waitFor('API ready', async () => (await fetch(`${base}/readyz`)).ok, 120_000, 500);
  const latencies: number[] = [];
  let items = 0;
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    const res = await fetch(`${base}/v1/approvals?status=pending`, { headers: { authorization: `Bearer ${key}` } });
    const body = (await res.json()) as { items?: unknown[] };
    latencies.push(performance.now() - t);
    if (!res.ok) throw new Error(`GET /v1/approvals answered ${res.status}`);
    items = body.items?.length ?? 0;
  }
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies), items };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '10000' },
      cache: { type: 'string', default: '500' },
      concurrency: { type: 'string', default: '40' },
      window: { type: 'string', default: '300' },
      'hold-s': { type: 'string', default: '60' },
      'sample-s': { type: 'string', default: '10' },
      'approvals-probe': { type: 'string', default: '0' },
    },
  });
  const probes = Number(values['approvals-probe']);
  const count = Number(values.count);
  const cache = Number(values.cache);
  const sampleMs = Number(values['sample-s']) * 1000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-waiting-'));
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  const bundle = await bundleWorkflowSources();
  fs.writeFileSync(bundlePath, bundle.code);

  const server = await startDevServer({ headless: true, dbFile: path.join(dir, 'temporal.db') });
  const systemsPort = await freePort();
  const apiPort = await freePort();
  const taskQueue = 'bench-waiting';
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    DATA_DIR: dir,
    SYSTEMS_PORT: String(systemsPort),
    SYSTEMS_URL: `http://127.0.0.1:${systemsPort}`,
    PORT: String(apiPort),
    RATE_LIMIT_PER_MINUTE: '1000000',
    WORKFLOW_BUNDLE_PATH: bundlePath,
    WORKER_MAX_CACHED_WORKFLOWS: String(cache),
    WORKER_METRICS_PORT: '0',
    WORKER_APP_METRICS_PORT: '0',
    WORKER_SET_CURRENT: 'true',
    LOG_LEVEL: 'warn',
  };
  const processes: ManagedProcess[] = [];
  const spawn = (name: string, script: string) => {
    const p = startProcess(name, TSX, [path.join(ROOT, script)], { env, cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    processes.push(p);
    return p;
  };
  spawn('systems', 'src/systems/server.ts');
  const worker = spawn('worker', 'src/temporal/worker-main.ts');
  if (probes > 0) spawn('api', 'src/api/server.ts');
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  // Started as the API starts problems, signed with the key the worker's configuration accepts.
  const signCommand = createCommandSigner(loadConfig(env).commandSigning.signingKey!);
  const samples: Sample[] = [];
  let started = 0;
  const t0 = Date.now();
  const awaitingCount = async () =>
    Number((await client.workflowService.countWorkflowExecutions({ namespace: 'default', query: `TaskQueue = '${taskQueue}' AND ${sa.status.name} = 'awaiting_approval'` })).count ?? 0);
  const sample = async (phase: Sample['phase']) => {
    const s = { atS: Math.round((Date.now() - t0) / 1000), phase, started, awaiting: await awaitingCount().catch(() => -1), rssMb: treeRss(worker.child.pid!) / 2 ** 20 };
    samples.push(s);
    console.error(`t=${s.atS}s ${phase} started=${s.started} awaiting=${s.awaiting} workerRss=${s.rssMb.toFixed(0)} MB`);
    return s;
  };
  try {
    await waitFor('systems', async () => (await fetch(`http://127.0.0.1:${systemsPort}/healthz`)).ok, 60_000, 500).catch(() => undefined);
    await waitFor('worker polling', async () => {
      const res = await client.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, taskQueueType: 1 });
      return (res.pollers?.length ?? 0) > 0;
    }, 120_000, 500);
    await sample('starting');
    let timer = setInterval(() => void sample('starting'), sampleMs);
    const runId = Date.now().toString(36);
    const maxInFlight = Number(values.window);
    let awaitingNow = 0;
    const refreshAwaiting = setInterval(() => void awaitingCount().then((n) => (awaitingNow = n), () => undefined), 1000);
    await pool(Array.from({ length: count }, (_, i) => i), Number(values.concurrency), async (i) => {
      while (i - awaitingNow >= maxInFlight) await new Promise((r) => setTimeout(r, 250));
      const problemId = `prb_bench${runId}${String(i).padStart(6, '0')}`;
      const input: ProblemInput = signCommand('start', problemId, { problemId, text: TEXT, channel: 'api' as const, submittedBy: 'alice', requestDigest: digestOf({ i, runId }) });
      await client.workflow.start('problemWorkflow', {
        workflowId: problemId,
        taskQueue,
        args: [input],
        typedSearchAttributes: [{ key: sa.status, value: 'received' }, { key: sa.submittedBy, value: 'alice' }],
      });
      started++;
    });
    clearInterval(refreshAwaiting);
    const startedAllS = (Date.now() - t0) / 1000;
    await waitFor(`${count} problems awaiting approval`, async () => (await awaitingCount()) >= count, 3 * 3_600_000, 2000);
    const allWaitingS = (Date.now() - t0) / 1000;
    clearInterval(timer);
    await sample('waiting');
    timer = setInterval(() => void sample('waiting'), sampleMs);
    await new Promise((r) => setTimeout(r, Number(values['hold-s']) * 1000));
    clearInterval(timer);
    await sample('waiting');
    const queue = probes > 0 ? await probeApprovals(`http://127.0.0.1:${apiPort}`, probes) : undefined;

    const history = await client.workflow.getHandle(`prb_bench${runId}${String(0).padStart(6, '0')}`).fetchHistory();
    const historyBytes = Buffer.byteLength(JSON.stringify(history));
    const peak = Math.max(...samples.map((s) => s.rssMb));
    const waiting = samples.filter((s) => s.phase === 'waiting').map((s) => s.rssMb);

    console.log(`\nWorkflows waiting for approval: ${count} problems, WORKER_MAX_CACHED_WORKFLOWS=${cache}, window ${maxInFlight}, ${os.cpus().length} CPUs, ${new Date().toISOString()}\n`);
    console.log('| t (s) | phase | started | awaiting approval | worker RSS (MB) |');
    console.log('| --- | --- | --- | --- | --- |');
    for (const s of samples) console.log(`| ${s.atS} | ${s.phase} | ${s.started} | ${s.awaiting} | ${s.rssMb.toFixed(0)} |`);
    console.log(`\nall started after ${startedAllS.toFixed(0)} s; all awaiting approval after ${allWaitingS.toFixed(0)} s (${(count / allWaitingS).toFixed(1)} problems/s)`);
    console.log(`worker RSS: first ${samples[0]!.rssMb.toFixed(0)} MB, peak ${peak.toFixed(0)} MB, while all wait ${Math.min(...waiting).toFixed(0)}..${Math.max(...waiting).toFixed(0)} MB`);
    console.log(`history of one waiting problem: ${history.events?.length ?? 0} events, ${(historyBytes / 1024).toFixed(1)} KiB (JSON)`);
    if (queue) console.log(`GET /v1/approvals (approver bob, first page of ${queue.items} items) with ${count} waiting, ${probes} reads one after another: p50 ${ms(queue.p50)}, p99 ${ms(queue.p99)}, max ${ms(queue.max)}`);
  } finally {
    await connection.close();
    for (const p of processes.reverse()) await p.stop();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
