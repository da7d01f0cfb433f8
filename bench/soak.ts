/**
 * Soak benchmark: submissions at a fixed rate for a fixed time (default 4/s for 5 minutes)
 * over HTTP with a mix of problem types, through one API process and one worker process.
 * Records throughput, submit latency and submit-to-resting latency (p50/p95/p99), and the
 * worker's and API's resident memory over time (flat = no leak). In the same run, a bare
 * Temporal baseline (client -> workflow with 5 no-op activities) runs at the same rate first,
 * for the ratio.
 *
 *   npm run bench:soak -- [--duration 300] [--rate 4] [--baseline-duration 60]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { startProcess, waitFor, type ManagedProcess } from '../scripts/lib/processes';
import { buildCases, drillKeys, type DrillCase } from '../scripts/drills/lib/problems';
import { startStack } from '../scripts/drills/lib/stack';
import { startBaseline } from './baseline/client';
import { ms, percentile } from './lib/stats';

const ROOT = path.resolve(__dirname, '..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
/** Resting statuses: nothing more happens without a person. */
const RESTING = new Set(['completed', 'rejected', 'failed', 'awaiting_approval', 'needs_clarification']);
/** The resting statuses of a problem still running. */
const WAITING = new Set(['awaiting_approval', 'needs_clarification']);

interface Sample {
  type: string;
  submitMs: number;
  completeMs: number;
  status: string;
}

/** Clean texts of the other registered types from the extraction corpus (fixture of the LLM work). */
function corpusTexts(): { type: string; text: string }[] {
  const file = path.join(ROOT, 'test/fixtures/extraction-corpus.json');
  if (!fs.existsSync(file)) return [];
  const corpus = JSON.parse(fs.readFileSync(file, 'utf8')) as { items: { text: string; tags?: string[]; expected: { intent: string } }[] };
  return corpus.items
    .filter((i) => i.tags?.includes('clean') && !['billing_dispute', 'unknown', 'multiple_issues'].includes(i.expected.intent))
    .map((i) => ({ type: i.expected.intent, text: i.text }));
}

/** Launches `task(i)` every `1000 / rate` ms for `durationMs`; resolves when all have settled. */
async function atFixedRate<T>(rate: number, durationMs: number, task: (i: number) => Promise<T>): Promise<{ results: T[]; wallMs: number }> {
  const started = performance.now();
  const running: Promise<T>[] = [];
  const total = Math.floor((rate * durationMs) / 1000);
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    running.push(task(i));
  }
  const results = await Promise.all(running);
  return { results, wallMs: performance.now() - started };
}

function summarize(name: string, samples: Sample[], wallMs: number) {
  const ok = samples.filter((s) => RESTING.has(s.status) && s.status !== 'failed');
  const submit = samples.map((s) => s.submitMs);
  const complete = ok.map((s) => s.completeMs);
  return {
    name,
    n: samples.length,
    ok: ok.length,
    perSecond: (ok.length / wallMs) * 1000,
    submit: [50, 95, 99].map((p) => percentile(submit, p)),
    complete: [50, 95, 99].map((p) => percentile(complete, p)),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { duration: { type: 'string', default: '300' }, rate: { type: 'string', default: '4' }, 'baseline-duration': { type: 'string', default: '60' } } });
  const durationMs = Number(values.duration) * 1000;
  const rate = Number(values.rate);
  const billingCount = Math.ceil((rate * durationMs) / 1000);
  let cases: DrillCase[] = [];
  const stack = await startStack({ seed: (db) => (cases = buildCases(db, billingCount, ['auto_credit', 'auto_credit', 'over_claim'])) });
  const address = stack.server!.address;
  const baselineWorker: ManagedProcess = startProcess('baseline-worker', TSX, [path.join(ROOT, 'bench/baseline/worker.ts')], {
    env: { ...process.env, TEMPORAL_ADDRESS: address, BASELINE_TASK_QUEUE: 'baseline' },
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // Ctrl-C or `timeout`: the stack stops itself; the baseline worker is ours to stop.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void baselineWorker.kill());
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const others = corpusTexts();
  const api = stack.apiUrls[0]!;
  try {
    const bare = async (i: number): Promise<Sample> => {
      const t0 = performance.now();
      const { done } = await startBaseline(client, 'baseline', `soak-baseline-${Date.now()}-${i}`, i);
      const submitMs = performance.now() - t0;
      const ok = await done;
      return { type: 'baseline', submitMs, completeMs: performance.now() - t0, status: ok ? 'completed' : 'failed' };
    };
    await waitFor('baseline worker', async () => (await bare(-1)).status === 'completed', 60_000, 500);

    const viaApi = async (i: number): Promise<Sample> => {
      // Half billing disputes on fresh invoices, half the other types from the corpus.
      const other = others.length && i % 2 === 1 ? others[(i >> 1) % others.length]! : undefined;
      const text = other ? other.text : cases[i % cases.length]!.text;
      const type = other ? other.type : 'billing_dispute';
      const t0 = performance.now();
      const res = await fetch(`${api}/v1/problems`, {
        method: 'POST',
        headers: { authorization: `Bearer ${drillKeys.submitter}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
      });
      const submitMs = performance.now() - t0;
      if (res.status !== 202) return { type, submitMs, completeMs: Number.NaN, status: `http_${res.status}` };
      const { id } = (await res.json()) as { id: string };
      // A final status is seen when the workflow closes (its result, exactly as the baseline's); a
      // waiting one (approval, clarification) by polling GET every 250 ms, which adds up to 250 ms.
      let closed = false;
      const stopWaitingForClose = new AbortController();
      const final = connection
        .withAbortSignal(stopWaitingForClose.signal, () => client.workflow.getHandle(id).result())
        .then((state: { status: string }) => ({ status: state.status, at: performance.now() }))
        .finally(() => (closed = true));
      const waiting = (async () => {
        while (!closed) {
          await new Promise((r) => setTimeout(r, 250));
          if (closed) break;
          const got = await fetch(`${api}/v1/problems/${id}`, { headers: { authorization: `Bearer ${drillKeys.admin}` } });
          if (got.status !== 200) continue;
          const { status } = (await got.json()) as { status: string };
          if (WAITING.has(status)) return { status, at: performance.now() };
        }
        return final;
      })();
      const rest = await Promise.race([final, waiting]);
      // A problem waiting for a person does not close during the run: stop its result's long poll.
      stopWaitingForClose.abort();
      final.catch(() => undefined);
      return { type, submitMs, completeMs: rest.at - t0, status: rest.status };
    };

    const memory: { t: number; worker: number; api: number }[] = [];
    const sampleMemory = (since: number) => memory.push({ t: (performance.now() - since) / 1000, worker: stack.rss('worker').reduce((a, b) => a + b, 0) / 1024, api: stack.rss('api').reduce((a, b) => a + b, 0) / 1024 });

    const baselineRun = await atFixedRate(rate, Number(values['baseline-duration']) * 1000, bare);
    const soakStart = performance.now();
    sampleMemory(soakStart);
    const sampler = setInterval(() => sampleMemory(soakStart), 5000);
    const systemRun = await atFixedRate(rate, durationMs, viaApi);
    clearInterval(sampler);
    sampleMemory(soakStart);

    const baseline = summarize('bare Temporal (5 no-op activities)', baselineRun.results, baselineRun.wallMs);
    const system = summarize('whole system over HTTP (mix of types)', systemRun.results, systemRun.wallMs);
    const pct = (xs: number[]) => xs.map(ms).join(' / ');
    console.log(`\nSoak: ${rate}/s for ${values.duration} s (baseline ${values['baseline-duration']} s), ${os.cpus().length} CPUs, ${new Date().toISOString()}\n`);
    console.log('| run | submitted | resting ok | completed/s | submit p50 / p95 / p99 | submit→resting p50 / p95 / p99 |\n| --- | --- | --- | --- | --- | --- |');
    for (const r of [baseline, system]) console.log(`| ${r.name} | ${r.n} | ${r.ok} | ${r.perSecond.toFixed(2)} | ${pct(r.submit)} | ${pct(r.complete)} |`);
    const ratio = (a: number[], b: number[]) => a.map((x, i) => `${(x / b[i]!).toFixed(1)}×`).join(' / ');
    console.log(`| ratio system / baseline | | | ${(system.perSecond / baseline.perSecond).toFixed(2)}× | ${ratio(system.submit, baseline.submit)} | ${ratio(system.complete, baseline.complete)} |`);

    const byType = new Map<string, Map<string, number>>();
    for (const s of systemRun.results) {
      const m = byType.get(s.type) ?? new Map<string, number>();
      m.set(s.status, (m.get(s.status) ?? 0) + 1);
      byType.set(s.type, m);
    }
    console.log('\n| type | resting statuses | submit→resting p50 / p95 / p99 |\n| --- | --- | --- |');
    for (const [type, m] of byType) {
      const { complete } = summarize(type, systemRun.results.filter((s) => s.type === type), systemRun.wallMs);
      console.log(`| ${type} | ${[...m.entries()].map(([k, v]) => `${k} ${v}`).join(', ')} | ${pct(complete)} |`);
    }

    console.log('\n| t (s) | worker RSS (MiB) | API RSS (MiB) |\n| --- | --- | --- |');
    const step = Math.max(1, Math.round(30 / 5));
    memory.filter((_, i) => i % step === 0 || i === memory.length - 1).forEach((m) => console.log(`| ${m.t.toFixed(0)} | ${m.worker.toFixed(0)} | ${m.api.toFixed(0)} |`));
    // Growth after warm-up: mean of the second quarter vs mean of the last quarter of samples.
    const q = Math.max(1, Math.floor(memory.length / 4));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    for (const role of ['worker', 'api'] as const) {
      const early = mean(memory.slice(q, 2 * q).map((m) => m[role]));
      const late = mean(memory.slice(-q).map((m) => m[role]));
      console.log(`${role} RSS: ${early.toFixed(0)} MiB after warm-up → ${late.toFixed(0)} MiB at the end (${(((late - early) / early) * 100).toFixed(1)} %)`);
    }
    const failed = systemRun.results.filter((s) => !RESTING.has(s.status)).length;
    if (failed || baseline.ok !== baseline.n) process.exitCode = 1;
  } finally {
    await connection.close();
    await baselineWorker.stop();
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
