/**
 * What one problem costs Temporal, path by path: from its history (workflow tasks, activities and
 * local activities by type, search-attribute upserts, timers, events) and from the dev server's
 * own request counters (every gRPC call the worker and the API made for it, by operation, less
 * the task-queue long polls), plus
 * the calls one `GET /v1/problems/:id` makes on a problem at rest. Problems run one at a time on
 * an otherwise idle stack (dev server in memory, demo systems, one worker, one API, as in
 * bench/load.ts), so the counter deltas belong to that problem.
 *
 *   npm run bench:profile            # the default paths
 *   npm run bench:profile -- --text 'Account ACC-1001, invoice INV-2001: please credit Rs 999.'
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { startDevServer } from '../scripts/lib/dev-server';
import { freePort, startProcess, waitFor, type ManagedProcess } from '../scripts/lib/processes';
import { DEV_API_KEYS } from '../src/config';
import { problemSearchAttributes as sa } from '../src/temporal/search-attributes';

const ROOT = path.resolve(__dirname, '..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const RESTING = new Set(['needs_clarification', 'awaiting_approval', 'active', 'completed', 'rejected', 'failed']);
const EventType = temporal.api.enums.v1.EventType;

/** Default paths: the load benchmarks' two problems, one that waits for approval, one that asks. */
const DEFAULT_TEXTS = [
  'My fiber internet has been down since 2026-11-20, account ACC-1001, pincode 400001.',
  'I was charged twice for MOB-299 on invoice INV-2002, account ACC-1002. Please refund Rs 299.',
  'Account ACC-1001, invoice INV-2001: please credit Rs 999 for the fiber plan.',
  'My internet is not working',
];

/** The dev server frontend's request counters by gRPC operation (`service_requests`). */
async function frontendRequests(metricsPort: number): Promise<Map<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('service_requests{') || !line.includes('service_name="frontend"')) continue;
    const op = /operation="([^"]+)"/.exec(line)?.[1];
    // Task-queue long polls return on their own schedule, empty ones too; a poll that delivered a
    // task shows as the matching Respond* call. DescribeTaskQueue is the API's readiness probe.
    if (op && !/^Poll(Workflow|Activity|Nexus)TaskQueue$|^DescribeTaskQueue$/.test(op)) counts.set(op, (counts.get(op) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return counts;
}

function delta(before: Map<string, number>, after: Map<string, number>, own: Record<string, number> = {}): Map<string, number> {
  const out = new Map<string, number>();
  for (const [op, n] of after) {
    const d = n - (before.get(op) ?? 0) - (own[op] ?? 0);
    if (d > 0) out.set(op, d);
  }
  return out;
}

/** Counts of one history: the events that are round trips or state the server persists. */
function historyProfile(events: temporal.api.history.v1.IHistoryEvent[]) {
  const activities = new Map<string, number>();
  const local = new Map<string, number>();
  let workflowTasks = 0;
  let upserts = 0;
  let timers = 0;
  let markers = 0;
  for (const e of events) {
    if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) workflowTasks++;
    if (e.eventType === EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES) upserts++;
    if (e.eventType === EventType.EVENT_TYPE_TIMER_STARTED) timers++;
    if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
      const name = e.activityTaskScheduledEventAttributes?.activityType?.name ?? '?';
      activities.set(name, (activities.get(name) ?? 0) + 1);
    }
    if (e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED) {
      const attrs = e.markerRecordedEventAttributes!;
      if (attrs.markerName === 'core_local_activity') {
        const data = attrs.details?.data?.payloads?.[0]?.data;
        const parsed = data ? (JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string; activityType?: string }) : {};
        const name = parsed.activity_type ?? parsed.activityType ?? '?';
        local.set(name, (local.get(name) ?? 0) + 1);
      } else markers++;
    }
  }
  return { events: events.length, workflowTasks, activities, local, upserts, timers, markers };
}

const settle = () => new Promise((r) => setTimeout(r, 2500));
const list = (m: Map<string, number>) => ([...m.entries()].map(([k, n]) => (n > 1 ? `${k} ×${n}` : k)).join(', ') || '—');
const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { text: { type: 'string', multiple: true } } });
  const texts = values.text?.length ? values.text : DEFAULT_TEXTS;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-profile-'));
  const server = await startDevServer({ headless: true });
  const ports = { api: await freePort(), systems: await freePort() };
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: server.address,
    DATA_DIR: dir,
    PORT: String(ports.api),
    SYSTEMS_PORT: String(ports.systems),
    SYSTEMS_URL: `http://127.0.0.1:${ports.systems}`,
    LOG_LEVEL: 'warn',
    WORKER_METRICS_PORT: '0',
    WORKER_APP_METRICS_PORT: '0',
    // Worker Versioning: the worker makes its version current, as npm start's does.
    WORKER_SET_CURRENT: 'true',
  };
  const processes: ManagedProcess[] = [];
  for (const script of ['src/systems/server.ts', 'src/temporal/worker-main.ts', 'src/api/server.ts']) {
    processes.push(startProcess(script, TSX, [path.join(ROOT, script)], { env, cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] }));
  }
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const base = `http://127.0.0.1:${ports.api}`;
  const key = DEV_API_KEYS.find((k) => k.roles.includes('submitter'))!.key;
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  try {
    await waitFor('API ready', async () => (await fetch(`${base}/readyz`)).ok, 120_000, 500);
    const rows: string[][] = [];
    for (const text of texts) {
      const before = await frontendRequests(server.metricsPort);
      const res = await fetch(`${base}/v1/problems`, { method: 'POST', headers, body: JSON.stringify({ text }) });
      if (res.status !== 202) throw new Error(`POST answered ${res.status}`);
      const { id } = (await res.json()) as { id: string };
      const handle = client.workflow.getHandle(id);
      // Waits on the status search attribute (our own describes are subtracted below).
      let describes = 0;
      let status = '';
      await waitFor(`${id} at rest`, async () => {
        describes++;
        status = (await handle.describe()).typedSearchAttributes.get(sa.status) ?? '';
        return RESTING.has(status);
      }, 60_000, 100);
      // The server publishes its counters about once a second: let the last ones land.
      await settle();
      const run = delta(before, await frontendRequests(server.metricsPort), { DescribeWorkflowExecution: describes });
      const history = historyProfile((await handle.fetchHistory()).events ?? []);
      await settle();
      const beforeGet = await frontendRequests(server.metricsPort);
      const got = await fetch(`${base}/v1/problems/${id}`, { headers });
      if (got.status !== 200) throw new Error(`GET answered ${got.status}`);
      await settle();
      const get = delta(beforeGet, await frontendRequests(server.metricsPort));
      rows.push([
        `${text.slice(0, 40)}… → ${status}`,
        String(history.workflowTasks),
        `${total(history.activities)}: ${list(history.activities)}`,
        `${total(history.local)}${history.local.size ? `: ${list(history.local)}` : ''}`,
        String(history.upserts),
        String(history.timers),
        String(history.events),
        `${total(run)}: ${list(run)}`,
        `${total(get)}: ${list(get)}`,
      ]);
    }
    console.log(`\nOne problem's path (dev server in memory, one worker, one API), ${new Date().toISOString()}\n`);
    console.log('| problem → resting status | workflow tasks | activities | local activities | search-attribute upserts | timers | history events | frontend calls, submit to rest (worker + API; task polls not counted) | frontend requests of one GET /v1/problems/:id |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
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
