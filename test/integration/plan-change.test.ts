import { keys, ledger, startHarness, submitAndSettle, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.stop());
afterEach(() => h.systems.faults.configure({}));

const run = (text: string) => submitAndSettle(h.app, keys.alice, text);
const effectsOf = (id: string) => ledger(h.systems.db).filter((e) => e.idempotencyKey.startsWith(`${id}/`)).map((e) => `${e.kind} ${e.idempotencyKey.slice(id.length + 1)}`);
const planOf = (accountId: string) => (h.systems.db.prepare('SELECT plan FROM accounts WHERE id = ?').get(accountId) as { plan: string }).plan;
const failRerate = (status: number, count = 1) => ({ method: 'POST', pathPrefix: '/rating/rerates', status, count });

describe('plan_change end to end on a real Temporal dev server', () => {
  test('an eligible change runs the saga: change, re-rate, notify, each once', async () => {
    const { id, done } = await run('Please upgrade account ACC-1001 from FIBER-100 to FIBER-300.');
    expect(done).toMatchObject({
      status: 'completed',
      entities: { accountId: 'ACC-1001', targetPlan: 'FIBER-300' },
      decision: { action: 'change_plan', reasonCode: 'eligible_plan_change', ruleId: 'PC-10', requiresApproval: false, verifiedFacts: ['account', 'plan'] },
      outcome: {
        steps: [
          { id: 'change-plan', status: 'done' },
          { id: 'rerate', status: 'done', result: { plan: 'FIBER-300', monthlyFee: 1250 } },
          { id: 'notify', status: 'done' },
        ],
      },
    });
    expect(effectsOf(id)).toEqual(['plan_change change-plan', 'rerate rerate', 'customer_notification notify']);
    expect(planOf('ACC-1001')).toBe('FIBER-300');
  });

  test.each([
    ['a lock-in period (ACC-1002 until 2027-03-31)', 'I want to switch to MOB-599, account ACC-1002.', 'lock_in_active'],
    ['unpaid dues (ACC-1003)', 'ACC-1003 please change my plan to FIBER-100', 'unpaid_dues'],
    ['an unknown plan', 'ACC-1004 switch me to FIBER-999', 'plan_not_found'],
    ['the plan the account is already on', 'Change my plan to MOB-599, account ACC-1005.', 'same_plan'],
    ['a plan of another service', 'ACC-1004 switch to MOB-599', 'plan_service_mismatch'],
    ['an effective date in the past', 'ACC-1004 downgrade to FIBER-100 effective 2020-01-01', 'effective_date_in_past'],
    ['an unknown account', 'ACC-4040 switch to FIBER-300', 'account_not_found'],
  ])('rejects %s with a reason code; nothing changes', async (_name, text, reasonCode) => {
    const { id, done } = await run(text);
    expect(done).toMatchObject({ status: 'rejected', decision: { action: 'reject', reasonCode } });
    expect(effectsOf(id)).toEqual([]);
  });

  test('a 4xx from re-rating: the plan change is compensated exactly once and the problem fails with each step state', async () => {
    h.systems.faults.configure({ failNext: [failRerate(422, 3)] });
    const { id, done } = await run('Upgrade ACC-1006 to FIBER-300 please');
    expect(done).toMatchObject({
      status: 'failed',
      decision: { action: 'change_plan' },
      outcome: {
        reasonCode: 'injected_fault',
        nothingApplied: true,
        steps: [
          { id: 'change-plan', tool: 'changePlan', status: 'compensated' },
          { id: 'rerate', tool: 'rerateBilling', status: 'failed', error: 'injected_fault' },
          { id: 'notify', tool: 'notifyCustomer', status: 'skipped' },
        ],
      },
    });
    // Not retried: one of the three injected failures was used.
    expect(h.systems.faults.current().failNext?.[0]?.count).toBe(2);
    expect(effectsOf(id)).toEqual(['plan_change change-plan', 'plan_change_reverted revert-plan']);
    expect(planOf('ACC-1006')).toBe('FIBER-100');

    const audit = await h.app.inject({ method: 'GET', url: `/v1/problems/${id}/audit`, headers: { authorization: `Bearer ${keys.erin}` } });
    expect(audit.statusCode).toBe(200);
    const compensations = (audit.json() as { steps: { kind: string; tool?: string; idempotencyKey?: string }[] }).steps.filter((s) => s.kind === 'compensation');
    expect(compensations).toEqual([expect.objectContaining({ tool: 'revertPlanChange', idempotencyKey: `${id}/revert-plan` })]);
  });

  test('a compensation that meets a 5xx is retried and still runs once', async () => {
    h.systems.faults.configure({ failNext: [failRerate(400), { method: 'POST', pathPrefix: '/plans/reverts', status: 503, count: 2 }] });
    const { id, done } = await run('Upgrade ACC-1006 to FIBER-300 please');
    expect(done).toMatchObject({ status: 'failed', outcome: { nothingApplied: true, steps: [{ status: 'compensated' }, { status: 'failed' }, { status: 'skipped' }] } });
    expect(effectsOf(id)).toEqual(['plan_change change-plan', 'plan_change_reverted revert-plan']);
    expect(planOf('ACC-1006')).toBe('FIBER-100');
  });

  test('a compensation refused by the system is surfaced, never dropped', async () => {
    h.systems.faults.configure({ failNext: [failRerate(400), { method: 'POST', pathPrefix: '/plans/reverts', status: 409, count: 1 }] });
    const { id, done } = await run('Upgrade ACC-1006 to FIBER-300 please');
    expect(done).toMatchObject({
      status: 'failed',
      outcome: { nothingApplied: false, steps: [{ id: 'change-plan', status: 'compensation_failed', error: 'injected_fault' }, { id: 'rerate', status: 'failed' }, { status: 'skipped' }] },
    });
    expect(effectsOf(id)).toEqual(['plan_change change-plan']);
    expect(planOf('ACC-1006')).toBe('FIBER-300');
  });

  test('a 5xx from re-rating is retried: the saga completes with one re-rate', async () => {
    h.systems.faults.configure({ failNext: [failRerate(503, 2)] });
    const { id, done } = await run('ACC-1004 downgrade to FIBER-100');
    expect(done).toMatchObject({ status: 'completed', outcome: { steps: [{ status: 'done' }, { status: 'done' }, { status: 'done' }] } });
    expect(effectsOf(id)).toEqual(['plan_change change-plan', 'rerate rerate', 'customer_notification notify']);
    expect(planOf('ACC-1004')).toBe('FIBER-100');
  });
});
