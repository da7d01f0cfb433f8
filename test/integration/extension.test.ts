import fs from 'node:fs';
import path from 'node:path';
import { catalog as registeredCatalog } from '../../src/domain/registry';
import { bundleWithFixtureRegistry } from '../fixtures/extra-problem-type/bundle';
import { catalog as extendedCatalog } from '../fixtures/extra-problem-type/registry';
import { keys, ledger, startHarness, submit, waitForStatus, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  const code = await bundleWithFixtureRegistry();
  const bundlePath = path.join(process.env.TEST_TMP_DIR ?? '/tmp', 'workflow-bundle-extended.js');
  fs.writeFileSync(bundlePath, code);
  h = await startHarness({ catalog: extendedCatalog, workflowBundlePath: bundlePath });
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

  test('the shipped types still work on the extended bundle', async () => {
    const { id } = (await submit(h.app, keys.alice, { text: 'Please upgrade account ACC-1001 from FIBER-100 to FIBER-300.' })).json() as { id: string };
    const done = await waitForStatus(h.app, keys.alice, id, ['completed', 'rejected', 'failed']);
    expect(done).toMatchObject({ status: 'completed', type: 'plan_change' });
  });
});
