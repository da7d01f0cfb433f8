import { WorkflowIdReusePolicy, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import { randomBytes } from 'node:crypto';
import { DEV_API_KEYS, type ApiKeyEntry } from '../../src/config';
import { defaultBillingPolicy } from '../../src/domain/billing-dispute/schema';
import type { PolicyFile } from '../../src/domain/policy';
import { createCommandSigner, signingKeyFromSeed } from '../../src/security/command-keys';
import { submitApprovalUpdate, type ApprovalInput, type ProblemInput } from '../../workflows/definitions';
import type { ProblemState } from '../../workflows/state';
import { keys, ledger, startHarness, submit, testCommandSigner, waitForStatus, type Harness } from '../support/harness';

/** A manager of eng-managers who is also EMP-501, and an approver scoped to ACC-1001 (a customer's own account). */
const apiKeys: ApiKeyEntry[] = [
  ...DEV_API_KEYS,
  { key: 'test-manager-emp501-key', principal: 'mona', roles: ['approver'], groups: ['eng-managers'], employeeId: 'EMP-501' },
  { key: 'test-scoped-approver-key', principal: 'sam', roles: ['approver'], groups: ['billing-approvers'], accounts: ['ACC-1001'] },
  // One person (EMP-777) behind a submitter key and an approver key of another principal name.
  { key: 'test-olga-submitter-key', principal: 'olga', roles: ['submitter'], groups: [], employeeId: 'EMP-777' },
  { key: 'test-olga-approver-key', principal: 'olga.approver', roles: ['approver'], groups: ['billing-approvers'], employeeId: 'EMP-777' },
];
const policy: PolicyFile = { version: 'test-trusted-approvals', types: { billing_dispute: { ...defaultBillingPolicy, approverGroup: 'billing-approvers' } } };
const CREDIT_999 = 'Account ACC-1001, invoice INV-2001: please credit Rs 999 for the fiber plan.';
/** Another line of the same invoice, so the tests that credit do not use up each other's line. */
const CREDIT_1500 = 'ACC-1001 INV-2001 installation charge Rs 1500 was never done, please refund 1500 rupees';

type Waiting = ProblemState & { approval: NonNullable<ProblemState['approval']> };

async function waiting(h: Harness, text: string, key = keys.alice): Promise<Waiting> {
  const res = await submit(h.app, key, { text });
  expect(res.statusCode).toBe(202);
  const state = await waitForStatus(h.app, key, res.json().id, ['awaiting_approval', 'completed', 'rejected', 'failed']);
  expect(state.status).toBe('awaiting_approval');
  return state as Waiting;
}

const approve = (h: Harness, id: string, key: string, payload: Record<string, unknown>) =>
  h.app.inject({ method: 'POST', url: `/v1/problems/${id}/approvals`, headers: { authorization: `Bearer ${key}` }, payload });

const credits = (h: Harness, id: string) => ledger(h.systems.db).filter((e) => e.idempotencyKey.startsWith(`${id}/`));

/** Sends an approval straight to Temporal, past the API, and returns the rejection type. */
async function sendPastTheApi(h: Harness, id: string, input: unknown): Promise<string | undefined> {
  const err = await h.client.workflow.getHandle(id).executeUpdate(submitApprovalUpdate, { args: [input as ApprovalInput] }).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  return cause instanceof ApplicationFailure ? cause.type ?? undefined : undefined;
}

describe('approvals trusted end to end', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ apiKeys, policy });
  });
  afterAll(async () => h?.stop());

  /** Starts problemWorkflow straight on Temporal, as the CLI, the Web UI or any client could; the problem once it rests. */
  async function startedPastTheApi(input: ProblemInput, workflowId = input.problemId): Promise<ProblemState> {
    await h.client.workflow.start('problemWorkflow', { workflowId, taskQueue: h.taskQueue, args: [input] });
    return waitForStatus(h.app, keys.erin, workflowId, ['awaiting_approval', 'needs_clarification', 'completed', 'rejected', 'failed']);
  }
  const unsigned = (text: string, submittedBy: string): ProblemInput => {
    const problemId = `prb_01PASTAPI${randomBytes(8).toString('hex').toUpperCase()}`;
    return { problemId, text, channel: 'api', submittedBy, requestDigest: 'sha256:forged' };
  };

  test('a start written straight to Temporal is refused before anything runs, whatever identity it claims', async () => {
    // Bob starts the credit as if alice had submitted it, to approve it himself; another start names a principal with no key.
    for (const input of [unsigned(CREDIT_1500, 'alice'), unsigned('My account ACC-1002 was charged twice for MOB-299 on invoice INV-2002, please refund the duplicate Rs 299.', 'nobody')]) {
      const state = await startedPastTheApi(input);
      expect(state).toMatchObject({ status: 'failed', outcome: { reasonCode: 'start_unsigned' }, decision: null, entities: null });
      expect(credits(h, input.problemId)).toHaveLength(0);
      const scheduled = (await h.client.workflow.getHandle(input.problemId).fetchHistory()).events!.filter((e) => e.activityTaskScheduledEventAttributes).map((e) => e.activityTaskScheduledEventAttributes!.activityType!.name);
      // No extraction, no tool: nothing but the admission and the completion notice (both local activities).
      expect(scheduled).toEqual([]);
    }
  });

  test('a genuine start edited, replayed under another id, or signed too long ago is refused', async () => {
    const sign = testCommandSigner();
    const fields = { ...unsigned('Account ACC-1003, invoice INV-2003: please credit Rs 100 of the FIBER-300 charge.', 'frank'), accountScope: ['ACC-1001'] };
    const genuine = sign('start', fields.problemId, fields);
    // The scope dropped from frank's signed start (to act on ACC-1003): the signature no longer holds.
    const { accountScope: _dropped, ...unscoped } = genuine;
    expect(await startedPastTheApi(unscoped)).toMatchObject({ status: 'failed', outcome: { reasonCode: 'start_signature_invalid' } });
    // The whole genuine start, under another workflow id.
    const elsewhere = `prb_01ELSEWHERE${randomBytes(8).toString('hex').toUpperCase()}`;
    expect(await startedPastTheApi(genuine, elsewhere)).toMatchObject({ status: 'failed', outcome: { reasonCode: 'start_signature_invalid' } });
    // Signed six minutes before the workflow started: a captured start cannot be replayed later.
    const stale = testCommandSigner(() => new Date(Date.now() - 6 * 60_000));
    const old = unsigned('Account ACC-1003, invoice INV-2003: please credit Rs 100 of the FIBER-300 charge.', 'dave');
    expect(await startedPastTheApi(stale('start', old.problemId, old))).toMatchObject({ status: 'failed', outcome: { reasonCode: 'start_expired' } });
    expect(ledger(h.systems.db).filter((e) => e.idempotencyKey.startsWith('prb_01PASTAPI') || e.idempotencyKey.startsWith('prb_01ELSEWHERE'))).toEqual([]);
  });

  test('the same person (one employee id) cannot approve under another key what they submitted', async () => {
    const p = await waiting(h, CREDIT_999, 'test-olga-submitter-key');
    const res = await approve(h, p.id, 'test-olga-approver-key', { decision: 'approve', actionDigest: p.approval.actionDigest });
    expect([res.statusCode, res.json().error?.code]).toEqual([403, 'self_approval_forbidden']);
    expect(credits(h, p.id)).toHaveLength(0);
    await approve(h, p.id, keys.bob, { decision: 'reject', actionDigest: p.approval.actionDigest });
  });

  test('an approval written straight to Temporal with a claimed identity is refused; nothing is credited', async () => {
    const p = await waiting(h, CREDIT_1500);
    const { runId } = await h.client.workflow.getHandle(p.id).describe();
    const forged = { runId, principal: 'mallory', roles: ['approver', 'admin'], groups: ['billing-approvers'], employeeId: null, accounts: null, decision: 'approve', actionDigest: p.approval.actionDigest };
    expect(await sendPastTheApi(h, p.id, forged)).toBe('command_unsigned');

    // Signed with a key the workers do not accept, even under an accepted key id.
    const mallorysKey = createCommandSigner(signingKeyFromSeed('dev', randomBytes(32)));
    expect(await sendPastTheApi(h, p.id, mallorysKey('approval', p.id, forged))).toBe('command_signature_invalid');

    // A genuine signature for another problem or another run of this one, or with the identity edited afterwards.
    const genuine = testCommandSigner()('approval', 'prb_01OTHERPROBLEM000000000000', { ...forged, principal: 'bob' });
    expect(await sendPastTheApi(h, p.id, genuine)).toBe('command_signature_invalid');
    const otherRun = testCommandSigner()('approval', p.id, { ...forged, principal: 'bob', runId: '00000000-0000-4000-8000-000000000000' });
    expect(await sendPastTheApi(h, p.id, otherRun)).toBe('command_signature_invalid');
    const edited = { ...testCommandSigner()('approval', p.id, { ...forged, principal: 'bob', roles: ['submitter'] }), roles: ['approver'] };
    expect(await sendPastTheApi(h, p.id, edited)).toBe('command_signature_invalid');

    const after = await h.app.inject({ method: 'GET', url: `/v1/problems/${p.id}`, headers: { authorization: `Bearer ${keys.alice}` } });
    expect(after.json()).toMatchObject({ status: 'awaiting_approval', approval: { approvals: [] } });
    expect(credits(h, p.id)).toHaveLength(0);

    // The same approval through the API, by a real approver, goes through; the audit shows the signed identity.
    expect((await approve(h, p.id, keys.bob, { decision: 'approve', actionDigest: p.approval.actionDigest })).statusCode).toBe(200);
    await waitForStatus(h.app, keys.alice, p.id, ['completed']);
    const audit = await h.app.inject({ method: 'GET', url: `/v1/problems/${p.id}/audit`, headers: { authorization: `Bearer ${keys.erin}` } });
    expect((audit.json().steps as { kind: string; principal?: string }[]).filter((s) => s.kind === 'approval').map((s) => s.principal)).toEqual(['bob']);
  });

  test('a signed approval read from a rejected run\'s history is refused by a new run of the same problem id', async () => {
    // ₹9000 on a line of its own: two approvals. Bob approves, carol rejects: the problem ends rejected.
    h.systems.db.prepare('INSERT INTO invoices (id, account_id, period, currency) VALUES (?, ?, ?, ?)').run('INV-7401', 'ACC-1005', '2026-10', 'INR');
    h.systems.db.prepare('INSERT INTO invoice_lines (invoice_id, line_no, description, amount) VALUES (?, ?, ?, ?)').run('INV-7401', 1, 'Installation', 9000);
    const p = await waiting(h, 'Account ACC-1005, invoice INV-7401: the installation was never done, please refund Rs 9000.');
    expect(p.approval.requiredApprovals).toBe(2);
    expect((await approve(h, p.id, keys.bob, { decision: 'approve', actionDigest: p.approval.actionDigest })).statusCode).toBe(200);
    expect((await approve(h, p.id, keys.carol, { decision: 'reject', actionDigest: p.approval.actionDigest })).statusCode).toBe(200);
    await waitForStatus(h.app, keys.alice, p.id, ['rejected']);

    // Whoever reads the history finds bob's signed command, and the run's input.
    const handle = h.client.workflow.getHandle(p.id);
    const history = await handle.fetchHistory();
    const accepted = history.events!.find((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'submitApproval');
    const bobs = defaultPayloadConverter.fromPayload<ApprovalInput>(accepted!.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!.args!.payloads![0]!);
    expect(bobs.principal).toBe('bob');
    const input = defaultPayloadConverter.fromPayload<ProblemInput>(history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!);

    // A new run under the same id, started past the API with the same input: the same action digest.
    await h.client.workflow.start('problemWorkflow', { workflowId: p.id, taskQueue: h.taskQueue, args: [input], workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE });
    const again = await waitForStatus(h.app, keys.alice, p.id, ['awaiting_approval']);
    expect(again.approval!.actionDigest).toBe(p.approval.actionDigest);
    // Bob's command, fresh and genuine, was signed for the first run: this one refuses it.
    expect(await sendPastTheApi(h, p.id, bobs)).toBe('command_signature_invalid');
    expect((await waitForStatus(h.app, keys.alice, p.id, ['awaiting_approval'])).approval!.approvals).toEqual([]);
    await approve(h, p.id, keys.carol, { decision: 'reject', actionDigest: again.approval!.actionDigest });
    expect(credits(h, p.id)).toHaveLength(0);
  });

  test('the employee a grant is for cannot approve it, even as a manager of the right group', async () => {
    const p = await waiting(h, 'Please grant EMP-501 viewer access to grafana for 7 days.');
    expect(p.approval.group).toBe('eng-managers');
    const res = await approve(h, p.id, 'test-manager-emp501-key', { decision: 'approve', actionDigest: p.approval.actionDigest });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('beneficiary_approval_forbidden');
    // Another manager of the group can.
    expect((await approve(h, p.id, keys.bob, { decision: 'approve', actionDigest: p.approval.actionDigest })).statusCode).toBe(200);
  });

  test('an approver scoped to the credited account cannot approve the credit', async () => {
    const p = await waiting(h, CREDIT_999, keys.dave);
    const res = await approve(h, p.id, 'test-scoped-approver-key', { decision: 'approve', actionDigest: p.approval.actionDigest });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('beneficiary_approval_forbidden');
    expect(credits(h, p.id)).toHaveLength(0);
    await approve(h, p.id, keys.bob, { decision: 'reject', actionDigest: p.approval.actionDigest });
  });

  test('the approver sees the evidence: verified facts, rule and reason, the texts; the digest covers the whole commitment', async () => {
    const p = await waiting(h, CREDIT_999);
    const list = await h.app.inject({ method: 'GET', url: '/v1/approvals?limit=50', headers: { authorization: `Bearer ${keys.bob}` } });
    const item = (list.json().items as { problemId: string }[]).find((i) => i.problemId === p.id);
    expect(item).toMatchObject({
      evidence: {
        ruleId: 'BD-11',
        reasonCode: 'credit_needs_approval',
        facts: { invoice: { found: true, invoiceId: 'INV-2001', accountId: 'ACC-1001' } },
        texts: [CREDIT_999],
      },
      action: { problemId: p.id, policyVersion: 'test-trusted-approvals', requiredApprovals: 1, group: 'billing-approvers', beneficiary: { accountIds: ['ACC-1001'], employeeIds: [] } },
    });
    await approve(h, p.id, keys.bob, { decision: 'reject', actionDigest: p.approval.actionDigest });
  });

  test('a slow action: the approval answers once recorded, not after the action ran', async () => {
    const p = await waiting(h, CREDIT_999);
    // Billing answers in 4 s (under the harness's 5 s client deadline); the approval must not wait for it.
    h.systems.faults.configure({ latencyMs: 4000 });
    try {
      const started = Date.now();
      const res = await approve(h, p.id, keys.bob, { decision: 'approve', actionDigest: p.approval.actionDigest });
      const tookMs = Date.now() - started;
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: p.id, status: 'executing', approval: { approvals: [{ principal: 'bob', decision: 'approve' }] } });
      expect(tookMs).toBeLessThan(2500);
      // The client follows the outcome with GET; a retry of the approval is a clear conflict, not a 503.
      const retry = await approve(h, p.id, keys.bob, { decision: 'approve', actionDigest: p.approval.actionDigest });
      expect(retry.statusCode).toBe(409);
      const done = await waitForStatus(h.app, keys.alice, p.id, ['completed', 'failed'], 60_000);
      expect(done.status).toBe('completed');
    } finally {
      h.systems.faults.configure({});
    }
    expect(credits(h, p.id)).toHaveLength(1);
  });
});
