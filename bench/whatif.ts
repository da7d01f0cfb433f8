/**
 * Policy what-if benchmark: N past billing disputes decided by a real worker, then one simulation
 * over all of them, timed as a Temporal workflow (the path of any set above 200) and inline.
 *
 *   npm run bench:whatif -- --count 1000 [--page-sizes 500,100] [--concurrency 16]
 *
 * Starts its own dev server (in memory), demo systems and one worker in this process. Half the
 * problems claim ₹100 (credited automatically until the account's 30-day automatic total is
 * reached, then waiting for approval), half ₹700 (waiting for one approval); the candidate raises
 * billing's automatic limits to 1000, so most decisions change. `--page-sizes` times the workflow once per
 * visibility page size (problems per activity), in that order; the inline run reads pages of 500.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { startDevServer } from '../scripts/lib/dev-server';
import { createPolicyService } from '../src/api/policy-service';
import { createProblemService } from '../src/api/problem-service';
import { pastProblemsQuery } from '../src/audit/past-decisions';
import { loadConfig } from '../src/config';
import { resolvePolicy } from '../src/domain/policy';
import { catalog } from '../src/domain/registry';
import { createRulesProvider } from '../src/llm/rules-provider';
import { createCommandSigner } from '../src/security/command-keys';
import { buildSystemsApp } from '../src/systems/app';
import { createSystemsClient } from '../src/systems/client';
import { openSystemsDb } from '../src/systems/db';
import { dataConverterFor } from '../src/temporal/codec/data-converter';
import { createWorker } from '../src/temporal/worker';
import { pool } from './lib/stats';

const FIRST_INVOICE = 810_000;

/** One invoice per problem, so each claim is decided on its own line. */
function seedInvoices(dbFile: string, count: number): void {
  const db = openSystemsDb(dbFile);
  const invoice = db.prepare('INSERT INTO invoices (id, account_id, period, currency) VALUES (?, ?, ?, ?)');
  const line = db.prepare('INSERT INTO invoice_lines (invoice_id, line_no, description, amount) VALUES (?, 1, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      invoice.run(`INV-${FIRST_INVOICE + i}`, 'ACC-1001', '2026-10', 'INR');
      line.run(`INV-${FIRST_INVOICE + i}`, 'FIBER-100', i % 2 === 0 ? 100 : 700);
    }
  })();
  db.close();
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '1000' }, concurrency: { type: 'string', default: '16' }, 'page-sizes': { type: 'string', default: '500' } } });
  const count = Number(values.count);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-whatif-'));
  seedInvoices(path.join(dir, 'systems.db'), count);
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const server = await startDevServer({ headless: true });
  const taskQueue = 'bench-whatif';
  const config = loadConfig({ ...process.env, TEMPORAL_ADDRESS: server.address, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'silent', NODE_ENV: 'test', DATA_DIR: dir });
  const db = openSystemsDb(path.join(dir, 'systems.db'));
  const systems = buildSystemsApp({ db });
  const systemsUrl = await systems.listen({ host: '127.0.0.1', port: 0 });
  const native = await NativeConnection.connect({ address: server.address });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, dataConverter: dataConverterFor(config.encryption) });
  const policy = resolvePolicy(catalog);
  const { worker } = await createWorker({
    config,
    connection: native,
    deps: {
      catalog,
      llm: createRulesProvider(catalog),
      systems: createSystemsClient({ baseUrl: systemsUrl, timeoutMs: 10_000 }),
      policy,
      notifier: { send: async () => undefined },
      repairAttempts: 1,
      tokenBudget: 20_000,
      commandKeys: config.commandSigning.verifyKeys,
      buildId: config.buildId,
    },
  });
  const running = worker.run();
  try {
    const problems = createProblemService({ client, taskQueue, namespace: 'default', signCommand: createCommandSigner(config.commandSigning.signingKey!) });
    const principal = { principal: 'bench', roles: ['submitter'], groups: [], accounts: null, employeeId: null };
    const t0 = performance.now();
    await pool(Array.from({ length: count }, (_, i) => i), 20, (i) =>
      problems.submit(principal, { text: `Account ACC-1001, invoice INV-${FIRST_INVOICE + i}: I was overcharged, please refund Rs ${i % 2 === 0 ? 100 : 700}.`, channel: 'api' }),
    );
    const until = new Date(Date.now() + 60_000).toISOString();
    const query = pastProblemsQuery({ taskQueue, types: ['billing_dispute'], since: new Date(Date.now() - 3_600_000).toISOString(), until });
    const statuses = `ProblemStatus IN ('awaiting_approval', 'completed', 'rejected', 'failed')`;
    for (let waited = 0; ; waited += 1000) {
      const { count: decided } = await client.workflowService.countWorkflowExecutions({ namespace: 'default', query: `${query} AND ${statuses}` });
      if (Number(decided) >= count) break;
      if (waited > 30 * 60_000) throw new Error(`only ${decided} of ${count} problems were decided in 30 minutes`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    console.log(`seeded ${count} decided problems in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const current = policy.types.billing_dispute as Record<string, unknown>;
    const candidate = { version: 'bench-candidate', types: { billing_dispute: { ...current, autoCreditMax: 1000, autoCreditInvoiceMax: 1000, autoCreditAccountMax: 1_000_000 } } };
    const body = { policy: candidate, limit: count, until, types: ['billing_dispute'] };
    const runs = [...values['page-sizes'].split(',').map((size) => ['workflow', 0, Number(size)] as const), ['inline', Number.MAX_SAFE_INTEGER, 500] as const];
    for (const [mode, inlineMax, pageSize] of runs) {
      const service = createPolicyService({ client, catalog, policy, taskQueue, inlineMax, pageSize, concurrency: Number(values.concurrency) });
      const started = performance.now();
      const result = await service.simulate(body);
      const seconds = (performance.now() - started) / 1000;
      console.log(`${mode} (pages of ${pageSize}): ${result.evaluated} evaluated, ${result.changed} changed, ${result.skipped} skipped in ${seconds.toFixed(2)} s (${(result.evaluated / seconds).toFixed(0)} problems/s); approvals ${result.totals.approvalsDelta}, auto-credited ${result.totals.autoCreditedDelta >= 0 ? '+' : ''}${result.totals.autoCreditedDelta}`);
    }
  } finally {
    worker.shutdown();
    await running;
    await Promise.all([connection.close(), native.close(), systems.close()]);
    db.close();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
