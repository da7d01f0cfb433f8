/**
 * Drill: concurrent disputes of one duplicate ₹299 charge, and a whole-system SIGKILL (Temporal
 * dev server, demo systems, workers and API at once) while they are in flight; then everything
 * starts again on the same files. Odd rounds crash at a random moment after the submissions,
 * even rounds the moment the first credit is committed (the others then race a ledger that
 * already moved, and the winner's activity never reported back). However the crash falls, the
 * duplicate is credited exactly once, every other dispute is refused with
 * `duplicate_already_credited`, and the ledger keeps every money invariant.
 *
 *   npm run drill:whole-system-crash -- [--count 8] [--rounds 3] [--seed 7]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runDrill, withStack } from './lib/stack';
import { buildCases, createDrillClient, judge, ledgerInvariants, mulberry32, readLedger, report, type DrillCase } from './lib/problems';

/** When to pull the plug: a delay after the last submission, or as soon as billing committed a credit. */
type CrashAt = { afterMs: number } | 'first_credit';

async function round(count: number, crashAt: CrashAt): Promise<boolean> {
  let cases: DrillCase[] = [];
  return withStack({ seed: (db) => (cases = buildCases(db, count, ['duplicate_dispute'])) }, async (stack) => {
    const started = Date.now();
    // Slow billing so the disputes are between their lookup and their credit when the power goes.
    await fetch(`${stack.systemsUrl}/_admin/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: 300, latencySpikeRate: 0.5 }) });
    const client = createDrillClient(stack.apiUrls);
    const ids = await client.submitAll(cases, count);
    const submittedAt = Date.now();
    if (crashAt === 'first_credit') {
      for (let i = 0; i < 3000 && (await readLedger(stack.systemsUrl)).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    } else {
      await new Promise((r) => setTimeout(r, crashAt.afterMs));
    }
    const crashMs = Date.now() - submittedAt;
    const creditsAtCrash = (await readLedger(stack.systemsUrl)).length;
    const snaps = await Promise.all([...ids.values()].map((id) => client.get(id)));
    const inFlight = snaps.filter((s) => s && !['completed', 'rejected', 'failed'].includes(s.status)).length;
    await stack.crashAll();
    const crashedAt = Date.now();
    await stack.restartAll();
    const restartS = ((Date.now() - crashedAt) / 1000).toFixed(1);
    const finals = await client.waitAllFinal([...ids.values()], { timeoutMs: 180_000 });
    const ledger = await readLedger(stack.systemsUrl);
    const verdict = judge(cases, ids, finals, ledger, { ledgerViolations: ledgerInvariants(path.join(stack.dir, 'systems.db')) });
    return report('Drill whole-system-crash', [
      ['concurrent disputes of one duplicate ₹299', count],
      ['SIGKILL of every process', `${crashAt === 'first_credit' ? 'at the first credit, ' : ''}${crashMs} ms after the last submission; ${inFlight} problems in flight, ${creditsAtCrash} credits in the ledger`],
      ['restart until ready', `${restartS} s`],
      ['credits of the duplicate after restart', ledger.filter((e) => e.kind === 'credit').length],
      ['wall time (after start-up)', `${((Date.now() - started) / 1000).toFixed(0)} s`],
    ], verdict);
  });
}

async function main(): Promise<boolean> {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '8' }, rounds: { type: 'string', default: '3' }, seed: { type: 'string', default: String(Date.now() % 100000) } } });
  const random = mulberry32(Number(values.seed));
  console.log(`seed ${values.seed}`);
  let ok = true;
  for (let i = 0; i < Number(values.rounds); i++) ok = (await round(Number(values.count), i % 2 === 0 ? { afterMs: Math.floor(random() * 2500) } : 'first_credit')) && ok;
  return ok;
}

runDrill(main);
