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
});
