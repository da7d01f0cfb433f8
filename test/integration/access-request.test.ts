import { defaultAccessPolicy } from '../../src/domain/access-request/schema';
import { keys, ledger, startHarness, submit, waitForStatus, type Harness } from '../support/harness';

/** A "day" of 400 ms, so a 2-day grant is revoked by its durable timer 800 ms after the grant. */
const DAY_MS = 400;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ policy: { version: 'test-access-1', types: { access_request: { ...defaultAccessPolicy, dayMs: DAY_MS } } } });
});
afterAll(async () => h?.stop());

const FINAL = ['completed', 'rejected', 'failed'] as const;
const approve = (id: string, key: string, actionDigest: string, decision: 'approve' | 'reject' = 'approve') =>
  h.app.inject({ method: 'POST', url: `/v1/problems/${id}/approvals`, headers: { authorization: `Bearer ${key}` }, payload: { decision, actionDigest } });
const effectsOf = (id: string) => ledger(h.systems.db).filter((e) => e.idempotencyKey.startsWith(`${id}/`));
const submitted = async (text: string) => (await submit(h.app, keys.alice, { text })).json() as { id: string };

/** Polls `probe` until it returns a value. */
async function until<T>(probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('access_request end to end on a real Temporal dev server', () => {
  test('the manager group approves, access is granted, and a durable timer revokes it after the duration', async () => {
    const { id } = await submitted('Please grant EMP-501 viewer access to grafana for 2 days.');
    const waiting = await waitForStatus(h.app, keys.alice, id, ['awaiting_approval', ...FINAL]);
    expect(waiting).toMatchObject({
      status: 'awaiting_approval',
      entities: { employeeId: 'EMP-501', system: 'grafana', role: 'viewer', durationDays: 2 },
      decision: { action: 'grant_access', reasonCode: 'access_needs_manager_approval', ruleId: 'AR-10', requiresApproval: true, policyVersion: 'test-access-1', verifiedFacts: ['employee', 'system'] },
      approval: { requiredApprovals: 1, group: 'eng-managers', action: { steps: [{ id: 'grant', tool: 'grantAccess' }] } },
    });
    const digest = waiting.approval!.actionDigest;

    const outsider = await approve(id, keys.carol, digest);
    expect(outsider.statusCode).toBe(403);
    expect(outsider.json().error.code).toBe('approver_group_required');
    expect(effectsOf(id)).toHaveLength(0);

    const ok = await approve(id, keys.bob, digest);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'executing' });
    // In effect, not final, until the grant is revoked.
    const granted = await waitForStatus(h.app, keys.alice, id, ['active']);
    expect(granted).toMatchObject({ outcome: { results: { grant: { employeeId: 'EMP-501', system: 'grafana', role: 'viewer' } }, followUp: { status: 'scheduled', dueAt: expect.any(String) } } });
    expect(effectsOf(id).map((e) => e.kind)).toEqual(['access_grant']);
    const grantId = (granted as unknown as { outcome: { results: { grant: { grantId: string } } } }).outcome.results.grant.grantId;

    const revoked = await until(() => effectsOf(id).find((e) => e.kind === 'access_revoke'));
    expect(revoked).toEqual({ kind: 'access_revoke', idempotencyKey: `${id}/revoke`, ref: grantId });
    const grant = h.systems.db.prepare('SELECT granted_at AS grantedAt, revoked_at AS revokedAt FROM access_grants WHERE employee_id = ?').get('EMP-501') as { grantedAt: string; revokedAt: string };
    expect(Date.parse(grant.revokedAt) - Date.parse(grant.grantedAt)).toBeGreaterThanOrEqual(2 * DAY_MS - 50);

    const followUpDone = async () => {
      const res = await h.app.inject({ method: 'GET', url: `/v1/problems/${id}`, headers: { authorization: `Bearer ${keys.alice}` } });
      return (res.json() as { outcome: { followUp: { status: string } } }).outcome.followUp.status === 'done';
    };
    for (let i = 0; i < 50 && !(await followUpDone()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await followUpDone()).toBe(true);
    expect(await waitForStatus(h.app, keys.alice, id, ['completed'])).toMatchObject({ status: 'completed', outcome: { followUp: { status: 'done' } } });
    expect(effectsOf(id).map((e) => e.kind)).toEqual(['access_grant', 'access_revoke']);
  });

  test('overlapping grants of the same role: the 1-day revocation leaves the 30-day grant in force', async () => {
    const long = await submitted('Please grant EMP-502 viewer access to grafana for 30 days.');
    const short = await submitted('Please grant EMP-502 viewer access to grafana for 1 day.');
    for (const { id } of [long, short]) {
      const waiting = await waitForStatus(h.app, keys.alice, id, ['awaiting_approval']);
      expect((await approve(id, keys.carol, waiting.approval!.actionDigest)).json()).toMatchObject({ status: 'executing' });
      await waitForStatus(h.app, keys.alice, id, ['active']);
    }
    await waitForStatus(h.app, keys.alice, short.id, ['completed'], 15_000);
    const grants = h.systems.db.prepare("SELECT expires_at AS expiresAt, revoked_at AS revokedAt FROM access_grants WHERE employee_id = 'EMP-502' AND system_id = 'grafana' AND role = 'viewer' ORDER BY expires_at").all() as { expiresAt: string; revokedAt: string | null }[];
    expect(grants).toHaveLength(2);
    expect(grants[0]!.revokedAt).not.toBeNull();
    expect(grants[1]!.revokedAt).toBeNull();
    const state = await waitForStatus(h.app, keys.alice, long.id, ['active']);
    expect(state.outcome).toMatchObject({ followUp: { status: 'scheduled' } });
    // ... and is revoked at its own expiry (which also keeps its timer out of the next test's faults).
    await waitForStatus(h.app, keys.alice, long.id, ['completed'], 60_000);
    const [, longGrant] = h.systems.db.prepare("SELECT granted_at AS grantedAt, revoked_at AS revokedAt FROM access_grants WHERE employee_id = 'EMP-502' AND system_id = 'grafana' AND role = 'viewer' ORDER BY expires_at").all() as { grantedAt: string; revokedAt: string }[];
    expect(Date.parse(longGrant!.revokedAt) - Date.parse(longGrant!.grantedAt)).toBeGreaterThanOrEqual(30 * DAY_MS - 50);
  });

  test('a rejecting manager ends the request without a grant', async () => {
    const { id } = await submitted('EMP-502 needs read access on prod-db for 2 weeks for the audit.');
    const waiting = await waitForStatus(h.app, keys.alice, id, ['awaiting_approval']);
    expect(waiting.approval).toMatchObject({ group: 'fin-managers' });
    expect((await approve(id, keys.bob, waiting.approval!.actionDigest)).statusCode).toBe(403);
    const res = await approve(id, keys.carol, waiting.approval!.actionDigest, 'reject');
    expect(res.json()).toMatchObject({ status: 'rejected' });
    expect(await waitForStatus(h.app, keys.alice, id, ['rejected'])).toMatchObject({ outcome: { reasonCode: 'approval_rejected' } });
    expect(effectsOf(id)).toHaveLength(0);
  });

  test('a 5xx from IAM on the grant is retried: one grant, then one revocation', async () => {
    h.systems.faults.configure({ failNext: [{ method: 'POST', pathPrefix: '/iam/grants', status: 503, count: 1 }] });
    try {
      const { id } = await submitted('EMP-501 needs read access on prod-db for 1 day');
      const waiting = await waitForStatus(h.app, keys.alice, id, ['awaiting_approval']);
      expect((await approve(id, keys.bob, waiting.approval!.actionDigest)).json()).toMatchObject({ status: 'executing' });
      await waitForStatus(h.app, keys.alice, id, ['active', 'completed']);
      expect(h.systems.faults.current().failNext?.[0]?.count).toBe(0);
      await until(() => effectsOf(id).find((e) => e.kind === 'access_revoke'));
      expect(effectsOf(id).map((e) => e.kind)).toEqual(['access_grant', 'access_revoke']);
    } finally {
      h.systems.faults.configure({});
    }
  });

  test('a revocation the IAM refuses is surfaced as failed, not dropped', async () => {
    h.systems.faults.configure({ failNext: [{ method: 'POST', pathPrefix: '/iam/grants/GRT-', status: 403, count: 1 }] });
    try {
      const { id } = await submitted('Grant EMP-502 editor access to grafana for 1 day');
      const waiting = await waitForStatus(h.app, keys.alice, id, ['awaiting_approval']);
      expect((await approve(id, keys.carol, waiting.approval!.actionDigest)).json()).toMatchObject({ status: 'executing' });
      const failed = await waitForStatus(h.app, keys.alice, id, ['failed'], 15_000);
      expect(failed.outcome).toMatchObject({ reasonCode: 'injected_fault', followUp: { status: 'failed', stepId: 'revoke', error: 'injected_fault' } });
      expect(effectsOf(id).map((e) => e.kind)).toEqual(['access_grant']);
    } finally {
      h.systems.faults.configure({});
    }
  });

  test.each([
    ['prod-db admin for finance', 'I need admin access to prod-db for EMP-502 for 3 days', 'role_not_allowed_for_department'],
    ['an employee who left', 'grant EMP-503 viewer access to grafana for 1 day', 'employee_not_active'],
    ['an unknown employee', 'grant EMP-999 viewer access to grafana for 1 day', 'employee_not_found'],
    ['an unknown system', 'grant EMP-501 viewer access to jenkins for 1 day', 'system_not_found'],
    ['a role the system does not have', 'grant EMP-501 owner access to grafana for 1 day', 'role_not_found'],
    ['admin for longer than the privileged limit', 'grant EMP-501 admin access to prod-db for 31 days', 'privileged_duration_exceeds_limit'],
  ])('rejects %s before asking anyone', async (_name, text, reasonCode) => {
    const { id } = await submitted(text);
    const done = await waitForStatus(h.app, keys.alice, id, [...FINAL, 'awaiting_approval']);
    expect(done).toMatchObject({ status: 'rejected', decision: { action: 'reject', reasonCode, requiresApproval: false }, approval: null });
    expect(effectsOf(id)).toHaveLength(0);
  });

  test('an absurd duration is never granted', async () => {
    const { id } = await submitted('grant EMP-501 viewer access to grafana for 400 days');
    const state = await waitForStatus(h.app, keys.alice, id, ['needs_clarification', ...FINAL]);
    // 400 days fails the claims schema (1..90): the user is asked again, nothing is decided.
    expect(state).toMatchObject({ status: 'needs_clarification', decision: null, clarification: { reasonCode: 'extraction_invalid' } });
    expect(effectsOf(id)).toHaveLength(0);
  });
});
