/**
 * Drill: the Temporal dev server process is stopped (SIGTERM, or SIGKILL with --crash) while
 * problems are in flight and others wait for approval, and started again on the same port
 * and SQLite file. While it is down the API must answer 503 (never 500, never a hang); it must
 * recover without a restart; no problem may be lost and every side effect happens once.
 *
 *   npm run drill:server-restart -- [--count 60] [--down-s 20] [--crash]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runDrill, withStack } from './lib/stack';
import { buildCases, createDrillClient, drillKeys, judge, ledgerInvariants, readLedger, report, type DrillCase } from './lib/problems';
import { adminFetch } from './lib/admin';

async function main(): Promise<boolean> {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '60' }, 'down-s': { type: 'string', default: '20' }, crash: { type: 'boolean', default: false }, 'timeout-s': { type: 'string', default: '240' } } });
  const count = Number(values.count);
  let cases: DrillCase[] = [];
  return withStack({ seed: (db) => (cases = buildCases(db, count, ['auto_credit', 'needs_approval', 'auto_credit', 'over_claim'])) }, async (stack) => {
    const started = Date.now();
    await adminFetch(`${stack.systemsUrl}/_admin/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: 1500, latencySpikeRate: 0.5 }) });
    const client = createDrillClient(stack.apiUrls);
    // First half before the outage, second half submitted while Temporal is down (clients retry).
    const before = cases.slice(0, Math.ceil(count / 2));
    const during = cases.slice(before.length);
    const idsBefore = await client.submitAll(before, 10);
    const approvalIds = before.filter((c) => c.kind === 'needs_approval').map((c) => idsBefore.get(c.index)!).filter(Boolean);
    // Wait until at least one problem waits for approval and some are still in flight.
    for (let i = 0; i < 60; i++) {
      const snaps = await Promise.all(approvalIds.slice(0, 5).map((id) => client.get(id)));
      if (snaps.some((s) => s?.status === 'awaiting_approval')) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const snapshot = await Promise.all([...idsBefore.values()].map((id) => client.get(id)));
    const waiting = snapshot.filter((s) => s?.status === 'awaiting_approval').length;
    const inFlight = snapshot.filter((s) => s && !['completed', 'rejected', 'failed', 'awaiting_approval'].includes(s.status)).length;

    const downAt = Date.now();
    await stack.stopServer(values.crash);
    const submittingDuring = client.submitAll(during, 5, Number(values['down-s']) * 1000 + 120_000);
    // Probe the API while Temporal is down.
    const probes = new Map<string, number>();
    const anyId = [...idsBefore.values()][0]!;
    const latencies: number[] = [];
    let phase: 'while down' | 'during restart' | 'after restart' = 'while down';
    const probe = async (name: string, path: string, method = 'GET', body?: unknown) => {
      const t0 = Date.now();
      const res = await client.call(method, path, drillKeys.submitter, body);
      // Answers given while the server is down (before its restart began) must be 503.
      const when = phase;
      if (when === 'while down') latencies.push(Date.now() - t0);
      probes.set(`${name} ${res.status} ${when}`, (probes.get(`${name} ${res.status} ${when}`) ?? 0) + 1);
    };
    // Fire probes every second without waiting for answers, so slow answers do not thin them out.
    const pending: Promise<void>[] = [];
    while (Date.now() - downAt < Number(values['down-s']) * 1000) {
      pending.push(
        probe('GET /readyz', '/readyz'),
        probe('GET /v1/problems/:id', `/v1/problems/${anyId}`),
        probe('POST /v1/problems', '/v1/problems', 'POST', { text: 'Account ACC-1001, invoice INV-2001: probe during outage, refund Rs 99999.' }),
      );
      await new Promise((r) => setTimeout(r, 1000));
    }
    // Answers given from here until the server is ready may go either way: not judged.
    phase = 'during restart';
    await stack.startServer();
    phase = 'after restart';
    const upAt = Date.now();
    let recoveredMs = Number.NaN;
    for (let i = 0; i < 240; i++) {
      const res = await fetch(`${stack.apiUrls[0]}/readyz`).catch(() => null);
      if (res?.ok) {
        recoveredMs = Date.now() - upAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    await Promise.all(pending);
    await adminFetch(`${stack.systemsUrl}/_admin/faults`, { method: 'DELETE' });
    const idsDuring = await submittingDuring;
    const ids = new Map([...idsBefore, ...idsDuring]);
    const finals = await client.waitAllFinal([...ids.values()], { timeoutMs: Number(values['timeout-s']) * 1000, approve: true });
    const ledger = await readLedger(stack.systemsUrl);
    const verdict = judge(cases, ids, finals, ledger, { ledgerViolations: ledgerInvariants(path.join(stack.dir, 'systems.db')) });
    const badProbes = [...probes.keys()].filter((k) => k.endsWith('while down') && !k.includes(' 503 '));
    if (badProbes.length || Number.isNaN(recoveredMs)) verdict.wrongState.push(`API during outage: ${badProbes.join(', ') || 'no recovery'}`);
    return report('Drill server-restart', [
      ['problems (half submitted during the outage)', `${count} (${before.length} before, ${during.length} during)`],
      ['at stop: awaiting approval / in flight', `${waiting} / ${inFlight}`],
      ['how the server stopped', values.crash ? 'SIGKILL' : 'SIGTERM'],
      ['outage', `${((upAt - downAt) / 1000).toFixed(1)} s`],
      ['API answers while down', [...probes.entries()].map(([k, v]) => `${k} ×${v}`).join('; ')],
      ['API answer time while down (max)', `${(Math.max(...latencies) / 1000).toFixed(1)} s`],
      ['API ready again after restart', `${(recoveredMs / 1000).toFixed(1)} s`],
      ['ledger entries', ledger.length],
      ['wall time (after start-up)', `${((Date.now() - started) / 1000).toFixed(0)} s`],
    ], verdict);
  });
}

runDrill(main);
