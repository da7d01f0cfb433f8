import { buildSystemsApp } from '../app';
import { openSystemsDb, type SystemsDb } from '../db';

let db: SystemsDb;
let app: ReturnType<typeof buildSystemsApp>;
beforeEach(() => {
  db = openSystemsDb(':memory:');
  app = buildSystemsApp({ db });
});
afterEach(async () => {
  await app.close();
  db.close();
});

const post = (url: string, payload: unknown, key?: string) =>
  app.inject({ method: 'POST', url, payload: payload as object, headers: key ? { 'idempotency-key': key } : {} });
const ledgerRows = () => db.prepare('SELECT kind, idempotency_key AS key, ref FROM ledger ORDER BY seq').all();

describe('write routes of the demo systems', () => {
  test.each([
    ['/crm/notifications', { accountId: 'ACC-1001', template: 'outage_linked', ref: 'OUT-3001' }, 'customer_notification', { ref: 'OUT-3002' }],
    ['/network/outages/OUT-3001/links', { accountId: 'ACC-1001' }, 'outage_link', { accountId: 'ACC-1002' }],
    ['/network/lines/ACC-1002/resets', {}, 'line_reset', null],
    ['/network/technician-visits', { accountId: 'ACC-1004', faultCode: 'fiber_cut' }, 'technician_visit', { faultCode: 'hardware' }],
    ['/plans/changes', { accountId: 'ACC-1001', fromPlan: 'FIBER-100', toPlan: 'FIBER-300', effectiveDate: '2026-12-01' }, 'plan_change', { effectiveDate: '2026-12-02' }],
    ['/rating/rerates', { accountId: 'ACC-1001', plan: 'FIBER-100', effectiveDate: '2026-12-01' }, 'rerate', { effectiveDate: '2026-12-02' }],
    ['/iam/grants', { employeeId: 'EMP-501', system: 'grafana', role: 'viewer', durationDays: 3 }, 'access_grant', { durationDays: 4 }],
  ])('%s: key required, applied once per key, replayed, and a reused key with another request refused', async (url, body, kind, change) => {
    const missing = await post(url, body);
    expect([missing.statusCode, missing.json().error.code]).toEqual([400, 'idempotency_key_required']);

    const first = await post(url, body, 'prb_x/step');
    expect(first.statusCode).toBe(201);
    const again = await post(url, body, 'prb_x/step');
    expect([again.statusCode, again.json()]).toEqual([201, first.json()]);
    expect(ledgerRows()).toEqual([expect.objectContaining({ kind, key: 'prb_x/step' })]);

    // The same key on another request: another body, or (for a body-less reset) another line.
    const reused = change ? await post(url, { ...body, ...change }, 'prb_x/step') : await post('/network/lines/ACC-1006/resets', body, 'prb_x/step');
    expect([reused.statusCode, reused.json().error.code]).toEqual([422, 'idempotency_key_reused']);
    expect(ledgerRows()).toHaveLength(1);
  });

  test('a revocation revokes exactly the grant it names; an overlapping grant of the same role keeps its own expiry', async () => {
    const body = { employeeId: 'EMP-501', system: 'grafana', role: 'viewer' };
    const short = (await post('/iam/grants', { ...body, durationDays: 1 }, 'prb_a/grant')).json();
    const long = (await post('/iam/grants', { ...body, durationDays: 30 }, 'prb_b/grant')).json();
    const revoked = await post(`/iam/grants/${short.grantId}/revocation`, body, 'prb_a/revoke');
    expect([revoked.statusCode, revoked.json()]).toEqual([201, expect.objectContaining({ grantId: short.grantId })]);
    const open = db.prepare('SELECT id FROM access_grants WHERE revoked_at IS NULL').all();
    expect(open).toEqual([{ id: long.grantId }]);
    const wrong = await post(`/iam/grants/${long.grantId}/revocation`, { ...body, role: 'editor' }, 'prb_x/revoke');
    expect([wrong.statusCode, wrong.json().error.code]).toEqual([409, 'grant_mismatch']);
    const unknown = await post('/iam/grants/GRT-none/revocation', body, 'prb_y/revoke');
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'grant_not_found']);
    expect(db.prepare('SELECT id FROM access_grants WHERE revoked_at IS NULL').all()).toEqual([{ id: long.grantId }]);
  });

  test('a refusal is stored with its key and replayed, and writes no ledger entry', async () => {
    const body = { accountId: 'ACC-1002', fromPlan: 'MOB-299', toPlan: 'MOB-599', effectiveDate: '2026-12-01' };
    const first = await post('/plans/changes', body, 'k1');
    expect([first.statusCode, first.json().error.code]).toEqual([409, 'lock_in_active']);
    expect((await post('/plans/changes', body, 'k1')).statusCode).toBe(409);
    expect(ledgerRows()).toEqual([]);
  });

  test.each([
    ['/plans/changes', { accountId: 'ACC-1003', fromPlan: 'FIBER-300', toPlan: 'FIBER-100', effectiveDate: '2026-12-01' }, 409, 'unpaid_dues'],
    ['/plans/changes', { accountId: 'ACC-1001', fromPlan: 'FIBER-300', toPlan: 'FIBER-100', effectiveDate: '2026-12-01' }, 409, 'plan_mismatch'],
    ['/plans/changes', { accountId: 'ACC-1001', fromPlan: 'FIBER-100', toPlan: 'MOB-599', effectiveDate: '2026-12-01' }, 409, 'plan_service_mismatch'],
    ['/plans/changes', { accountId: 'ACC-1001', fromPlan: 'FIBER-100', toPlan: 'FIBER-999', effectiveDate: '2026-12-01' }, 404, 'plan_not_found'],
    ['/plans/reverts', { accountId: 'ACC-1001', fromPlan: 'FIBER-300', toPlan: 'MOB-599' }, 409, 'plan_mismatch'],
    ['/iam/grants', { employeeId: 'EMP-502', system: 'prod-db', role: 'admin', durationDays: 1 }, 403, 'role_not_allowed_for_department'],
    ['/iam/grants', { employeeId: 'EMP-503', system: 'grafana', role: 'viewer', durationDays: 1 }, 404, 'employee_not_found'],
    ['/network/outages/OUT-9999/links', { accountId: 'ACC-1001' }, 404, 'outage_not_found'],
    ['/crm/notifications', { accountId: 'ACC-1001', template: 'spam', ref: 'x' }, 400, 'invalid_body'],
  ])('%s refuses on its own records (%j)', async (url, body, status, code) => {
    const res = await post(url, body, `k-${code}`);
    expect([res.statusCode, res.json().error.code]).toEqual([status, code]);
  });

  test('a plan change and its revert leave the account where it was', async () => {
    const plan = () => (db.prepare('SELECT plan FROM accounts WHERE id = ?').get('ACC-1001') as { plan: string }).plan;
    await post('/plans/changes', { accountId: 'ACC-1001', fromPlan: 'FIBER-100', toPlan: 'FIBER-300', effectiveDate: '2026-12-01' }, 'c');
    expect(plan()).toBe('FIBER-300');
    expect((await post('/plans/reverts', { accountId: 'ACC-1001', fromPlan: 'FIBER-100', toPlan: 'FIBER-300' }, 'r')).statusCode).toBe(201);
    expect(plan()).toBe('FIBER-100');
  });
});

describe('read routes of the demo systems', () => {
  test.each([
    ['/crm/accounts/acc-1002', 200, { accountId: 'ACC-1002', status: 'active', service: 'mobile', plan: 'MOB-299', pincode: '560001', lockInUntil: '2027-03-31' }],
    ['/crm/accounts/ACC-1003', 200, { status: 'suspended', dues: 1250 }],
    ['/crm/accounts/ACC-9', 404, { error: { code: 'account_not_found' } }],
    ['/network/outages?service=fiber&pincode=400001', 200, { items: [{ outageId: 'OUT-3001', status: 'active' }] }],
    ['/network/outages?service=mobile&pincode=400001', 200, { items: [] }],
    ['/network/outages?service=fiber&accountId=ACC-1001', 200, { pincode: '400001', items: [{ outageId: 'OUT-3001' }] }],
    ['/network/outages?service=fiber', 400, { error: { code: 'invalid_query' } }],
    ['/network/lines/ACC-1004/diagnostics', 200, { faultCode: 'fiber_cut', recentResets: 0 }],
    ['/plans/mob-599', 200, { planId: 'MOB-599', service: 'mobile', active: true }],
    ['/plans/MOB-999', 404, { error: { code: 'plan_not_found' } }],
    ['/iam/employees/EMP-501', 200, { department: 'engineering', managerGroup: 'eng-managers', active: true }],
    ['/iam/employees/EMP-502', 200, { department: 'finance', managerGroup: 'fin-managers' }],
    ['/iam/systems/prod-db', 200, { roles: [{ role: 'admin', departments: ['engineering'] }, { role: 'read', departments: ['engineering', 'finance'] }] }],
    ['/iam/systems/kibana', 404, { error: { code: 'system_not_found' } }],
  ])('GET %s', async (url, status, body) => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject(body);
  });
});
