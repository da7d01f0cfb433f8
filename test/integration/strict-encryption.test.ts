import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import { keys, ledger, startHarness, submit, waitForStatus, type Harness } from '../support/harness';

/**
 * PAYLOAD_ENCRYPTION_STRICT on a real stack: an approval sent straight to Temporal in plaintext
 * (what `temporal workflow update execute --input '{...}'` does) is never decoded by the worker,
 * so it changes nothing, and the problem still takes the API's approval afterwards.
 */
const key = { id: 'strict-k1', key: randomBytes(32).toString('base64') };
const APPROVAL_TEXT = 'ACC-1001 INV-2001 installation charge Rs 1500 was never done, please refund 1500 rupees';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { PAYLOAD_ENCRYPTION_KEYS: JSON.stringify([key]), PAYLOAD_ENCRYPTION_STRICT: 'true' } });
});
afterAll(async () => h?.stop());

test('a plaintext approval sent past the API is refused; the API approval still works', async () => {
  const res = await submit(h.app, keys.alice, { text: APPROVAL_TEXT });
  expect(res.statusCode).toBe(202);
  const { id } = res.json() as { id: string };
  const pending = await waitForStatus(h.app, keys.alice, id, ['awaiting_approval']);

  const plain = new Client({ connection: h.client.connection, namespace: 'default' }); // no codec, like the CLI
  const forged = { principal: 'mallory', roles: ['approver', 'admin'], groups: ['billing-approvers'], decision: 'approve', actionDigest: pending.approval!.actionDigest };
  const outcome = await Promise.race([
    plain.workflow.getHandle(id).executeUpdate('submitApproval', { args: [forged] }).then(() => 'accepted', () => 'refused'),
    new Promise((r) => setTimeout(() => r('not accepted in 8 s'), 8000)),
  ]);
  expect(outcome).not.toBe('accepted');
  const after = await waitForStatus(h.app, keys.bob, id, ['awaiting_approval']);
  expect(after.approval?.approvals).toEqual([]);
  expect(ledger(h.systems.db).filter((e) => e.idempotencyKey.startsWith(id))).toEqual([]);

  const approved = await h.app.inject({ method: 'POST', url: `/v1/problems/${id}/approvals`, headers: { authorization: `Bearer ${keys.bob}` }, payload: { decision: 'approve', actionDigest: pending.approval!.actionDigest } });
  expect(approved.statusCode).toBe(200);
  const done = await waitForStatus(h.app, keys.bob, id, ['completed']);
  expect(done.approval?.approvals.map((a) => a.principal)).toEqual(['bob']);
}, 90_000);
