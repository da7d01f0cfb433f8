import { ApplicationFailure } from '@temporalio/common';
import type { PolicyFile } from '../../src/domain/policy';
import type { Notifier } from '../../src/notifications/notifier';
import type { ProblemState } from '../../workflows/state';
import { keys, ledger, startHarness, submit, waitForStatus, type Harness } from '../support/harness';

const HOUR = 3_600_000;

/** Billing thresholds low enough that the seeded INV-2001 lines (999, 1500) need one and two approvals. */
const billing = { autoCreditMax: 500, singleApprovalMax: 1000, creditMax: 10_000, currency: 'INR', approverGroup: 'billing-approvers' };
const policyWith = (approvalTiming: NonNullable<PolicyFile['approvalTiming']>): PolicyFile => ({
  version: 'test-approvals',
  approvalTiming,
  types: { billing_dispute: billing },
});

type Key = keyof typeof keys;
const TEXT = {
  oneApproval: 'Account ACC-1001, invoice INV-2001: please credit Rs 999 for the fiber plan.',
  twoApprovals: 'ACC-1001 INV-2001 installation charge Rs 1500 was never done, please refund 1500 rupees',
  twoApprovalsOther: 'Account ACC-1003, invoice INV-2003: FIBER-300 charge of Rs 1250 is wrong, please refund 1250',
  small: 'Account ACC-1003, invoice INV-2003: please credit Rs 800 of the FIBER-300 charge.',
};

const approveAs = (h: Harness, id: string, who: Key, payload: unknown) =>
  h.app.inject({ method: 'POST', url: `/v1/problems/${id}/approvals`, headers: { authorization: `Bearer ${keys[who]}` }, payload: payload as Record<string, unknown> });

async function waiting(h: Harness, text: string, who: Key = 'alice'): Promise<ProblemState & { approval: NonNullable<ProblemState['approval']> }> {
  const res = await submit(h.app, keys[who], { text });
  expect(res.statusCode).toBe(202);
  const state = await waitForStatus(h.app, keys[who], res.json().id, ['awaiting_approval', 'completed', 'rejected', 'failed']);
  expect(state.status).toBe('awaiting_approval');
  return state as ProblemState & { approval: NonNullable<ProblemState['approval']> };
}

const credits = (h: Harness, id: string) => ledger(h.systems.db).filter((e) => e.idempotencyKey.startsWith(`${id}/`));

describe('approvals bound to the exact action and to entitled approvers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ policy: policyWith({ remindAfterMs: HOUR, escalateAfterMs: 2 * HOUR, expireAfterMs: 3 * HOUR, escalationGroup: 'admins' }) });
  });
  afterAll(async () => h?.stop());

  test('above the second threshold two different approvers are needed; who, when and the comment are recorded', async () => {
    const p = await waiting(h, TEXT.twoApprovals);
    expect(p.decision).toMatchObject({ reasonCode: 'credit_needs_two_approvals', ruleId: 'BD-12' });
    expect(p.approval).toMatchObject({ requiredApprovals: 2, group: 'billing-approvers', approvals: [] });
    expect(p.approval.action.steps).toEqual([
      { id: 'credit', tool: 'issueCredit', input: { accountId: 'ACC-1001', invoiceId: 'INV-2001', lineNo: 2, amount: 1500, currency: 'INR', kind: 'approved' } },
    ]);

    const first = await approveAs(h, p.id, 'bob', { decision: 'approve', actionDigest: p.approval.actionDigest, comment: 'checked the work order' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ status: 'awaiting_approval', approval: { approvals: [{ principal: 'bob', decision: 'approve', comment: 'checked the work order' }] } });
    expect(credits(h, p.id)).toHaveLength(0);

    const twice = await approveAs(h, p.id, 'bob', { decision: 'approve', actionDigest: p.approval.actionDigest });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('already_decided');

    const second = await approveAs(h, p.id, 'carol', { decision: 'approve', actionDigest: p.approval.actionDigest });
    expect(second.statusCode).toBe(200);
    // Answered once recorded; the action runs after, and the client follows it with GET.
    expect(second.json()).toMatchObject({ status: 'executing' });
    const completed = await waitForStatus(h.app, keys.alice, p.id, ['completed']);
    expect(completed).toMatchObject({ outcome: { results: { credit: { invoiceId: 'INV-2001', lineNo: 2, amount: 1500 } } } });
    expect(credits(h, p.id)).toHaveLength(1);

    const audit = await h.app.inject({ method: 'GET', url: `/v1/problems/${p.id}/audit`, headers: { authorization: `Bearer ${keys.erin}` } });
    expect(audit.statusCode).toBe(200);
    const approvals = (audit.json().steps as { kind: string; principal?: string; actionDigest?: string; comment?: string }[]).filter((s) => s.kind === 'approval');
    expect(approvals.map((s) => s.principal)).toEqual(['bob', 'carol']);
    expect(approvals.every((s) => s.actionDigest === p.approval.actionDigest)).toBe(true);

    // Approving a completed problem is a conflict, not a second credit.
    const late = await approveAs(h, p.id, 'erin', { decision: 'approve', actionDigest: p.approval.actionDigest });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('not_awaiting_approval');
    expect(credits(h, p.id)).toHaveLength(1);
  });

  test('two approvers racing on a one-approval action: exactly one wins, one credit', async () => {
    const p = await waiting(h, TEXT.oneApproval);
    expect(p.approval.requiredApprovals).toBe(1);
    const body = { decision: 'approve', actionDigest: p.approval.actionDigest };
    const results = await Promise.all([approveAs(h, p.id, 'bob', body), approveAs(h, p.id, 'carol', body)]);
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, 409]);
    const loser = results.find((r) => r.statusCode === 409)!;
    expect(['not_awaiting_approval', 'already_decided']).toContain(loser.json().error.code);
    expect(results.find((r) => r.statusCode === 200)!.json().status).toBe('executing');
    const done = await waitForStatus(h.app, keys.alice, p.id, ['completed']);
    expect(done.approval!.approvals).toHaveLength(1);
    expect(credits(h, p.id)).toHaveLength(1);
  });

  describe('each bad approval has its own status and code, and nothing runs', () => {
    let p: ProblemState & { approval: NonNullable<ProblemState['approval']> };
    let other: ProblemState & { approval: NonNullable<ProblemState['approval']> };
    beforeAll(async () => {
      [p, other] = await Promise.all([waiting(h, TEXT.twoApprovalsOther), waiting(h, TEXT.small)]);
    });

    test.each<[string, Key, () => unknown, number, string]>([
      ['the wrong role (submitter only)', 'dave', () => ({ decision: 'approve', actionDigest: p.approval.actionDigest }), 403, 'forbidden'],
      ['the submitter of the problem', 'alice', () => ({ decision: 'approve', actionDigest: p.approval.actionDigest }), 403, 'forbidden'],
      ['an approver outside the required group', 'erin', () => ({ decision: 'approve', actionDigest: p.approval.actionDigest }), 403, 'approver_group_required'],
      ['a stale digest', 'bob', () => ({ decision: 'approve', actionDigest: `sha256:${'ab'.repeat(32)}` }), 409, 'stale_action_digest'],
      ['the digest of another pending action', 'bob', () => ({ decision: 'approve', actionDigest: other.approval.actionDigest }), 409, 'stale_action_digest'],
      ['a digest that is not a digest', 'bob', () => ({ decision: 'approve', actionDigest: 'yes please' }), 400, 'invalid_body'],
      ['an unknown decision', 'bob', () => ({ decision: 'maybe', actionDigest: p.approval.actionDigest }), 400, 'invalid_body'],
      ['a missing digest', 'bob', () => ({ decision: 'approve' }), 400, 'invalid_body'],
      ['an unknown field', 'bob', () => ({ decision: 'approve', actionDigest: p.approval.actionDigest, amount: 1 }), 400, 'invalid_body'],
    ])('%s', async (_name, who, body, status, code) => {
      const res = await approveAs(h, p.id, who, body());
      expect(res.statusCode).toBe(status);
      expect(res.json().error.code).toBe(code);
      const still = await waitForStatus(h.app, keys.alice, p.id, ['awaiting_approval']);
      expect(still.approval!.approvals).toEqual([]);
      expect(credits(h, p.id)).toHaveLength(0);
    });

    test('an approver who submitted the problem gets self_approval_forbidden', async () => {
      const own = await waiting(h, TEXT.small, 'bob');
      const res = await approveAs(h, own.id, 'bob', { decision: 'approve', actionDigest: own.approval.actionDigest });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('self_approval_forbidden');
      const rejected = await approveAs(h, own.id, 'carol', { decision: 'reject', actionDigest: own.approval.actionDigest, comment: 'no evidence' });
      expect(rejected.statusCode).toBe(200);
      expect(rejected.json()).toMatchObject({ status: 'rejected' });
      expect(await waitForStatus(h.app, keys.bob, own.id, ['rejected'])).toMatchObject({ outcome: { reasonCode: 'approval_rejected' } });
      // Approving an already rejected problem is a conflict.
      const after = await approveAs(h, own.id, 'erin', { decision: 'approve', actionDigest: own.approval.actionDigest });
      expect(after.statusCode).toBe(409);
      expect(after.json().error.code).toBe('not_awaiting_approval');
      expect(credits(h, own.id)).toHaveLength(0);
    });

    test('an unknown problem is 404', async () => {
      const res = await approveAs(h, 'prb_01JZZZZZZZZZZZZZZZZZZZZZZZ', 'bob', { decision: 'approve', actionDigest: p.approval.actionDigest });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('problem_not_found');
    });

    test('the queue lists it with the exact action, digest and deadlines', async () => {
      const res = await h.app.inject({ method: 'GET', url: '/v1/approvals?status=pending&limit=50', headers: { authorization: `Bearer ${keys.carol}` } });
      expect(res.statusCode).toBe(200);
      const item = (res.json().items as { problemId: string }[]).find((i) => i.problemId === p.id);
      expect(item).toMatchObject({
        type: 'billing_dispute',
        action: p.approval.action,
        actionDigest: p.approval.actionDigest,
        requiredApprovals: 2,
        group: 'billing-approvers',
        approvals: [],
        requestedAt: p.approval.requestedAt,
        escalateAt: p.approval.escalateAt,
        expiresAt: p.approval.expiresAt,
      });
      expect(Date.parse(p.approval.escalateAt) - Date.parse(p.approval.requestedAt)).toBe(2 * HOUR);
    });
  });

  test('the approval queue pages by cursor, one visibility page each, newest first, without repeats', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await waiting(h, TEXT.twoApprovalsOther)).id);
    const seen: { problemId: string; requestedAt: string }[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 20; page++) {
      const url: string = `/v1/approvals?status=pending&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${keys.bob}` } });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { items: { problemId: string; requestedAt: string }[]; nextCursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items);
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    const mine = seen.filter((s) => ids.includes(s.problemId)).map((s) => s.problemId);
    expect(mine).toEqual([...ids].reverse());
    expect(new Set(seen.map((s) => s.problemId)).size).toBe(seen.length);
    // Visibility's order: by submission (workflow start), newest first; these three were submitted one after another.
    const times = seen.filter((s) => ids.includes(s.problemId)).map((s) => s.requestedAt);
    expect(times).toEqual([...times].sort().reverse());
    // Each page is read from the memo, not by querying the waiting workflows.
    const queried = jest.spyOn(h.client.workflow, 'getHandle');
    const page = await h.app.inject({ method: 'GET', url: '/v1/approvals?status=pending&limit=50', headers: { authorization: `Bearer ${keys.bob}` } });
    expect(page.json().items.length).toBeGreaterThanOrEqual(3);
    expect(queried).not.toHaveBeenCalled();
    queried.mockRestore();
    const bad = await h.app.inject({ method: 'GET', url: '/v1/approvals?status=pending&cursor=not-a-cursor', headers: { authorization: `Bearer ${keys.bob}` } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_cursor');
  });

  // Found by the API fuzzer: a problem that never waited holds no command keys, so a signed command was
  // refused as unsigned and answered 500. Not waiting is the answer, whatever the command.
  test('an approval or a clarification for a problem that never waited is 409, not a refused signature', async () => {
    // Right after submission, before it first waits for anything.
    const fresh = (await submit(h.app, keys.alice, { text: 'I was charged twice for my fiber plan in October' })).json() as { id: string };
    const [early, earlyAnswer] = await Promise.all([
      h.app.inject({ method: 'POST', url: `/v1/problems/${fresh.id}/approvals`, headers: { authorization: `Bearer ${keys.bob}` }, payload: { decision: 'reject', actionDigest: `sha256:${'0'.repeat(64)}` } }),
      h.app.inject({ method: 'POST', url: `/v1/problems/${fresh.id}/clarifications`, headers: { authorization: `Bearer ${keys.alice}` }, payload: { text: 'more' } }),
    ]);
    expect([early.statusCode, early.json().error.code]).toEqual([409, 'not_awaiting_approval']);
    expect([earlyAnswer.statusCode, earlyAnswer.json().error.code]).toEqual([409, 'not_awaiting_clarification']);
    const asking = (await submit(h.app, keys.alice, { text: 'I was charged twice for my fiber plan in October' })).json() as { id: string };
    await waitForStatus(h.app, keys.alice, asking.id, ['needs_clarification']);
    const approval = await h.app.inject({ method: 'POST', url: `/v1/problems/${asking.id}/approvals`, headers: { authorization: `Bearer ${keys.bob}` }, payload: { decision: 'reject', comment: 'early', actionDigest: `sha256:${'0'.repeat(64)}` } });
    expect([approval.statusCode, approval.json().error.code]).toEqual([409, 'not_awaiting_approval']);
  });
});

describe('approval timers: remind, escalate, then auto-reject', () => {
  let h: Harness;
  const timing = { remindAfterMs: 2_000, escalateAfterMs: 5_000, expireAfterMs: 9_000, escalationGroup: 'admins' };
  beforeAll(async () => {
    h = await startHarness({ policy: policyWith(timing) });
  });
  afterAll(async () => h?.stop());

  const events = (id: string) =>
    (h.notifications as { event: string; problemId: string; group?: string | null; status?: string; reasonCode?: string | null }[]).filter((n) => n.problemId === id);

  test('after escalation the escalation group may approve; an untouched request expires with approval_timeout', async () => {
    const [escalated, expiring] = await Promise.all([waiting(h, TEXT.oneApproval), waiting(h, TEXT.twoApprovalsOther)]);
    expect(escalated.approval).toMatchObject({ escalated: false, group: 'billing-approvers' });
    expect(Date.parse(escalated.approval.expiresAt) - Date.parse(escalated.approval.requestedAt)).toBe(timing.expireAfterMs);

    // Before escalation an admin outside the billing group may not approve.
    const early = await approveAs(h, escalated.id, 'erin', { decision: 'approve', actionDigest: escalated.approval.actionDigest });
    expect(early.statusCode).toBe(403);
    expect(early.json().error.code).toBe('approver_group_required');

    // Durable timers, not polling: the reminder, then the escalation to the admins.
    await waitUntil(() => events(escalated.id).some((n) => n.event === 'escalated'), 20_000);
    expect(events(escalated.id).map((n) => n.event)).toEqual(['approval_needed', 'reminder', 'escalated']);
    expect(events(escalated.id).find((n) => n.event === 'escalated')).toMatchObject({ group: 'admins' });
    const now = await waitForStatus(h.app, keys.alice, escalated.id, ['awaiting_approval']);
    expect(now.approval!.escalated).toBe(true);

    const ok = await approveAs(h, escalated.id, 'erin', { decision: 'approve', actionDigest: escalated.approval.actionDigest, comment: 'escalated; approved' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().status).toBe('executing');
    await waitForStatus(h.app, keys.alice, escalated.id, ['completed']);
    expect(credits(h, escalated.id)).toHaveLength(1);

    const expired = await waitForStatus(h.app, keys.alice, expiring.id, ['rejected', 'completed', 'failed'], 30_000);
    expect(expired).toMatchObject({ status: 'rejected', outcome: { reasonCode: 'approval_timeout' } });
    expect(Date.parse(expired.updatedAt) - Date.parse(expiring.approval.requestedAt)).toBeGreaterThanOrEqual(timing.expireAfterMs);
    // The final notification follows the status change.
    await waitUntil(() => events(expiring.id).some((n) => n.event === 'completed'), 20_000);
    expect(events(expiring.id).map((n) => n.event)).toEqual(['approval_needed', 'reminder', 'escalated', 'completed']);
    expect(events(expiring.id).at(-1)).toMatchObject({ status: 'rejected', reasonCode: 'approval_timeout' });
    expect(credits(h, expiring.id)).toHaveLength(0);

    const late = await approveAs(h, expiring.id, 'bob', { decision: 'approve', actionDigest: expiring.approval.actionDigest });
    expect(late.statusCode).toBe(409);
  });
});

describe('notifications are best effort', () => {
  let h: Harness;
  beforeAll(async () => {
    const refusing: Notifier = {
      send: async () => {
        throw ApplicationFailure.nonRetryable('webhook refused the notification with 401', 'NotificationRejected', { reasonCode: 'notification_rejected' });
      },
    };
    h = await startHarness({ policy: policyWith({ remindAfterMs: HOUR, escalateAfterMs: 2 * HOUR, expireAfterMs: 3 * HOUR, escalationGroup: 'admins' }), notifier: refusing });
  });
  afterAll(async () => h?.stop());

  test('a receiver that refuses every notification neither fails nor blocks the problem', async () => {
    const p = await waiting(h, TEXT.oneApproval);
    const ok = await approveAs(h, p.id, 'bob', { decision: 'approve', actionDigest: p.approval.actionDigest });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().status).toBe('executing');
    await waitForStatus(h.app, keys.alice, p.id, ['completed']);
    expect(credits(h, p.id)).toHaveLength(1);
    const handle = h.client.workflow.getHandle(p.id);
    expect(await handle.result()).toMatchObject({ status: 'completed' });
    // approval_needed (an activity) and completed (a local activity first: a final refusal is not
    // sent again) were both refused, and both failures are in history.
    const history = await handle.fetchHistory();
    expect(history.events?.filter((e) => e.activityTaskFailedEventAttributes)).toHaveLength(1);
    expect(history.events?.filter((e) => e.markerRecordedEventAttributes?.failure)).toHaveLength(1);
  });
});

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
