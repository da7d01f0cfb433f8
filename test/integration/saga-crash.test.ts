import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { keys, ledger, startHarness, submit, waitForStatus, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.stop());
afterEach(() => h.systems.faults.configure({}));

const effectsOf = (id: string) => ledger(h.systems.db).filter((e) => e.idempotencyKey.startsWith(`${id}/`)).map((e) => `${e.kind} ${e.idempotencyKey.slice(id.length + 1)}`);
const rows = (table: 'rerates' | 'plan_changes', accountId: string) =>
  (h.systems.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE account_id = ?`).get(accountId) as { n: number }).n;

async function waitForEffect(id: string, effect: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!effectsOf(id).includes(effect)) {
    if (Date.now() > deadline) throw new Error(`${effect} not in the ledger; have ${effectsOf(id).join(', ')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const ROOT = path.resolve(__dirname, '../..');

/** The production worker entry point as a process of its own (group leader, so SIGKILL takes tsx and node). */
function spawnWorkerProcess(): { child: ChildProcess; stderr: () => string } {
  let stderr = '';
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/temporal/worker-main.ts'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
      TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS,
      TEMPORAL_TASK_QUEUE: h.taskQueue,
      WORKER_DEPLOYMENT_NAME: h.taskQueue,
      SYSTEMS_URL: h.systems.url,
      LLM_PROVIDER: 'rules',
      WORKFLOW_BUNDLE_PATH: process.env.TEST_WORKFLOW_BUNDLE,
      DATA_DIR: process.env.TEST_TMP_DIR,
      WORKER_METRICS_PORT: '0',
      WORKER_APP_METRICS_PORT: '0',
    },
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, stderr: () => stderr };
}

describe('worker stopped in the middle of a plan-change saga, then restarted', () => {
  test('stopped while the re-rate call is held by injected latency: every effect exactly once', async () => {
    h.systems.faults.configure({ latencyMs: 1500 });
    const { id } = (await submit(h.app, keys.alice, { text: 'Please upgrade account ACC-1001 from FIBER-100 to FIBER-300.' })).json() as { id: string };
    await waitForEffect(id, 'plan_change change-plan');
    // The worker now starts the re-rate, whose request waits out the injected latency.
    await new Promise((r) => setTimeout(r, 300));
    await h.stopWorker();
    const whileDown = effectsOf(id);
    h.systems.faults.configure({});
    await h.startWorker();

    const done = await waitForStatus(h.app, keys.alice, id, ['completed', 'failed', 'rejected']);
    expect(done).toMatchObject({ status: 'completed', outcome: { steps: [{ status: 'done' }, { status: 'done' }, { status: 'done' }] } });
    expect(whileDown).not.toContain('customer_notification notify');
    expect(effectsOf(id)).toEqual(['plan_change change-plan', 'rerate rerate', 'customer_notification notify']);
    expect([rows('plan_changes', 'ACC-1001'), rows('rerates', 'ACC-1001')]).toEqual([1, 1]);
  });

  test('effects applied but their responses lost while the worker goes down: retries after restart apply nothing twice', async () => {
    // Both saga steps commit, but the worker only sees a 503, as if it had died right after each call.
    h.systems.faults.configure({
      failNext: [
        { method: 'POST', pathPrefix: '/plans/changes', status: 503, count: 1, afterEffect: true },
        { method: 'POST', pathPrefix: '/rating/rerates', status: 503, count: 1, afterEffect: true },
      ],
    });
    const { id } = (await submit(h.app, keys.alice, { text: 'ACC-1006 upgrade to FIBER-300' })).json() as { id: string };
    await waitForEffect(id, 'plan_change change-plan');
    await h.stopWorker();
    await new Promise((r) => setTimeout(r, 1500));
    await h.startWorker();
    await waitForEffect(id, 'rerate rerate');
    await h.stopWorker();
    await h.startWorker();

    const done = await waitForStatus(h.app, keys.alice, id, ['completed', 'failed', 'rejected']);
    expect(done).toMatchObject({ status: 'completed', outcome: { steps: [{ status: 'done' }, { status: 'done' }, { status: 'done' }] } });
    expect(h.systems.faults.current().failNext?.map((f) => f.count)).toEqual([0, 0]);
    expect(effectsOf(id)).toEqual(['plan_change change-plan', 'rerate rerate', 'customer_notification notify']);
    expect([rows('plan_changes', 'ACC-1006'), rows('rerates', 'ACC-1006')]).toEqual([1, 1]);
  });

  test('worker process SIGKILLed right after the plan change committed: the next worker finishes, each effect once', async () => {
    await h.stopWorker();
    const { child, stderr } = spawnWorkerProcess();
    const exited = new Promise((r) => child.once('exit', r));
    let id = '';
    try {
      h.systems.faults.configure({ latencyMs: 800 });
      ({ id } = (await submit(h.app, keys.alice, { text: 'ACC-1004 downgrade to FIBER-100' })).json() as { id: string });
      await waitForEffect(id, 'plan_change change-plan', 60_000).catch((err: Error) => {
        throw new Error(`${err.message}; worker stderr: ${stderr()}`);
      });
      // No graceful shutdown: the change's completion may never reach Temporal.
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    }
    const atKill = effectsOf(id);
    h.systems.faults.configure({});
    await h.startWorker();

    const done = await waitForStatus(h.app, keys.alice, id, ['completed', 'failed', 'rejected'], 90_000);
    expect(atKill).not.toContain('customer_notification notify');
    expect(done).toMatchObject({ status: 'completed', outcome: { steps: [{ status: 'done' }, { status: 'done' }, { status: 'done' }] } });
    expect(effectsOf(id)).toEqual(['plan_change change-plan', 'rerate rerate', 'customer_notification notify']);
    expect([rows('plan_changes', 'ACC-1004'), rows('rerates', 'ACC-1004')]).toEqual([1, 1]);
  }, 150_000);
});
