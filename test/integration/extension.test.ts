import { catalog as registeredCatalog } from '../../src/domain/registry';
import { catalog as extendedCatalog } from '../fixtures/extra-problem-type/registry';
import { keys, ledger, startHarness, submit, waitForStatus, type Harness } from '../support/harness';

let h: Harness;
// The shipped workflow bundle: the catalog reaches only the worker's activities (rules run there).
beforeAll(async () => {
  h = await startHarness({ catalog: extendedCatalog });
});
afterAll(async () => h?.stop());

describe('a problem type added from a fixture runs end to end, with no edit to workflows, prompts or the API', () => {
  test('the fixture type is not in the shipped registry, only in the fixture registry', () => {
    expect(registeredCatalog.get('outage_subscription')).toBeUndefined();
    expect(extendedCatalog.get('outage_subscription')).toBeDefined();
    expect(extendedCatalog.types.map((t) => t.name)).toEqual([...registeredCatalog.types.map((t) => t.name), 'outage_subscription']);
  });

  test('extracted, verified with its own read tool, decided and executed with its own write tool', async () => {
    const { id } = (await submit(h.app, keys.alice, { text: 'Please keep me posted about the fiber problems at 400001, account ACC-1002.' })).json() as { id: string };
    const done = await waitForStatus(h.app, keys.alice, id, ['completed', 'rejected', 'failed']);
    expect(done).toMatchObject({
      status: 'completed',
      type: 'outage_subscription',
      entities: { accountId: 'ACC-1002', service: 'fiber', pincode: '400001' },
      decision: { action: 'subscribe_to_outage', reasonCode: 'known_outage', ruleId: 'OS-10', verifiedFacts: ['account', 'outages'] },
      outcome: { results: { subscribe: { outageId: 'OUT-3001', accountId: 'ACC-1002', linked: true } } },
    });
    expect(ledger(h.systems.db).filter((e) => e.idempotencyKey.startsWith(`${id}/`))).toEqual([
      { kind: 'outage_link', idempotencyKey: `${id}/subscribe`, ref: 'OUT-3001:ACC-1002' },
    ]);
  });

  test('its decisions reject on facts from the system of record', async () => {
    const { id } = (await submit(h.app, keys.alice, { text: 'Subscribe ACC-1002 to fiber updates at 560001' })).json() as { id: string };
    const done = await waitForStatus(h.app, keys.alice, id, ['completed', 'rejected', 'failed']);
    expect(done).toMatchObject({ status: 'rejected', type: 'outage_subscription', decision: { reasonCode: 'no_known_outage', ruleId: 'OS-02' } });
  });

  test('a rule that throws ends its problem failed with decision_error, recorded with its input', async () => {
    const { id } = (await submit(h.app, keys.alice, { text: 'Subscribe ACC-1002 to fiber updates at 999999' })).json() as { id: string };
    const done = await waitForStatus(h.app, keys.alice, id, ['completed', 'rejected', 'failed']);
    expect(done).toMatchObject({ status: 'failed', type: 'outage_subscription', outcome: { reasonCode: 'decision_error' }, decision: null });
    expect(JSON.stringify(done)).not.toContain('fixture rule bug');
    const audit = (await h.app.inject({ method: 'GET', url: `/v1/problems/${id}/audit`, headers: { authorization: `Bearer ${keys.bob}` } })).json() as { steps: { kind: string }[] };
    expect(audit.steps.find((s) => s.kind === 'decision')).toMatchObject({ source: 'event', reasonCode: 'decision_error', action: null, buildId: expect.any(String) });
  });

  test('the shipped types still work with the extended catalog', async () => {
    const { id } = (await submit(h.app, keys.alice, { text: 'Please upgrade account ACC-1001 from FIBER-100 to FIBER-300.' })).json() as { id: string };
    const done = await waitForStatus(h.app, keys.alice, id, ['completed', 'rejected', 'failed']);
    expect(done).toMatchObject({ status: 'completed', type: 'plan_change' });
  });
});
