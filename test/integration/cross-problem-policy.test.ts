import { DEV_API_KEYS } from '../../src/config';
import { checkLedgerInvariants, readInvoice } from '../../src/systems/billing-ledger';
import type { ProblemState } from '../../workflows/state';
import { FINAL_STATUSES, keys, startHarness, submit, waitForStatus, type Harness } from '../support/harness';

/**
 * Money and access across problems, on the real stack (API, Temporal, worker, billing): the
 * cases of issue 12, each as it was reported, and ten problems racing on one invoice.
 */

const frank = DEV_API_KEYS.find((k) => k.principal === 'frank')!.key; // scoped to ACC-1001
const LIMITS = { invoiceAutoMax: 500, accountAutoMax: 1000, windowDays: 30 };

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  // Invoices of accounts of their own, so each case starts from a clean ledger.
  const invoice = h.systems.db.prepare('INSERT INTO invoices (id, account_id, period, currency) VALUES (?, ?, ?, ?)');
  const line = h.systems.db.prepare('INSERT INTO invoice_lines (invoice_id, line_no, description, amount) VALUES (?, ?, ?, ?)');
  h.systems.db.transaction(() => {
    invoice.run('INV-5001', 'ACC-1004', '2026-10', 'INR');
    line.run('INV-5001', 1, 'FIBER-300', 999);
    line.run('INV-5001', 2, 'Installation', 1500);
    invoice.run('INV-5002', 'ACC-1005', '2026-10', 'INR');
    line.run('INV-5002', 1, 'Roaming', 700);
    line.run('INV-5002', 2, 'Handset', 800);
    invoice.run('INV-5003', 'ACC-1006', '2026-10', 'INR');
    line.run('INV-5003', 1, 'Roaming', 1000);
    h.systems.db.prepare('INSERT INTO accounts (id, status, service, plan, pincode, dues, lock_in_until) VALUES (?, ?, ?, ?, ?, ?, ?)').run('ACC-1007', 'active', 'fiber', 'FIBER-100', '400001', 0, null);
    invoice.run('INV-5004', 'ACC-1007', '2026-10', 'INR');
    line.run('INV-5004', 1, 'Installation', 9000);
  })();
});
afterAll(async () => h?.stop());

const approve = (id: string, key: string, actionDigest: string) =>
  h.app.inject({ method: 'POST', url: `/v1/problems/${id}/approvals`, headers: { authorization: `Bearer ${key}` }, payload: { decision: 'approve', actionDigest } });
const credits = (invoiceId: string) => h.systems.db.prepare('SELECT line_no AS lineNo, amount, kind FROM credits WHERE invoice_id = ? ORDER BY created_at').all(invoiceId);

async function race(count: number, text: string, key = keys.alice): Promise<ProblemState[]> {
  const ids = await Promise.all(Array.from({ length: count }, async () => (await submit(h.app, key, { text })).json().id as string));
  return Promise.all(ids.map((id) => waitForStatus(h.app, key, id, [...FINAL_STATUSES, 'awaiting_approval'], 90_000)));
}

describe('money never moves beyond policy across problems', () => {
  test('ten problems racing on one duplicate charge: exactly one credit, the rest refused with a reason', async () => {
    const done = await race(10, 'My account ACC-1002 was charged twice for MOB-299 on invoice INV-2002, please refund the duplicate Rs 299.');
    expect(done.filter((s) => s.status === 'completed')).toHaveLength(1);
    const refused = done.filter((s) => s.status !== 'completed');
    expect(refused.map((s) => [s.status, s.decision?.reasonCode])).toEqual(Array(9).fill(['rejected', 'duplicate_already_credited']));
    expect(credits('INV-2002')).toEqual([{ lineNo: 2, amount: 299, kind: 'automatic' }]);
    expect(checkLedgerInvariants(h.systems.db, LIMITS)).toEqual([]);
  });

  test('ten ₹100 claims racing on one invoice: ₹500 automatic, then each further claim waits for approval', async () => {
    const done = await race(10, 'Account ACC-1001, invoice INV-2001: I was overcharged, please refund Rs 100.');
    expect(done.filter((s) => s.status === 'completed').map((s) => s.decision?.reasonCode)).toEqual(Array(5).fill('credit_within_auto_limit'));
    const waiting = done.filter((s) => s.status === 'awaiting_approval');
    expect(waiting.map((s) => [s.decision?.reasonCode, s.approval?.action.steps[0]?.input.kind])).toEqual(Array(5).fill(['auto_credit_invoice_total_reached', 'approved']));
    expect(readInvoice(h.systems.db, 'INV-2001')!.lines[0]!.creditedAmount).toBe(500);
    expect(checkLedgerInvariants(h.systems.db, LIMITS)).toEqual([]);
  });

  test('split claims: two "Rs 500 for the fiber plan" at once credit ₹500 once; the line cannot take the second', async () => {
    const done = await race(2, 'Account ACC-1004, invoice INV-5001: please credit Rs 500 for the fiber plan.');
    expect(done.map((s) => [s.status, s.decision?.reasonCode]).sort()).toEqual([['completed', 'credit_within_auto_limit'], ['rejected', 'amount_exceeds_remaining']]);
    expect(credits('INV-5001')).toEqual([{ lineNo: 1, amount: 500, kind: 'automatic' }]);
  });

  test('a tiny credit does not move a later full claim onto the Installation line', async () => {
    // (continues on INV-5001: ₹500 of the FIBER-300 line's ₹999 is credited)
    const { id } = (await submit(h.app, keys.alice, { text: 'Account ACC-1004, invoice INV-5001: please credit Rs 999 for the fiber plan.' })).json();
    const done = await waitForStatus(h.app, keys.alice, id, [...FINAL_STATUSES, 'awaiting_approval']);
    expect(done).toMatchObject({ status: 'rejected', decision: { reasonCode: 'amount_exceeds_remaining', ruleId: 'BD-08' } });
    expect(credits('INV-5001')).toHaveLength(1);
  });

  test('facts age during an approval wait: re-verified before the credit; a changed action needs a new approval', async () => {
    const { id } = (await submit(h.app, keys.alice, { text: 'Account ACC-1005, invoice INV-5002: I was overcharged, please refund Rs 600.' })).json();
    const waiting = await waitForStatus(h.app, keys.alice, id, ['awaiting_approval']);
    expect(waiting.approval!.action.steps[0]!.input).toMatchObject({ lineNo: 1, amount: 600 });
    // Meanwhile another problem credits ₹200 on the same line (within the automatic limits).
    const other = (await submit(h.app, keys.alice, { text: 'Account ACC-1005, invoice INV-5002: I was overcharged on roaming, please refund Rs 200.' })).json();
    expect(await waitForStatus(h.app, keys.alice, other.id, FINAL_STATUSES)).toMatchObject({ status: 'completed' });

    // The approval answers once recorded; the re-verification before the effect runs after it.
    const approved = await approve(id, keys.bob, waiting.approval!.actionDigest);
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'executing' });
    // ₹600 no longer fits line 1 (₹500 left): the re-decided credit is on line 2, under a new digest.
    const again = await waitForStatus(h.app, keys.alice, id, ['awaiting_approval', ...FINAL_STATUSES]);
    expect(again.status).toBe('awaiting_approval');
    expect(again.approval!.action.steps[0]!.input).toMatchObject({ lineNo: 2, amount: 600 });
    expect(again.approval!.actionDigest).not.toBe(waiting.approval!.actionDigest);
    const stale = await approve(id, keys.carol, waiting.approval!.actionDigest);
    expect([stale.statusCode, stale.json().error.code]).toEqual([409, 'stale_action_digest']);
    expect((await approve(id, keys.carol, again.approval!.actionDigest)).statusCode).toBe(200);
    expect(await waitForStatus(h.app, keys.alice, id, FINAL_STATUSES)).toMatchObject({ status: 'completed', outcome: { results: { credit: { lineNo: 2, amount: 600 } } } });
    expect(credits('INV-5002')).toEqual([{ lineNo: 1, amount: 200, kind: 'automatic' }, { lineNo: 2, amount: 600, kind: 'approved' }]);
  });

  test('split claims do not lower the approval tier: ₹9000 on one line in two ₹4500 problems needs two approvers', async () => {
    // Adversarial finding: each half needed one approval, and one approver credited ₹9000 with two clicks.
    const text = 'Account ACC-1007, invoice INV-5004: the installation was never done, please refund Rs 4500.';
    const halves = await race(2, text);
    for (const half of halves) {
      expect(half).toMatchObject({ status: 'awaiting_approval', approval: { requiredApprovals: 1 } });
      expect((await approve(half.id, keys.bob, half.approval!.actionDigest)).statusCode).toBe(200);
    }
    // One credits; the other re-decides on the fresh ledger before its effect: ₹9000 in all on the line needs two.
    const settled = await Promise.all(halves.map((half) => waitForStatus(h.app, keys.alice, half.id, [...FINAL_STATUSES, 'awaiting_approval'], 60_000)));
    expect(settled.map((st) => st.status).sort()).toEqual(['awaiting_approval', 'completed']);
    const second = settled.find((st) => st.status === 'awaiting_approval')!;
    expect(second).toMatchObject({ decision: { reasonCode: 'line_credits_need_two_approvals' }, approval: { requiredApprovals: 2 } });
    expect(credits('INV-5004')).toEqual([{ lineNo: 1, amount: 4500, kind: 'approved' }]);
    // Bob alone cannot finish it; with carol it runs.
    expect((await approve(second.id, keys.bob, second.approval!.actionDigest)).statusCode).toBe(200);
    expect((await waitForStatus(h.app, keys.alice, second.id, ['awaiting_approval'])).approval!.approvals).toHaveLength(1);
    expect(credits('INV-5004')).toHaveLength(1);
    expect((await approve(second.id, keys.carol, second.approval!.actionDigest)).statusCode).toBe(200);
    expect(await waitForStatus(h.app, keys.alice, second.id, FINAL_STATUSES)).toMatchObject({ status: 'completed' });
    expect(credits('INV-5004')).toEqual([{ lineNo: 1, amount: 4500, kind: 'approved' }, { lineNo: 1, amount: 4500, kind: 'approved' }]);
  });

  test('an approved action that still fits runs without a second approval, though the ledger moved', async () => {
    const { id } = (await submit(h.app, keys.alice, { text: 'Account ACC-1006, invoice INV-5003: I was overcharged, please refund Rs 600.' })).json();
    const waiting = await waitForStatus(h.app, keys.alice, id, ['awaiting_approval']);
    const other = (await submit(h.app, keys.alice, { text: 'Account ACC-1006, invoice INV-5003: I was overcharged, please refund Rs 100.' })).json();
    expect(await waitForStatus(h.app, keys.alice, other.id, FINAL_STATUSES)).toMatchObject({ status: 'completed' });
    expect((await approve(id, keys.bob, waiting.approval!.actionDigest)).statusCode).toBe(200);
    expect(await waitForStatus(h.app, keys.alice, id, FINAL_STATUSES)).toMatchObject({ status: 'completed', outcome: { results: { credit: { lineNo: 1, amount: 600 } } } });
  });
});

describe('principal scopes', () => {
  test('a principal scoped to ACC-1001 never acts on ACC-1002: refused with account_not_entitled and no effect', async () => {
    for (const text of ['I want to switch to MOB-599, account ACC-1002.', 'Account ACC-1002, invoice INV-2002: I was overcharged, please refund Rs 10.']) {
      const { id } = (await submit(h.app, frank, { text })).json();
      const done = await waitForStatus(h.app, frank, id, [...FINAL_STATUSES, 'awaiting_approval', 'needs_clarification']);
      expect(done).toMatchObject({ status: 'rejected', decision: { reasonCode: 'account_not_entitled', ruleId: 'SCOPE-01' }, outcome: { reasonCode: 'account_not_entitled' } });
    }
    // Its own account, but an invoice of another account (billing says whose it is).
    const { id } = (await submit(h.app, frank, { text: 'Account ACC-1001, invoice INV-2002: I was overcharged, please refund Rs 10.' })).json();
    expect(await waitForStatus(h.app, frank, id, FINAL_STATUSES)).toMatchObject({ status: 'rejected', decision: { reasonCode: 'account_not_entitled' } });
    expect(h.systems.db.prepare("SELECT count(*) AS n FROM plan_changes WHERE account_id = 'ACC-1002'").get()).toEqual({ n: 0 });
  });

  test('a scoped principal submitting for another customerId gets 403 account_not_entitled', async () => {
    const res = await submit(h.app, frank, { text: 'I want to switch to MOB-599, account ACC-1002.', customerId: 'acc-1002' });
    expect([res.statusCode, res.json().error.code]).toEqual([403, 'account_not_entitled']);
  });

  test('a text naming another account than customerId is asked about, and never acted on', async () => {
    const { id } = (await submit(h.app, keys.alice, { text: 'I want to switch to MOB-599, account ACC-1002.', customerId: 'ACC-1001' })).json();
    const asking = await waitForStatus(h.app, keys.alice, id, ['needs_clarification', ...FINAL_STATUSES]);
    expect(asking).toMatchObject({ status: 'needs_clarification', clarification: { reasonCode: 'account_differs_from_customer' } });
    await h.app.inject({ method: 'POST', url: `/v1/problems/${id}/clarifications`, headers: { authorization: `Bearer ${keys.alice}` }, payload: { text: 'yes, ACC-1002' } });
    expect(await waitForStatus(h.app, keys.alice, id, FINAL_STATUSES)).toMatchObject({ status: 'rejected', decision: { reasonCode: 'account_differs_from_customer' } });
    expect(h.systems.db.prepare("SELECT count(*) AS n FROM plan_changes WHERE account_id = 'ACC-1002'").get()).toEqual({ n: 0 });
  });
});
