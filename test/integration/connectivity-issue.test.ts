import { keys, ledger, startHarness, submit, submitAndSettle, waitForStatus, FINAL_STATUSES, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.stop());
afterEach(() => h.systems.faults.configure({}));

const run = (text: string) => submitAndSettle(h.app, keys.alice, text);
const effectsOf = (id: string) => ledger(h.systems.db).filter((e) => e.idempotencyKey.startsWith(`${id}/`));
const line = (accountId: string) => h.systems.db.prepare('SELECT fault_code AS faultCode, resets FROM lines WHERE account_id = ?').get(accountId);

describe('connectivity_issue end to end on a real Temporal dev server', () => {
  test('a known outage at the address: the complaint is linked to OUT-3001 and the customer notified, once', async () => {
    const { id, done } = await run('My fiber internet has been down since 2026-11-20, account ACC-1001, pincode 400001.');
    expect(done).toMatchObject({
      status: 'completed',
      type: 'connectivity_issue',
      entities: { accountId: 'ACC-1001', service: 'fiber', pincode: '400001', since: '2026-11-20' },
      decision: { action: 'link_outage', reasonCode: 'known_outage', ruleId: 'CI-10', requiresApproval: false, verifiedFacts: ['account', 'diagnostics', 'outages'] },
      outcome: { results: { 'link-outage': { outageId: 'OUT-3001', accountId: 'ACC-1001', linked: true }, notify: { template: 'outage_linked' } } },
    });
    expect(effectsOf(id)).toEqual([
      { kind: 'outage_link', idempotencyKey: `${id}/link-outage`, ref: 'OUT-3001:ACC-1001' },
      { kind: 'customer_notification', idempotencyKey: `${id}/notify`, ref: 'ACC-1001:outage_linked' },
    ]);
  });

  test('the outage is found from the address on record when the text has no pincode', async () => {
    const { done } = await run('acc-1001: no internet on my fiber line');
    expect(done).toMatchObject({ status: 'completed', decision: { action: 'link_outage' } });
  });

  test('no outage, a remote-fixable fault: the line is reset (diagnostics are a verified fact)', async () => {
    const { id, done } = await run('No internet on my mobile since yesterday. Account ACC-1002.');
    expect(done).toMatchObject({ status: 'completed', decision: { action: 'reset_line', reasonCode: 'remote_fault_reset', ruleId: 'CI-11' } });
    expect(effectsOf(id).map((e) => e.kind)).toEqual(['line_reset', 'customer_notification']);
    expect(line('ACC-1002')).toEqual({ faultCode: 'none', resets: 1 });
  });

  test.each([
    ['a physical fault', 'Fiber broadband keeps dropping, account ACC-1004', 'field_fault'],
    ['a line reset too often already', 'ACC-1005 mobile data not working', 'repeated_resets'],
  ])('%s books a technician visit', async (_name, text, reasonCode) => {
    const { id, done } = await run(text);
    expect(done).toMatchObject({ status: 'completed', decision: { action: 'book_technician', reasonCode } });
    expect(effectsOf(id).map((e) => e.kind)).toEqual(['technician_visit', 'customer_notification']);
  });

  test.each([
    ['a suspended account', 'ACC-1003 my fiber is not working', 'account_not_active'],
    ['an unknown account', 'ACC-9999 my fiber is not working', 'account_not_found'],
    ['a service the account does not have', 'ACC-1001 no signal on my mobile', 'service_not_on_account'],
    ['a fiber line at another pincode', 'ACC-1001 fiber internet down at pincode 110001', 'location_mismatch'],
  ])('rejects %s with a reason code and does nothing', async (_name, text, reasonCode) => {
    const { id, done } = await run(text);
    expect(done).toMatchObject({ status: 'rejected', decision: { action: 'reject', reasonCode }, outcome: { reasonCode } });
    expect(effectsOf(id)).toHaveLength(0);
  });

  test('a vague report asks for the account, then resumes', async () => {
    const { id } = (await submit(h.app, keys.alice, { text: 'My internet is not working' })).json() as { id: string };
    const asking = await waitForStatus(h.app, keys.alice, id, ['needs_clarification']);
    expect(asking.clarification).toMatchObject({ reasonCode: 'missing_fields', missingFields: ['accountId'] });
    await h.app.inject({ method: 'POST', url: `/v1/problems/${id}/clarifications`, headers: { authorization: `Bearer ${keys.alice}` }, payload: { text: 'It is fiber, account ACC-1006' } });
    const done = await waitForStatus(h.app, keys.alice, id, FINAL_STATUSES);
    expect(done).toMatchObject({ status: 'completed', entities: { accountId: 'ACC-1006', service: 'fiber' }, decision: { action: 'reset_line' } });
  });

  test('downstream 5xx on a lookup and on the reset are retried; the reset happens once', async () => {
    // ACC-1006 was reset by the previous test (fault now "none", 1 recent reset): still remote-fixable.
    h.systems.faults.configure({
      failNext: [
        { method: 'GET', pathPrefix: '/network/lines/ACC-1006/diagnostics', status: 503, count: 1 },
        { method: 'POST', pathPrefix: '/network/lines/ACC-1006/resets', status: 503, count: 2 },
      ],
    });
    const { id, done } = await run('ACC-1006 fiber broadband not working');
    expect(done).toMatchObject({ status: 'completed', decision: { action: 'reset_line' } });
    expect(effectsOf(id).filter((e) => e.kind === 'line_reset')).toHaveLength(1);
    expect(h.systems.faults.current().failNext?.every((f) => f.count === 0)).toBe(true);
  });

  test('a downstream 4xx is not retried: a recorded, final outcome and no effect', async () => {
    h.systems.faults.configure({ failNext: [{ method: 'POST', pathPrefix: '/network/technician-visits', status: 400, count: 5 }] });
    const { id, done } = await run('Fiber broadband keeps dropping, account ACC-1004');
    expect(done).toMatchObject({
      status: 'rejected',
      decision: { action: 'book_technician' },
      outcome: { reasonCode: 'injected_fault', steps: [{ id: 'book-visit', status: 'failed', error: 'injected_fault' }, { id: 'notify', status: 'skipped' }] },
    });
    expect(h.systems.faults.current().failNext?.[0]?.count).toBe(4);
    expect(effectsOf(id)).toHaveLength(0);
  });
});
