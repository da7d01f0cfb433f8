import { Client, type WorkflowClientInterceptor } from '@temporalio/client';
import { ApiError } from '../../src/api/errors';
import type { Principal } from '../../src/api/plugins/auth';
import { createProblemService, type ProblemService } from '../../src/api/problem-service';
import { keys, startHarness, submit, submitAndSettle, testCommandSigner, waitForStatus, type Harness } from '../support/harness';

/**
 * Reading a problem costs Temporal as few calls as its state allows: a running problem is one
 * query (no describe first), a finished one its result, an abnormally ended one a 500 with a
 * stable code (the query is refused by the server, never replayed on a worker).
 */
describe('GET /v1/problems/:id round trips', () => {
  let h: Harness;
  let service: ProblemService;
  const calls: string[] = [];
  const dave: Principal = { principal: 'dave', roles: ['submitter'], groups: [], accounts: null, employeeId: null };

  beforeAll(async () => {
    h = await startHarness();
    const counting: WorkflowClientInterceptor = {
      describe: (input, next) => (calls.push('describe'), next(input)),
      query: (input, next) => (calls.push(`query:${input.queryRejectCondition ?? 'default'}`), next(input)),
    };
    const client = new Client({ connection: h.client.connection, namespace: 'default', dataConverter: h.client.options.dataConverter, interceptors: { workflow: [counting] } });
    service = createProblemService({ client, taskQueue: h.taskQueue, namespace: 'default', signCommand: testCommandSigner() });
  }, 60_000);
  afterAll(() => h?.stop());
  beforeEach(() => void (calls.length = 0));

  test('a running problem is read with one query and no describe', async () => {
    const res = await submit(h.app, keys.dave, { text: 'My internet is not working' });
    const { id } = res.json() as { id: string };
    await waitForStatus(h.app, keys.dave, id, ['needs_clarification']);
    calls.length = 0;
    const state = await service.get(id, dave);
    expect(state.status).toBe('needs_clarification');
    expect(calls).toEqual(['query:2']); // QueryRejectCondition NOT_OPEN
  }, 60_000);

  test('a finished problem is read from its result after the server refused the query', async () => {
    const { id, done } = await submitAndSettle(h.app, keys.dave, 'I was charged twice for MOB-299 on invoice INV-2002, account ACC-1002. Please refund Rs 299.');
    calls.length = 0;
    const state = await service.get(id, dave);
    expect(state).toEqual(done);
    expect(calls).toEqual(['query:2']);
  }, 60_000);

  test('a terminated problem reads as failed with reason workflow_terminated, to its readers only; an unknown id 404', async () => {
    const res = await submit(h.app, keys.dave, { text: 'My internet is not working', channel: 'email' });
    const { id } = res.json() as { id: string };
    await waitForStatus(h.app, keys.dave, id, ['needs_clarification']);
    await h.client.workflow.getHandle(id).terminate('test');
    expect(await service.get(id, dave)).toMatchObject({ id, status: 'failed', submittedBy: 'dave', channel: 'email', outcome: { reasonCode: 'workflow_terminated' } });
    // Authorised as any problem: another submitter is refused, not told how it ended.
    const alice: Principal = { ...dave, principal: 'alice' };
    await expect(service.get(id, alice)).rejects.toMatchObject({ status: 403, code: 'forbidden' });
    const read = await h.app.inject({ method: 'GET', url: `/v1/problems/${id}`, headers: { authorization: `Bearer ${keys.dave}` } });
    expect([read.statusCode, read.json().status]).toEqual([200, 'failed']);
    await expect(service.get('prb_01NOSUCHPROBLEM0000000000', dave)).rejects.toBeInstanceOf(ApiError);
    await expect(service.get('prb_01NOSUCHPROBLEM0000000000', dave)).rejects.toMatchObject({ status: 404, code: 'problem_not_found' });
  }, 60_000);
});
