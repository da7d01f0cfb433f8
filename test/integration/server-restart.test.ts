import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { startDevServer, type DevServer } from '../../scripts/lib/dev-server';
import type { ProblemState } from '../../workflows/state';
import { keys, ledger, startHarness, submit, waitForStatus, type Harness } from '../support/harness';

/**
 * The Temporal dev server process (not the shared one: this file runs its own, on a SQLite file)
 * is stopped while problems wait for approval and started again on the same file and port. The
 * API must answer 503 meanwhile, and the same API and worker must carry on by themselves.
 */
const WAITING = 3;
const texts = [
  'Account ACC-1001, invoice INV-2001: please credit Rs 999 for the fiber plan.',
  'ACC-1001 INV-2001 installation charge Rs 1500 was never done, please refund 1500 rupees',
  'Account ACC-1003, invoice INV-2003: FIBER-300 charge of Rs 1250 is wrong, please refund 1250',
];

let server: DevServer;
let h: Harness;
const dbFile = path.join(process.env.TEST_TMP_DIR ?? '/tmp', `temporal-restart-${randomUUID()}.db`);

beforeAll(async () => {
  server = await startDevServer({ headless: true, dbFile });
  h = await startHarness({ temporalAddress: server.address });
}, 120_000);
afterAll(async () => {
  await h?.stop();
  await server?.stop();
});

test('problems waiting for approval survive a dev server restart and then complete', async () => {
  const waiting: ProblemState[] = [];
  for (const text of texts.slice(0, WAITING)) {
    const res = await submit(h.app, keys.alice, { text });
    expect(res.statusCode).toBe(202);
    waiting.push(await waitForStatus(h.app, keys.alice, res.json().id, ['awaiting_approval']));
  }
  expect((await h.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);

  await server.stop();

  // Down: a clear 503 for reads, writes, approvals and readiness; never a crash or a 500.
  const [get, post, approve] = await Promise.all([
    h.app.inject({ method: 'GET', url: `/v1/problems/${waiting[0]!.id}`, headers: { authorization: `Bearer ${keys.alice}` } }),
    submit(h.app, keys.alice, { text: texts[0]! }),
    h.app.inject({
      method: 'POST', url: `/v1/problems/${waiting[0]!.id}/approvals`, headers: { authorization: `Bearer ${keys.bob}` },
      payload: { decision: 'approve', actionDigest: waiting[0]!.approval!.actionDigest },
    }),
  ]);
  // /readyz answers from a check at most 1.5 s old (one Temporal call shared by all callers).
  await new Promise((r) => setTimeout(r, 1600));
  const ready = await h.app.inject({ method: 'GET', url: '/readyz' });
  for (const res of [get, post, approve]) {
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('temporal_unavailable');
  }
  expect(ready.statusCode).toBe(503);
  expect(ready.json()).toMatchObject({ ready: false, temporal: false });

  server = await startDevServer({ headless: true, dbFile, port: server.port });

  // Up again: the same API and worker recover without being restarted.
  const deadline = Date.now() + 60_000;
  while ((await h.app.inject({ method: 'GET', url: '/readyz' })).statusCode !== 200) {
    if (Date.now() > deadline) throw new Error('API not ready 60 s after the dev server restarted');
    await new Promise((r) => setTimeout(r, 250));
  }
  for (const p of waiting) {
    const still = await waitForStatus(h.app, keys.alice, p.id, ['awaiting_approval']);
    expect(still.approval!.actionDigest).toBe(p.approval!.actionDigest);
  }
  for (const p of waiting) {
    for (const who of ['bob', 'carol'] as const) {
      const current = await waitForStatus(h.app, keys.alice, p.id, ['awaiting_approval', 'executing', 'completed']);
      if (current.status !== 'awaiting_approval') break;
      const res = await h.app.inject({
        method: 'POST', url: `/v1/problems/${p.id}/approvals`, headers: { authorization: `Bearer ${keys[who]}` },
        payload: { decision: 'approve', actionDigest: p.approval!.actionDigest },
      });
      expect(res.statusCode).toBe(200);
    }
  }
  for (const p of waiting) {
    const done = await waitForStatus(h.app, keys.alice, p.id, ['completed', 'failed', 'rejected']);
    expect(done.status).toBe('completed');
    expect(ledger(h.systems.db).filter((e) => e.idempotencyKey === `${p.id}/credit`)).toHaveLength(1);
  }
}, 240_000);
