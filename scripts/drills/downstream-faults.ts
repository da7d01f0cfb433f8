/**
 * Drill: the demo systems answer 30 % of requests with 503, delay some by 2 s, and lose the
 * response of a few credits after applying them. Problems must still complete, or fail with a
 * reason code; the ledger must show no effect twice and none for a problem that failed or was rejected.
 *
 *   npm run drill:downstream-faults -- [--count 60] [--error-rate 0.3] [--latency-ms 2000] [--spike-rate 0.2]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runDrill, withStack } from './lib/stack';
import { buildCases, createDrillClient, judge, ledgerInvariants, readLedger, report, type DrillCase } from './lib/problems';
import { adminFetch } from './lib/admin';

async function main(): Promise<boolean> {
  const { values } = parseArgs({ options: {
    count: { type: 'string', default: '60' },
    'error-rate': { type: 'string', default: '0.3' },
    'latency-ms': { type: 'string', default: '2000' },
    'spike-rate': { type: 'string', default: '0.2' },
    'lost-responses': { type: 'string', default: '5' },
    'timeout-s': { type: 'string', default: '300' },
  } });
  const count = Number(values.count);
  let cases: DrillCase[] = [];
  return withStack({ seed: (db) => (cases = buildCases(db, count, ['auto_credit', 'auto_credit', 'needs_approval', 'over_claim', 'foreign_invoice'])) }, async (stack) => {
    const started = Date.now();
    const faults = {
      errorRate: Number(values['error-rate']),
      latencyMs: Number(values['latency-ms']),
      latencySpikeRate: Number(values['spike-rate']),
      failNext: [{ method: 'POST', pathPrefix: '/billing/credits', status: 503, count: Number(values['lost-responses']), afterEffect: true }],
    };
    const put = await adminFetch(`${stack.systemsUrl}/_admin/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
    if (!put.ok) throw new Error(`could not set faults: ${put.status}`);
    const client = createDrillClient(stack.apiUrls);
    const ids = await client.submitAll(cases, 10);
    const finals = await client.waitAllFinal([...ids.values()], { timeoutMs: Number(values['timeout-s']) * 1000, approve: true });
    const ledger = await readLedger(stack.systemsUrl);
    const verdict = judge(cases, ids, finals, ledger, { allowFailedWithReason: true, ledgerViolations: ledgerInvariants(path.join(stack.dir, 'systems.db')) });
    const failedReasons = new Map<string, number>();
    for (const snap of finals.values()) {
      if (snap?.status === 'failed') failedReasons.set(String(snap.outcome?.reasonCode), (failedReasons.get(String(snap.outcome?.reasonCode)) ?? 0) + 1);
    }
    return report('Drill downstream-faults', [
      ['problems', count],
      ['faults', `${faults.errorRate * 100} % 503, ${faults.latencyMs} ms delay on ${faults.latencySpikeRate * 100} % of requests, ${values['lost-responses']} credit responses lost after the effect`],
      ['failed, by reason code', [...failedReasons.entries()].map(([k, v]) => `${k} ×${v}`).join(', ') || 'none'],
      ['ledger entries', ledger.length],
      ['wall time (after start-up)', `${((Date.now() - started) / 1000).toFixed(0)} s`],
    ], verdict);
  });
}

runDrill(main);
