import { Client, Connection } from '@temporalio/client';
import { buildCases, createDrillClient, drillKeys, judge, readLedger, type DrillCase } from '../../scripts/drills/lib/problems';
import { groupPids, startStack, type DrillStack } from '../../scripts/drills/lib/stack';
import { adminFetch } from '../../scripts/drills/lib/admin';

/**
 * Scale-out on one dev server: two worker processes and two API processes on one task queue.
 * Work is shared between the workers, and killing one moves its work to the other.
 */
let stack: DrillStack;
let cases: DrillCase[] = [];
let connection: Connection;
let temporal: Client;
/** Worker index (0 or 1) by the pids of its process group, for reading identities (`pid@host`). */
const workerByPid = new Map<number, number>();

beforeAll(async () => {
  stack = await startStack({
    workers: 2,
    apis: 2,
    temporalAddress: process.env.TEST_TEMPORAL_ADDRESS,
    bundlePath: process.env.TEST_WORKFLOW_BUNDLE,
    seed: (db) => (cases = buildCases(db, 50, ['auto_credit', 'auto_credit', 'over_claim'])),
  });
  stack.workers.forEach((w, i) => groupPids(w.child.pid).forEach((pid) => workerByPid.set(pid, i)));
  connection = await Connection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! });
  temporal = new Client({ connection });
}, 180_000);

afterAll(async () => {
  await connection?.close();
  await stack?.stop();
});

/** Which workers (by index) ran tasks of a workflow, and when each was last seen. */
async function workersOf(id: string): Promise<Map<number, number>> {
  const history = await temporal.workflow.getHandle(id).fetchHistory();
  const seen = new Map<number, number>();
  for (const e of history.events ?? []) {
    const identity = e.workflowTaskStartedEventAttributes?.identity ?? e.activityTaskStartedEventAttributes?.identity;
    if (!identity) continue;
    const worker = workerByPid.get(Number(identity.split('@')[0]));
    if (worker === undefined) throw new Error(`unknown worker identity ${identity}`);
    seen.set(worker, Number(e.eventTime?.seconds ?? 0) * 1000);
  }
  return seen;
}

test('two API processes accept work and two worker processes share it', async () => {
  const batch = cases.slice(0, 20);
  const ids = new Map<number, string>();
  await Promise.all(batch.map(async (c) => {
    const api = stack.apiUrls[c.index % 2]!;
    const res = await fetch(`${api}/v1/problems`, {
      method: 'POST',
      headers: { authorization: `Bearer ${drillKeys.submitter}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: c.text }),
    });
    expect(res.status).toBe(202);
    ids.set(c.index, ((await res.json()) as { id: string }).id);
  }));
  const client = createDrillClient(stack.apiUrls);
  const finals = await client.waitAllFinal([...ids.values()], { timeoutMs: 90_000 });
  const verdict = judge(batch, ids, finals, await readLedger(stack.systemsUrl));
  expect(verdict.wrongState).toEqual([]);
  expect(verdict.duplicateEffects + verdict.missingEffects + verdict.unexpectedEffects).toBe(0);

  const used = new Set<number>();
  for (const id of ids.values()) for (const w of (await workersOf(id)).keys()) used.add(w);
  expect([...used].sort()).toEqual([0, 1]);
});

test('killing one worker moves its in-flight work to the other; nothing is lost or done twice', async () => {
  // Slow the systems so that both workers hold work when one dies.
  await adminFetch(`${stack.systemsUrl}/_admin/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: 800 }) });
  const batch = cases.slice(20);
  const client = createDrillClient(stack.apiUrls);
  const ids = await client.submitAll(batch, 10);
  expect(ids.size).toBe(batch.length);
  await new Promise((r) => setTimeout(r, 1500));
  const killedAt = Date.now();
  await stack.workers[0]!.kill();
  await adminFetch(`${stack.systemsUrl}/_admin/faults`, { method: 'DELETE' });

  const finals = await client.waitAllFinal([...ids.values()], { timeoutMs: 100_000 });
  const mine = new Set(ids.values());
  const verdict = judge(batch, ids, finals, (await readLedger(stack.systemsUrl)).filter((e) => mine.has(e.idempotencyKey.split('/')[0]!)));
  expect(verdict.lost).toBe(0);
  expect(verdict.wrongState).toEqual([]);
  expect(verdict.duplicateEffects + verdict.missingEffects + verdict.unexpectedEffects).toBe(0);

  let moved = 0;
  for (const id of ids.values()) {
    const seen = await workersOf(id);
    // The killed worker does nothing after its death (event times have second precision).
    expect(seen.get(0) ?? 0).toBeLessThan(killedAt + 1000);
    if (seen.has(0) && seen.has(1) && seen.get(1)! >= killedAt - 1000) moved += 1;
  }
  expect(moved).toBeGreaterThan(0);
}, 150_000);
