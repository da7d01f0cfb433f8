import { keys, ledger, startHarness, submit, waitForStatus, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.stop());

const text = 'I was charged twice for MOB-299 on invoice INV-2002, account ACC-1002. Please refund Rs 299.';

describe('side effects happen once, whatever happens to the worker', () => {
  test('a credit whose response is lost is retried with the same key and applied once', async () => {
    h.systems.faults.configure({ failNext: [{ method: 'POST', pathPrefix: '/billing/credits', status: 503, count: 2, afterEffect: true }] });
    const { id } = (await submit(h.app, keys.alice, { text })).json();
    const done = await waitForStatus(h.app, keys.alice, id, ['completed', 'failed', 'rejected']);
    expect(done.status).toBe('completed');
    const credits = ledger(h.systems.db).filter((e) => e.idempotencyKey === `${id}/credit`);
    expect(credits).toHaveLength(1);
    const history = await h.client.workflow.getHandle(id).fetchHistory();
    const attempts = history.events?.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt ?? 0) ?? [];
    expect(Math.max(...attempts)).toBe(3); // two lost responses, third attempt replays the stored result
    h.systems.faults.configure({});
  });

  test('a worker stopped mid-workflow and restarted completes the problem with one credit', async () => {
    h.systems.faults.configure({ latencyMs: 1500 });
    const { id } = (await submit(h.app, keys.alice, { text: 'ACC-1001 INV-2001 overcharged, refund Rs 250' })).json();
    await waitForStatus(h.app, keys.alice, id, ['extracting', 'executing'], 10_000);
    await h.stopWorker();
    h.systems.faults.configure({});
    await h.startWorker();
    const done = await waitForStatus(h.app, keys.alice, id, ['completed', 'failed', 'rejected']);
    expect(done.status).toBe('completed');
    expect(ledger(h.systems.db).filter((e) => e.idempotencyKey === `${id}/credit`)).toHaveLength(1);
  });
});
