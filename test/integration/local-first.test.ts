/**
 * Verification lookups and the completion notice try a local activity first (patch
 * `local-first`): no task queue round trip each. A lookup that fails or takes longer than
 * LOCAL_ATTEMPT_TIMEOUT_MS runs again as its tool's activity, so a slow system of record never
 * holds the problem's workflow task (and with it GET's query) for long, and never costs the lookup.
 */
import type { History } from '../../src/audit/history';
import type { AuditStep } from '../../src/audit/steps';
import { LOCAL_ATTEMPT_TIMEOUT_MS } from '../../workflows/local-first';
import { FINAL_STATUSES, keys, startHarness, submit, waitForStatus, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.stop());
afterEach(() => h.systems.faults.configure({}));

const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/** How `activityType` ran: local-activity markers (with failures) and scheduled activities. */
function runsOf(history: History, activityType: string): { local: { failed: boolean }[]; activities: number } {
  const local: { failed: boolean }[] = [];
  let activities = 0;
  for (const e of history.events ?? []) {
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName === LOCAL_ACTIVITY_MARKER) {
      const meta = JSON.parse(Buffer.from(marker.details!.data!.payloads![0]!.data!).toString('utf8')) as { activity_type: string };
      if (meta.activity_type === activityType) local.push({ failed: Boolean(marker.failure) });
    }
    if (e.activityTaskScheduledEventAttributes?.activityType?.name === activityType) activities += 1;
  }
  return { local, activities };
}

async function submitted(text: string): Promise<string> {
  const res = await submit(h.app, keys.alice, { text });
  expect(res.statusCode).toBe(202);
  return (res.json() as { id: string }).id;
}

const verificationsOf = async (id: string) => {
  const res = await h.app.inject({ method: 'GET', url: `/v1/problems/${id}/audit`, headers: { authorization: `Bearer ${keys.bob}` } });
  return (res.json() as { steps: AuditStep[] }).steps.filter((s) => s.kind === 'verification');
};

describe('lookups and the completion notice as local activities first', () => {
  test('a lookup is a local activity: no activity task, and the audit names its fact and key', async () => {
    const id = await submitted('I was charged twice for MOB-299 on invoice INV-2002, account ACC-1002. Please refund Rs 299.');
    expect(await waitForStatus(h.app, keys.alice, id, FINAL_STATUSES)).toMatchObject({ status: 'completed' });
    const history = await h.client.workflow.getHandle(id).fetchHistory();
    expect(runsOf(history, 'lookUpInvoice')).toEqual({ local: [{ failed: false }], activities: 0 });
    expect(runsOf(history, 'notify')).toEqual({ local: [{ failed: false }], activities: 0 });
    expect(h.notifications.filter((n) => (n as { problemId?: string }).problemId === id)).toEqual([expect.objectContaining({ event: 'completed', status: 'completed' })]);
    expect(await verificationsOf(id)).toEqual([expect.objectContaining({ fact: 'invoice', source: 'lookUpInvoice', idempotencyKey: `${id}/verify-invoice`, outcome: 'completed', attempts: 1 })]);
  });

  test('a notice the receiver takes too long for is sent again as an activity, under the same idempotency key', async () => {
    const keysSent: string[] = [];
    const slow = await startHarness({
      notifier: {
        send: async (n, key) => {
          keysSent.push(key);
          if (keysSent.length === 1) await new Promise((r) => setTimeout(r, LOCAL_ATTEMPT_TIMEOUT_MS + 1_000));
        },
      },
    });
    try {
      const res = await submit(slow.app, keys.alice, { text: 'Account ACC-1001, invoice INV-2001: I was overcharged, please refund Rs 50.' });
      const id = (res.json() as { id: string }).id;
      expect(await waitForStatus(slow.app, keys.alice, id, FINAL_STATUSES)).toMatchObject({ status: 'completed' });
      expect(runsOf(await slow.client.workflow.getHandle(id).fetchHistory(), 'notify')).toEqual({ local: [{ failed: true }], activities: 1 });
      expect(keysSent).toEqual([`${id}/notice-completed`, `${id}/notice-completed`]);
    } finally {
      await slow.stop();
    }
  });

  test('a system of record that fails once: the local attempt fails, the activity reads it', async () => {
    h.systems.faults.configure({ failNext: [{ method: 'GET', pathPrefix: '/billing/invoices/', status: 503, count: 1 }] });
    const id = await submitted('Account ACC-1001, invoice INV-2001: I was overcharged, please refund Rs 100.');
    expect(await waitForStatus(h.app, keys.alice, id, FINAL_STATUSES)).toMatchObject({ status: 'completed' });
    const history = await h.client.workflow.getHandle(id).fetchHistory();
    expect(runsOf(history, 'lookUpInvoice')).toEqual({ local: [{ failed: true }], activities: 1 });
    const steps = await verificationsOf(id);
    expect(steps.map((s) => [s.fact, s.outcome])).toEqual([
      ['invoice', 'failed'],
      ['invoice', 'completed'],
    ]);
  });

  test('a slow system of record: the problem answers GET while the lookup waits, and the activity reads it', async () => {
    h.systems.faults.configure({ latencyMs: LOCAL_ATTEMPT_TIMEOUT_MS + 4_000 });
    const id = await submitted('Account ACC-1003, invoice INV-2003: I was overcharged, please refund Rs 100.');
    // Past the local attempt's limit (the extraction takes a moment) the workflow task is free
    // again while the activity waits for the slow read: a GET answers in well under that read.
    await new Promise((r) => setTimeout(r, LOCAL_ATTEMPT_TIMEOUT_MS + 1_000));
    const started = Date.now();
    const res = await h.app.inject({ method: 'GET', url: `/v1/problems/${id}`, headers: { authorization: `Bearer ${keys.alice}` } });
    expect(res.statusCode).toBe(200);
    expect(Date.now() - started).toBeLessThan(1_500);
    h.systems.faults.configure({});
    expect(await waitForStatus(h.app, keys.alice, id, FINAL_STATUSES)).toMatchObject({ status: 'completed' });
    const history = await h.client.workflow.getHandle(id).fetchHistory();
    expect(runsOf(history, 'lookUpInvoice')).toEqual({ local: [{ failed: true }], activities: 1 });
  });
});
