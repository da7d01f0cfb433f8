import { loadConfig } from '../../src/config';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { AuditStep } from '../../src/audit/steps';
import { problemTypes } from '../../src/domain/registry';
import type { ProblemState } from '../../workflows/state';
import { keys, startHarness, submit, waitForStatus, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.stop());

interface AuditBody {
  id: string;
  status: string | null;
  closed: boolean;
  steps: AuditStep[];
  nextCursor: string | null;
}

const FINAL = ['completed', 'rejected', 'failed'] as const;
const auditOf = (id: string, key = keys.bob, query = '') => h.app.inject({ method: 'GET', url: `/v1/problems/${id}/audit${query}`, headers: { authorization: `Bearer ${key}` } });
/**
 * Steps of a finished problem. The API shows a final status as soon as the workflow sets it;
 * the workflow's result (the recorded decision) lands in history a moment later.
 */
const closedAuditOf = async (id: string) => {
  for (let i = 0; ; i++) {
    const res = await auditOf(id);
    expect(res.statusCode).toBe(200);
    if ((res.json() as AuditBody).closed || i >= 50) return res;
    await new Promise((r) => setTimeout(r, 100));
  }
};
const stepsOf = async (id: string): Promise<AuditStep[]> => ((await closedAuditOf(id)).json() as AuditBody).steps;
/** The step type(s) whose kind can be K (tool and compensation steps share one type). */
type StepOf<K extends AuditStep['kind']> = AuditStep extends infer S ? (S extends { kind: infer SK } ? (K extends SK ? S : never) : never) : never;
const ofKind = <K extends AuditStep['kind']>(steps: AuditStep[], kind: K) => steps.filter((s): s is StepOf<K> => s.kind === kind);
const statuses = (steps: AuditStep[]) => ofKind(steps, 'status').map((s) => s.status);

/** The build id of the harness's worker (APP_VERSION, else the code's hash), recorded with each decision. */
const BUILD_ID = loadConfig({ ...process.env, NODE_ENV: 'test' }).buildId;

/** The decision step must say what the problem's own record says. */
function expectDecisionMatches(steps: AuditStep[], state: ProblemState): void {
  const decisions = ofKind(steps, 'decision');
  expect(decisions.at(-1)).toMatchObject({
    type: state.type,
    action: state.decision!.action,
    ruleId: state.decision!.ruleId,
    reasonCode: state.decision!.reasonCode,
    policyVersion: state.decision!.policyVersion,
    inputDigest: state.decision!.inputDigest,
    requiresApproval: state.decision!.requiresApproval,
    // The decision event itself, by the build that made it (the harness worker's build id).
    source: 'event',
    buildId: BUILD_ID,
    recomputedMatches: null,
  });
  expect(state.decision!.buildId).toBe(BUILD_ID);
}

describe('GET /v1/problems/:id/audit', () => {
  test('an auto-credited dispute: extraction, verified fact, rule, retried tool call, statuses in order; never the text', async () => {
    h.systems.faults.configure({ failNext: [{ method: 'POST', pathPrefix: '/billing/credits', status: 503, count: 1 }] });
    const text = 'I was charged twice for MOB-299 on invoice INV-2002, account ACC-1002. Please refund Rs 299. Secret-marker-7781';
    const { id } = (await submit(h.app, keys.alice, { text, customerId: 'ACC-1002' })).json();
    const done = await waitForStatus(h.app, keys.alice, id, [...FINAL]);
    h.systems.faults.configure({});
    expect(done.status).toBe('completed');

    const res = await closedAuditOf(id);
    expect(res.statusCode).toBe(200);
    const body = res.json() as AuditBody;
    expect(body).toMatchObject({ id, status: 'completed', closed: true, nextCursor: null });
    expect(body.steps.map((s) => s.kind)).toEqual(['status', 'status', 'extraction', 'verification', 'decision', 'status', 'tool', 'status']);
    expect(statuses(body.steps)).toEqual(['received', 'extracting', 'executing', 'completed']);
    expect(body.steps.map((s) => s.eventId)).toEqual([...body.steps.map((s) => s.eventId)].sort((a, b) => a - b));

    expect(ofKind(body.steps, 'extraction')[0]).toMatchObject({
      round: 1,
      outcome: 'completed',
      provider: 'rules',
      validation: 'valid',
      type: 'billing_dispute',
      entities: { accountId: 'ACC-1002', invoiceId: 'INV-2002', amount: 299 },
      usage: { modelCalls: 0 },
      repairAttempts: 0,
      summary: 'Extract structured request',
    });
    expect(ofKind(body.steps, 'verification')).toEqual([
      expect.objectContaining({ fact: 'invoice', source: 'lookUpInvoice', idempotencyKey: `${id}/verify-invoice`, attempts: 1, outcome: 'completed', value: expect.objectContaining({ found: true, invoiceId: 'INV-2002' }) }),
    ]);
    expectDecisionMatches(body.steps, done);
    expect(ofKind(body.steps, 'decision')[0]).toMatchObject({ ruleId: 'BD-10', reasonCode: 'credit_within_auto_limit', verifiedFacts: ['invoice'], plannedSteps: [{ id: 'credit', tool: 'issueCredit' }] });
    expect(ofKind(body.steps, 'tool')).toEqual([
      expect.objectContaining({ tool: 'issueCredit', stepId: 'credit', idempotencyKey: `${id}/credit`, attempts: 2, outcome: 'completed', result: expect.objectContaining({ invoiceId: 'INV-2002', amount: 299 }) }),
    ]);
    expect(ofKind(body.steps, 'status').at(-1)).toMatchObject({ status: 'completed', reasonCode: 'credit_within_auto_limit' });
    expect(res.body).not.toContain('Secret-marker-7781');
    expect(res.body).not.toContain('charged twice');
  });

  test('a running problem gives the steps so far; the approval then appears with principal, digest and comment', async () => {
    const { id } = (await submit(h.app, keys.alice, { text: 'Account ACC-1001, invoice INV-2001: please credit Rs 999 for the fiber plan.' })).json();
    const waiting = await waitForStatus(h.app, keys.alice, id, ['awaiting_approval']);
    const running = (await auditOf(id, keys.erin)).json() as AuditBody;
    expect(running).toMatchObject({ status: 'awaiting_approval', closed: false });
    expect(statuses(running.steps).at(-1)).toBe('awaiting_approval');
    expect(ofKind(running.steps, 'tool')).toHaveLength(0);
    expect(ofKind(running.steps, 'decision')[0]).toMatchObject({
      source: 'event',
      buildId: BUILD_ID,
      ruleId: 'BD-11',
      reasonCode: 'credit_needs_approval',
      requiresApproval: true,
      inputDigest: waiting.decision!.inputDigest,
      approval: { requiredApprovals: 1, actionDigest: waiting.approval!.actionDigest },
    });

    const approved = await h.app.inject({
      method: 'POST',
      url: `/v1/problems/${id}/approvals`,
      headers: { authorization: `Bearer ${keys.bob}` },
      payload: { decision: 'approve', actionDigest: waiting.approval!.actionDigest, comment: 'checked the invoice' },
    });
    expect(approved.statusCode).toBe(200);
    // The update returns once the action ran; the workflow closes (and records its result) just after.
    const done = await waitForStatus(h.app, keys.alice, id, [...FINAL]);
    const steps = await stepsOf(id);
    expectDecisionMatches(steps, done);
    const [approval] = ofKind(steps, 'approval');
    expect(approval).toMatchObject({ principal: 'bob', decision: 'approve', actionDigest: waiting.approval!.actionDigest, comment: 'checked the invoice', completedAt: expect.any(String) });
    const kinds = steps.map((s) => s.kind);
    expect(kinds.indexOf('approval')).toBeLessThan(kinds.indexOf('tool'));
    expect(statuses(steps)).toEqual(['received', 'extracting', 'awaiting_approval', 'executing', 'completed']);
  });

  test('a rejected dispute shows the rule that rejected it and no tool call', async () => {
    const { id } = (await submit(h.app, keys.alice, { text: 'ACC-1001 INV-9999 refund Rs 100' })).json();
    const done = await waitForStatus(h.app, keys.alice, id, [...FINAL]);
    expect(done.status).toBe('rejected');
    const steps = await stepsOf(id);
    expectDecisionMatches(steps, done);
    expect(ofKind(steps, 'decision')[0]).toMatchObject({ action: 'reject', ruleId: 'BD-02', reasonCode: 'invoice_not_found' });
    expect(ofKind(steps, 'verification')[0]).toMatchObject({ fact: 'invoice', value: { found: false } });
    expect(ofKind(steps, 'tool')).toHaveLength(0);
    expect(ofKind(steps, 'status').at(-1)).toMatchObject({ status: 'rejected', reasonCode: 'invoice_not_found' });
  });

  test('a clarification round: question asked, answer received (length only), second extraction', async () => {
    const { id } = (await submit(h.app, keys.alice, { text: 'I was charged twice for my fiber plan in October' })).json();
    await waitForStatus(h.app, keys.alice, id, ['needs_clarification']);
    const answer = 'Account ACC-1002, invoice INV-2002, amount Rs 299, ref Answer-marker-5521';
    expect((await h.app.inject({ method: 'POST', url: `/v1/problems/${id}/clarifications`, headers: { authorization: `Bearer ${keys.alice}` }, payload: { text: answer } })).statusCode).toBe(202);
    const done = await waitForStatus(h.app, keys.alice, id, [...FINAL]);
    const res = await closedAuditOf(id);
    const steps = (res.json() as AuditBody).steps;
    expect(ofKind(steps, 'extraction').map((e) => [e.round, e.validation])).toEqual([[1, 'clarify'], [2, 'valid']]);
    expect(ofKind(steps, 'extraction')[0]).toMatchObject({ reasonCode: 'missing_fields', missingFields: expect.arrayContaining(['accountId', 'invoiceId']) });
    expect(ofKind(steps, 'clarification')).toEqual([
      expect.objectContaining({ event: 'requested', round: 1, reasonCode: 'missing_fields' }),
      expect.objectContaining({ event: 'answered', round: 1, principal: 'alice', answerLength: answer.length }),
    ]);
    expectDecisionMatches(steps, done);
    expect(res.body).not.toContain('Answer-marker-5521');
    expect(res.body).not.toContain('fiber plan in October');
  });

  // Runs before the per-type samples: it uses the plan_change sample's account, and leaves it as it was.
  test('a saga whose second step is refused shows the failed tool call and the compensation that undid the first', async () => {
    h.systems.faults.configure({ failNext: [{ method: 'POST', pathPrefix: '/rating/rerates', status: 422, count: 1 }] });
    const { id } = (await submit(h.app, keys.alice, { text: 'Please upgrade account ACC-1001 from FIBER-100 to FIBER-300.' })).json();
    let state = await waitForStatus(h.app, keys.alice, id, [...FINAL, 'awaiting_approval']);
    if (state.status === 'awaiting_approval') {
      await h.app.inject({ method: 'POST', url: `/v1/problems/${id}/approvals`, headers: { authorization: `Bearer ${keys.erin}` }, payload: { decision: 'approve', actionDigest: state.approval!.actionDigest } });
      state = await waitForStatus(h.app, keys.alice, id, [...FINAL]);
    }
    h.systems.faults.configure({});
    expect(state.status).toBe('failed');
    const steps = await stepsOf(id);
    expect(ofKind(steps, 'tool').map((t) => [t.tool, t.outcome])).toEqual([['changePlan', 'completed'], ['rerateBilling', 'failed']]);
    // By type and reason code only: the failure's message names the downstream route and answer (internal text, invariant 4).
    expect(ofKind(steps, 'tool')[1]).toMatchObject({ idempotencyKey: `${id}/rerate`, failure: { type: 'ToolRejected', reasonCode: expect.any(String) } });
    expect(Object.keys((ofKind(steps, 'tool')[1] as { failure: object }).failure).sort()).toEqual(['reasonCode', 'type']);
    expect(JSON.stringify(steps)).not.toMatch(/rating\/rerates|answered 422|"message"/);
    expect(ofKind(steps, 'compensation')).toEqual([expect.objectContaining({ tool: 'revertPlanChange', stepId: 'revert-plan', outcome: 'completed', idempotencyKey: `${id}/revert-plan` })]);
    const kinds = steps.map((s) => s.kind);
    expect(kinds.lastIndexOf('tool')).toBeLessThan(kinds.indexOf('compensation'));
    expectDecisionMatches(steps, state);
  });

  test.each(problemTypes.map((t) => [t.name, t.samples[0]!] as const))('%s: the audited decision is the decision taken', async (_type, sample) => {
    const { id } = (await submit(h.app, keys.dave, { text: sample })).json();
    const state = await waitForStatus(h.app, keys.dave, id, [...FINAL, 'awaiting_approval', 'needs_clarification']);
    const steps = FINAL.includes(state.status as (typeof FINAL)[number]) ? await stepsOf(id) : ((await auditOf(id)).json() as AuditBody).steps;
    if (state.decision) {
      const decision = ofKind(steps, 'decision').at(-1)!;
      expect(decision).toMatchObject({ action: state.decision.action, ruleId: state.decision.ruleId, reasonCode: state.decision.reasonCode, inputDigest: state.decision.inputDigest });
    }
    expect(statuses(steps).at(-1)).toBe(state.status);
  });

  test('pages: limit and cursor walk the same steps as one page', async () => {
    const { id } = (await submit(h.app, keys.alice, { text: 'ACC-1002 disputes INV-2001, refund Rs 100' })).json();
    await waitForStatus(h.app, keys.alice, id, [...FINAL]);
    const all = await stepsOf(id);
    const walked: AuditStep[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await auditOf(id, keys.bob, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const body = res.json() as AuditBody;
      expect(body.steps.length).toBeLessThanOrEqual(2);
      walked.push(...body.steps);
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    expect(pages).toBe(Math.ceil(all.length / 2));
    expect(walked).toEqual(all);
  });

  test('bad requests: unknown id 404, submitter 403, no key 401, bad cursor and limit 400', async () => {
    const unknown = await auditOf('prb_01JZZZZZZZZZZZZZZZZZZZZZZZ');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('problem_not_found');
    const { id } = (await submit(h.app, keys.alice, { text: 'ACC-1001 INV-9999 refund Rs 100' })).json();
    await waitForStatus(h.app, keys.alice, id, [...FINAL]);
    expect((await auditOf(id, keys.alice)).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'GET', url: `/v1/problems/${id}/audit` })).statusCode).toBe(401);
    const badCursor = await auditOf(id, keys.bob, '?cursor=bm90LWEtY3Vyc29y');
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().error.code).toBe('invalid_cursor');
    expect((await auditOf(id, keys.bob, '?limit=0')).statusCode).toBe(400);
    expect((await auditOf('not-an-id')).statusCode).toBe(400);
  });

  test('npm run audit:export writes the history JSON and a readable summary, and says where', async () => {
    const text = 'Account ACC-1001, invoice INV-2001: the installation line Rs 300 was wrong, credit 300. Export-marker-3390';
    const { id } = (await submit(h.app, keys.alice, { text })).json();
    await waitForStatus(h.app, keys.alice, id, [...FINAL]);
    const outDir = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR ?? '/tmp', 'audit-export-'));
    const run = (args: string[]) =>
      promisify(execFile)(path.resolve(__dirname, '../../node_modules/.bin/tsx'), [path.resolve(__dirname, '../../scripts/audit-export.ts'), ...args], {
        env: { ...process.env, TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS, LOG_LEVEL: 'silent' },
      });
    const { stdout } = await run([id, outDir]);
    const historyFile = path.join(outDir, `${id}.history.json`);
    const summaryFile = path.join(outDir, `${id}.audit.md`);
    expect(stdout).toContain(historyFile);
    expect(stdout).toContain(summaryFile);
    const history = JSON.parse(fs.readFileSync(historyFile, 'utf8')) as { events: { eventType: string }[] };
    expect(history.events[0]!.eventType).toMatch(/WORKFLOW_EXECUTION_STARTED/);
    const summary = fs.readFileSync(summaryFile, 'utf8');
    expect(summary).toContain(`# Audit of problem ${id}`);
    expect(summary).toMatch(/Rule `BD-\d+` of `billing_dispute`/);
    expect(summary).toContain('`lookUpInvoice`');
    expect(summary).not.toContain('Export-marker-3390');
    await expect(run(['prb_01JZZZZZZZZZZZZZZZZZZZZZZZ', outDir])).rejects.toMatchObject({ code: 3 });
  });
});
