import { keys, ledger, startHarness, submit, waitForStatus, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.stop());

const approve = (id: string, key: string, actionDigest: string, decision: 'approve' | 'reject' = 'approve') =>
  h.app.inject({ method: 'POST', url: `/v1/problems/${id}/approvals`, headers: { authorization: `Bearer ${key}` }, payload: { decision, actionDigest } });

describe('billing_dispute end to end on a real Temporal dev server', () => {
  test('a duplicate charge within the auto-credit limit is credited once, automatically', async () => {
    const res = await submit(h.app, keys.alice, { text: 'I was charged twice for MOB-299 on invoice INV-2002, account ACC-1002. Please refund Rs 299.', customerId: 'ACC-1002' });
    expect(res.statusCode).toBe(202);
    const { id } = res.json();
    expect(id).toMatch(/^prb_[0-9A-Z]{26}$/);
    const done = await waitForStatus(h.app, keys.alice, id, ['completed', 'failed', 'rejected']);
    expect(done.status).toBe('completed');
    expect(done.decision).toMatchObject({ action: 'issue_credit', reasonCode: 'credit_within_auto_limit', requiresApproval: false, ruleId: 'BD-10', verifiedFacts: ['invoice'] });
    expect(done.outcome).toMatchObject({ results: { credit: { invoiceId: 'INV-2002', lineNo: 2, amount: 299 } } });
    expect(ledger(h.systems.db).filter((e) => e.idempotencyKey === `${id}/credit`)).toHaveLength(1);
  });

  test('₹999 needs one approval from someone else; the submitter cannot approve', async () => {
    const { id } = (await submit(h.app, keys.alice, { text: 'Account ACC-1001, invoice INV-2001: please credit Rs 999 for the fiber plan.' })).json();
    const waiting = await waitForStatus(h.app, keys.alice, id, ['awaiting_approval']);
    expect(waiting.decision).toMatchObject({ reasonCode: 'credit_needs_approval', requiresApproval: true });
    const digest = waiting.approval!.actionDigest;

    const pending = await h.app.inject({ method: 'GET', url: '/v1/approvals?status=pending', headers: { authorization: `Bearer ${keys.bob}` } });
    expect(pending.json().items.find((i: { problemId: string }) => i.problemId === id)).toMatchObject({ actionDigest: digest, requiredApprovals: 1 });

    expect((await approve(id, keys.alice, digest)).statusCode).toBe(403); // alice is not an approver
    const stale = await approve(id, keys.bob, `sha256:${'0'.repeat(64)}`);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('stale_action_digest');

    const ok = await approve(id, keys.bob, digest);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'executing', approval: { approvals: [{ principal: 'bob', decision: 'approve' }] } });
    await waitForStatus(h.app, keys.alice, id, ['completed']);
    const again = await approve(id, keys.carol, digest);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('not_awaiting_approval');
  });

  test('an approver who submitted the problem cannot approve it', async () => {
    const { id } = (await submit(h.app, keys.bob, { text: 'ACC-1001 INV-2001 installation charge Rs 1500 was never done, please refund 1500 rupees' })).json();
    const waiting = await waitForStatus(h.app, keys.bob, id, ['awaiting_approval']);
    const res = await approve(id, keys.bob, waiting.approval!.actionDigest);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('self_approval_forbidden');
    const rejected = await approve(id, keys.carol, waiting.approval!.actionDigest, 'reject');
    expect(rejected.json()).toMatchObject({ status: 'rejected' });
    expect(await waitForStatus(h.app, keys.bob, id, ['rejected'])).toMatchObject({ outcome: { reasonCode: 'approval_rejected' } });
  });

  test.each([
    ['a claim above the charged line', 'ACC-1001 INV-2001 overcharged, refund Rs 3000', 'amount_exceeds_charge'],
    ['an invoice of another account', 'ACC-1002 disputes INV-2001, refund Rs 100', 'invoice_account_mismatch'],
    ['an unknown invoice', 'ACC-1001 INV-9999 refund Rs 100', 'invoice_not_found'],
    ['a foreign currency', 'ACC-1001 INV-2001 charged $100 extra, refund $100', 'currency_mismatch'],
  ])('never credits %s', async (_name, text, reasonCode) => {
    const { id } = (await submit(h.app, keys.alice, { text })).json();
    const done = await waitForStatus(h.app, keys.alice, id, ['completed', 'rejected', 'failed']);
    expect(done).toMatchObject({ status: 'rejected', decision: { action: 'reject', reasonCode } });
    expect(ledger(h.systems.db).filter((e) => e.idempotencyKey.startsWith(id))).toHaveLength(0);
  });

  test('a vague text asks for the missing facts, and the answer resumes the same problem', async () => {
    const { id } = (await submit(h.app, keys.alice, { text: 'I was charged twice for my fiber plan in October' })).json();
    const asking = await waitForStatus(h.app, keys.alice, id, ['needs_clarification']);
    expect(asking.clarification).toMatchObject({ reasonCode: 'missing_fields', missingFields: expect.arrayContaining(['accountId', 'invoiceId', 'amount']) });
    const notMine = await h.app.inject({ method: 'POST', url: `/v1/problems/${id}/clarifications`, headers: { authorization: `Bearer ${keys.dave}` }, payload: { text: 'ACC-1001' } });
    expect(notMine.statusCode).toBe(403);
    const answer = await h.app.inject({ method: 'POST', url: `/v1/problems/${id}/clarifications`, headers: { authorization: `Bearer ${keys.alice}` }, payload: { text: 'Sorry, it was the mobile plan: account ACC-1002, invoice INV-2002, amount Rs 299' } });
    expect(answer.statusCode).toBe(202);
    const done = await waitForStatus(h.app, keys.alice, id, ['completed', 'rejected', 'failed']);
    // The same duplicate was refunded by the first test: the genuine charge stays (it used to be refunded too).
    expect(done).toMatchObject({ status: 'rejected', decision: { reasonCode: 'duplicate_already_credited', ruleId: 'BD-07' }, entities: { accountId: 'ACC-1002', invoiceId: 'INV-2002', amount: 299 } });
    const late = await h.app.inject({ method: 'POST', url: `/v1/problems/${id}/clarifications`, headers: { authorization: `Bearer ${keys.alice}` }, payload: { text: 'more' } });
    expect(late.statusCode).toBe(409);
  });
});
