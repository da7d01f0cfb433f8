import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createPolicyService } from '../../src/api/policy-service';
import type { SimulationResponse } from '../../src/api/schemas';
import { defaultBillingPolicy } from '../../src/domain/billing-dispute/schema';
import { catalog } from '../../src/domain/registry';
import { resolvePolicy } from '../../src/domain/policy';
import type { ProblemState } from '../../workflows/state';
import { keys, ledger, startHarness, submit, waitForStatus, type Harness } from '../support/harness';

/**
 * The policy what-if on a real stack: past problems decided by the worker, their recorded
 * decisions read from history and replayed over a candidate; nothing waiting changes.
 */
let h: Harness;
const problems: Record<'dup299' | 'credit999' | 'credit1500', ProblemState> = {} as never;

beforeAll(async () => {
  h = await startHarness();
  const settle = async (key: string, text: string, status: ProblemState['status']) => {
    const res = await submit(h.app, key, { text });
    expect(res.statusCode).toBe(202);
    return waitForStatus(h.app, keys.erin, res.json().id, [status]);
  };
  problems.dup299 = await settle(keys.alice, 'I was charged twice for MOB-299 on invoice INV-2002, account ACC-1002. Please refund Rs 299.', 'completed');
  problems.credit999 = await settle(keys.alice, 'Account ACC-1001, invoice INV-2001: please credit Rs 999 for the fiber plan.', 'awaiting_approval');
  problems.credit1500 = await settle(keys.dave, 'ACC-1001 INV-2001 installation charge Rs 1500 was never done, please refund 1500 rupees', 'awaiting_approval');
});
afterAll(async () => h?.stop());

const simulate = (body: unknown, key = keys.erin) => h.app.inject({ method: 'POST', url: '/v1/policy/simulations', headers: { authorization: `Bearer ${key}` }, payload: body as object });

/**
 * The candidate of the acceptance check: the policy in force with billing's automatic limits raised
 * from 500 to 1000. Two fields move, since a claim is automatic only while it is within the
 * single-claim limit (`autoCreditMax`) AND the automatic total of its invoice (`autoCreditInvoiceMax`);
 * the account's 30-day total (`autoCreditAccountMax`, 1000) already admits ₹999 on ACC-1001.
 */
async function raisedCandidate() {
  const current = (await h.app.inject({ method: 'GET', url: '/v1/policy', headers: { authorization: `Bearer ${keys.bob}` } })).json();
  const billing = { ...current.policy.types.billing_dispute, autoCreditMax: 1000, autoCreditInvoiceMax: 1000 };
  return { ...current.policy, version: 'candidate-auto-1000', types: { ...current.policy.types, billing_dispute: billing } };
}

describe('GET /v1/policy', () => {
  test('the policy in force with every type section resolved; approvers and admins only', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/v1/policy', headers: { authorization: `Bearer ${keys.bob}` } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.version).toBe(resolvePolicy(catalog).version);
    expect(Object.keys(body.policy.types).sort()).toEqual(catalog.types.map((t) => t.name).sort());
    expect(body.policy.types.billing_dispute).toEqual(defaultBillingPolicy);
    const asSubmitter = await h.app.inject({ method: 'GET', url: '/v1/policy', headers: { authorization: `Bearer ${keys.alice}` } });
    expect(asSubmitter.statusCode).toBe(403);
  });
});

describe('POST /v1/policy/simulations', () => {
  test('acceptance: raising the auto-credit limit to 1000 changes exactly the ₹999 decision, and nothing waiting changes', async () => {
    const ledgerBefore = ledger(h.systems.db);
    const res = await simulate({ policy: await raisedCandidate() });
    expect(res.statusCode).toBe(200);
    const body = res.json() as SimulationResponse;
    expect(body).toMatchObject({ policyVersion: 'candidate-auto-1000', evaluated: 3, changed: 1, skipped: 0, mode: 'inline' });
    expect(body.items).toEqual([
      expect.objectContaining({
        problemId: problems.credit999.id,
        status: 'awaiting_approval',
        before: expect.objectContaining({ action: 'issue_credit', requiresApproval: true, requiredApprovals: 1, reasonCode: 'credit_needs_approval', amount: 999 }),
        after: expect.objectContaining({ action: 'issue_credit', requiresApproval: false, requiredApprovals: 0, reasonCode: 'credit_within_auto_limit', amount: 999 }),
      }),
    ]);
    expect(body.totals).toMatchObject({ approvalsDelta: -1, autoCreditedDelta: 999, autoCreditedBefore: 299, autoCreditedAfter: 1298 });

    // With `types`, every billing problem is reported: ₹1500 still needs approval, ₹299 is unchanged.
    const all = (await simulate({ policy: await raisedCandidate(), types: ['billing_dispute'] })).json() as SimulationResponse;
    const byId = new Map(all.items.map((i) => [i.problemId, i]));
    expect(all.items).toHaveLength(3);
    expect(byId.get(problems.credit1500.id)).toMatchObject({ changed: false, after: { requiresApproval: true, amount: 1500 } });
    expect(byId.get(problems.dup299.id)).toMatchObject({ changed: false, before: { requiresApproval: false, amount: 299 }, after: { requiresApproval: false, amount: 299 } });

    // Read-only: the ₹999 problem still waits for the same approval, no credit moved.
    const after = await waitForStatus(h.app, keys.erin, problems.credit999.id, ['awaiting_approval']);
    expect(after.approval).toEqual(problems.credit999.approval);
    expect(ledger(h.systems.db)).toEqual(ledgerBefore);
  });

  test('the same simulation as a Temporal workflow gives the same answer', async () => {
    const policy = createPolicyService({ client: h.client, catalog, policy: resolvePolicy(catalog), taskQueue: h.taskQueue, inlineMax: 0, pageSize: 2 });
    const body = { policy: await raisedCandidate(), limit: 1000 };
    const inWorkflow = await policy.simulate(body);
    const inline = (await simulate(body)).json() as SimulationResponse;
    expect(inWorkflow.mode).toBe('workflow');
    expect(inWorkflow.simulationId).toMatch(/^sim_/);
    const { mode: _m, simulationId: _s, ...rest } = inWorkflow;
    const { mode: _m2, simulationId: _s2, ...restInline } = inline;
    expect(rest).toEqual(restInline);
  });

  test('the CLI prints the same diff as a table: npm run whatif -- --policy candidate.json --type billing_dispute', async () => {
    const file = path.join(process.env.TEST_TMP_DIR ?? '/tmp', `candidate-${Date.now()}.json`);
    fs.writeFileSync(file, JSON.stringify(await raisedCandidate()));
    const root = path.resolve(__dirname, '../..');
    const env = { ...process.env, TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS!, TEMPORAL_TASK_QUEUE: h.taskQueue, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
    const { stdout } = await promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), ['scripts/whatif.ts', '--policy', file, '--type', 'billing_dispute'], { cwd: root, env });
    expect(stdout).toContain('Candidate candidate-auto-1000 over 3 past decisions');
    expect(stdout).toMatch(new RegExp(`${problems.credit999.id}\\s+billing_dispute\\s+awaiting_approval\\s+₹999\\.00 .*issue_credit automatic \\(BD-10 credit_within_auto_limit\\)\\s+CHANGED`));
    expect(stdout.split('\n').filter((l) => l.includes('CHANGED'))).toHaveLength(1);
    expect(stdout).toContain('Totals: approvals -1, money moved automatically +₹999.00.');
  });

  test('a simulation workflow survives a worker restart between its pages', async () => {
    const policy = createPolicyService({ client: h.client, catalog, policy: resolvePolicy(catalog), taskQueue: h.taskQueue, inlineMax: 0, pageSize: 1 });
    const body = { policy: await raisedCandidate(), limit: 1000 };
    const expected = (await simulate(body)).json() as SimulationResponse;
    const pending = policy.simulate(body);
    // Once its first page is done, the worker goes away and comes back: the workflow goes on from its history.
    const query = `WorkflowType = 'policySimulationWorkflow' AND TaskQueue = '${h.taskQueue}' AND ExecutionStatus = 'Running'`;
    let pagesDone = 0;
    for (let i = 0; i < 200 && pagesDone === 0; i++) {
      const [running] = (await h.client.workflowService.listWorkflowExecutions({ namespace: 'default', query })).executions ?? [];
      const history = running ? await h.client.workflow.getHandle(running.execution!.workflowId!).fetchHistory() : null;
      pagesDone = history?.events?.filter((e) => e.activityTaskCompletedEventAttributes).length ?? 0;
      if (pagesDone === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(pagesDone).toBeGreaterThan(0);
    await h.stopWorker();
    await h.startWorker();
    const result = await pending;
    expect(result.mode).toBe('workflow');
    expect(result.items).toEqual(expected.items);
    expect(result.totals).toEqual(expected.totals);
  });

  test.each([
    ['a bad version', { version: '' }, 'version'],
    ['an unknown type section', { version: 'v', types: { refunds: {} } }, 'types.refunds'],
    ['an invalid threshold', { version: 'v', types: { billing_dispute: { ...defaultBillingPolicy, autoCreditMax: -5 } } }, 'types.billing_dispute.autoCreditMax'],
  ])('400 invalid_policy for %s, naming the failing path', async (_name, policy, path) => {
    const res = await simulate({ policy });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_policy', details: [expect.objectContaining({ path })] });
  });

  test('admins only: approvers and submitters get 403', async () => {
    for (const key of [keys.alice, keys.bob]) expect((await simulate({ policy: { version: 'v' } }, key)).statusCode).toBe(403);
  });

  test('400 for an unknown type, an empty window and a limit above 10,000', async () => {
    expect((await simulate({ policy: { version: 'v' }, types: ['refunds'] })).json().error.code).toBe('unknown_problem_type');
    expect((await simulate({ policy: { version: 'v' }, since: '2026-11-02', until: '2026-11-01' })).json().error.code).toBe('invalid_window');
    expect((await simulate({ policy: { version: 'v' }, limit: 10_001 })).statusCode).toBe(400);
  });

  test('extreme windows are answered, never a server error', async () => {
    for (const window of [{ since: '0001-01-01', until: '0002-01-01' }, { since: '9998-01-01T00:00:00+14:00', until: '9999-12-31T23:59:59.999-12:00' }, { since: '1900-01-01' }]) {
      const res = await simulate({ policy: { version: 'v' }, ...window });
      expect([200, 400]).toContain(res.statusCode);
    }
  });

  test('a window before the problems replays nothing', async () => {
    const body = (await simulate({ policy: { version: 'v' }, since: '2020-01-01', until: '2020-02-01' })).json() as SimulationResponse;
    expect(body).toMatchObject({ evaluated: 0, changed: 0, matched: 0, items: [] });
  });
});
