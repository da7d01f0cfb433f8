import { DEV_API_KEYS, type ApiKeyEntry } from '../../src/config';
import { defaultBillingPolicy } from '../../src/domain/billing-dispute/schema';
import type { PolicyFile } from '../../src/domain/policy';
import { FINAL_STATUSES, keys, startHarness, submit, waitForStatus, type Harness } from '../support/harness';

/**
 * A key scoped to accounts never reads, audits, lists or approves a problem of another account
 * (docs/API.md), whether the account comes from the submission's customerId (known from the
 * start, before extraction) or from the claims. Reproductions of two adversarial findings: the
 * read and the audit answered 200 while only the customerId said whose the problem was, and the
 * approval queue listed other accounts' actions with their evidence.
 */
const SCOPED_ADMIN = 'test-scoped-admin-1001';
const SCOPED_APPROVER = 'test-scoped-approver-1002';
const apiKeys: ApiKeyEntry[] = [
  ...DEV_API_KEYS,
  { key: SCOPED_ADMIN, principal: 'sam', roles: ['approver', 'admin'], groups: ['billing-approvers'], accounts: ['ACC-1001'] },
  { key: SCOPED_APPROVER, principal: 'sara', roles: ['approver'], groups: ['billing-approvers'], accounts: ['ACC-1002'] },
];
const policy: PolicyFile = { version: 'test-account-scope', types: { billing_dispute: { ...defaultBillingPolicy, approverGroup: 'billing-approvers' } } };

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ apiKeys, policy });
});
afterAll(async () => h?.stop());

const get = (key: string, url: string) => h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
const refusal = (res: { statusCode: number; json: () => { error?: { code?: string } } }) => [res.statusCode, res.json().error?.code];

test('a problem submitted for another customer is refused before it is extracted', async () => {
  const res = await submit(h.app, keys.alice, { text: 'I was charged twice for MOB-299 on invoice INV-2002, account ACC-1002. Please refund Rs 299.', customerId: 'ACC-1002' });
  expect(res.statusCode).toBe(202);
  // At once: the problem is `received` or `extracting`, its entities still null.
  const read = await get(SCOPED_ADMIN, `/v1/problems/${res.json().id}`);
  expect(refusal(read)).toEqual([403, 'account_not_entitled']);
  expect(read.json().customerId).toBeUndefined();
  await waitForStatus(h.app, keys.alice, res.json().id, FINAL_STATUSES);
});

test('a settled problem of another customer whose text names no account is refused, read and audit', async () => {
  const res = await submit(h.app, keys.alice, { text: 'My fiber internet has been down since this morning, nothing works.', customerId: 'ACC-1002' });
  const settled = await waitForStatus(h.app, keys.erin, res.json().id, [...FINAL_STATUSES, 'needs_clarification', 'awaiting_approval', 'active']);
  expect(settled.customerId).toBe('ACC-1002');
  expect(refusal(await get(SCOPED_ADMIN, `/v1/problems/${settled.id}`))).toEqual([403, 'account_not_entitled']);
  expect(refusal(await get(SCOPED_ADMIN, `/v1/problems/${settled.id}/audit`))).toEqual([403, 'account_not_entitled']);
  // Its own customer's scope reads it.
  expect((await get(SCOPED_APPROVER, `/v1/problems/${settled.id}`)).statusCode).toBe(200);
});

test('the approval queue lists a scoped approver only the actions on its accounts', async () => {
  const res = await submit(h.app, keys.alice, { text: 'Account ACC-1001, invoice INV-2001: please credit Rs 999 for the fiber plan.' });
  const p = await waitForStatus(h.app, keys.alice, res.json().id, ['awaiting_approval']);
  const listed = async (key: string) => ((await get(key, '/v1/approvals?limit=50')).json().items as { problemId: string }[]).some((i) => i.problemId === p.id);
  expect(await listed(SCOPED_APPROVER)).toBe(false);
  expect(await listed(keys.bob)).toBe(true);
  expect(refusal(await get(SCOPED_APPROVER, `/v1/problems/${p.id}`))).toEqual([403, 'account_not_entitled']);
  const approve = await h.app.inject({ method: 'POST', url: `/v1/problems/${p.id}/approvals`, headers: { authorization: `Bearer ${SCOPED_APPROVER}` }, payload: { decision: 'approve', actionDigest: p.approval!.actionDigest } });
  expect(refusal(approve)).toEqual([403, 'account_not_entitled']);
  await h.app.inject({ method: 'POST', url: `/v1/problems/${p.id}/approvals`, headers: { authorization: `Bearer ${keys.carol}` }, payload: { decision: 'reject', actionDigest: p.approval!.actionDigest } });
});

test('the problem list shows a scoped key only its own problems and those submitted for its accounts', async () => {
  const ours = (await submit(h.app, keys.alice, { text: 'My fiber internet has been down since this morning.', customerId: 'ACC-1001' })).json().id as string;
  const theirs = (await submit(h.app, keys.alice, { text: 'My fiber internet has been down since this morning.', customerId: 'ACC-1002' })).json().id as string;
  for (const id of [ours, theirs]) await waitForStatus(h.app, keys.alice, id, [...FINAL_STATUSES, 'needs_clarification', 'active']);
  const listed = async (key: string) => {
    // Visibility is eventually consistent: read until both problems are listed to an unscoped approver.
    const ids = ((await get(key, '/v1/problems?limit=100')).json().items as { id: string }[]).map((i) => i.id);
    return { ours: ids.includes(ours), theirs: ids.includes(theirs) };
  };
  for (let i = 0; i < 50 && !Object.values(await listed(keys.bob)).every(Boolean); i++) await new Promise((r) => setTimeout(r, 200));
  expect(await listed(keys.bob)).toEqual({ ours: true, theirs: true });
  expect(await listed(SCOPED_ADMIN)).toEqual({ ours: true, theirs: false });
  expect(await listed(SCOPED_APPROVER)).toEqual({ ours: false, theirs: true });
});
