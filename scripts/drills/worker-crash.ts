/**
 * Drill: 200 problems in flight, the worker process is killed with SIGKILL three times at
 * random moments and restarted. Every problem must reach its expected final state and the
 * demo systems' ledger must show each side effect exactly once.
 *
 *   npm run drill:worker-crash -- [--count 200] [--kills 3] [--seed 42]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runDrill, withStack } from './lib/stack';
import { buildCases, createDrillClient, expectedCredits, judge, ledgerInvariants, mulberry32, readLedger, report } from './lib/problems';
import { adminFetch } from './lib/admin';

async function main(): Promise<boolean> {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '200' }, kills: { type: 'string', default: '3' }, seed: { type: 'string', default: String(Date.now() % 100000) }, 'timeout-s': { type: 'string', default: '300' } } });
  const count = Number(values.count);
  const random = mulberry32(Number(values.seed));
  let cases: ReturnType<typeof buildCases> = [];
  return withStack({ seed: (db) => (cases = buildCases(db, count, ['auto_credit', 'auto_credit', 'over_claim', 'foreign_invoice', 'duplicate_dispute'])) }, async (stack) => {
    const started = Date.now();
    // Slow the systems a little so that many problems are mid-flight when the worker dies.
    await adminFetch(`${stack.systemsUrl}/_admin/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: 400, latencySpikeRate: 0.5 }) });
    const client = createDrillClient(stack.apiUrls);
    const submitting = client.submitAll(cases, 20);
    // Kill at random points of progress (share of the expected credits already in the ledger),
    // so every kill lands while problems are in flight.
    const expected = expectedCredits(cases);
    const points = Array.from({ length: Number(values.kills) }, () => 0.1 + random() * 0.7).sort((a, b) => a - b);
    const kills: string[] = [];
    for (const [k, point] of points.entries()) {
      const target = Math.floor(point * expected);
      while ((await readLedger(stack.systemsUrl)).length < target) await new Promise((r) => setTimeout(r, 100 + random() * 200));
      const victim = stack.workers.at(-1)!;
      await victim.kill();
      const done = (await readLedger(stack.systemsUrl)).length;
      kills.push(`#${k + 1} at +${((Date.now() - started) / 1000).toFixed(1)} s, ${done}/${expected} credits done`);
      await new Promise((r) => setTimeout(r, 500 + random() * 1500));
      await stack.startWorker();
    }
    const ids = await submitting;
    await adminFetch(`${stack.systemsUrl}/_admin/faults`, { method: 'DELETE' });
    const finals = await client.waitAllFinal([...ids.values()], { timeoutMs: Number(values['timeout-s']) * 1000 });
    const ledger = await readLedger(stack.systemsUrl);
    const verdict = judge(cases, ids, finals, ledger, { ledgerViolations: ledgerInvariants(path.join(stack.dir, 'systems.db')) });
    return report('Drill worker-crash', [
      ['problems', count],
      ['SIGKILLs of the worker (process group)', kills.length],
      ['kill moments', kills.join('; ')],
      ['seed', values.seed!],
      ['ledger entries', ledger.length],
      ['wall time (after start-up)', `${((Date.now() - started) / 1000).toFixed(0)} s`],
    ], verdict);
  });
}

runDrill(main);
