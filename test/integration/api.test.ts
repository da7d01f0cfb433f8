import { Client, Connection } from '@temporalio/client';
import { buildApp, BODY_LIMIT } from '../../src/api/app';
import { createProblemService } from '../../src/api/problem-service';
import { DEV_API_KEYS } from '../../src/config';
import { freePort } from '../../scripts/lib/processes';
import { keys, startHarness, submit, waitForStatus, type Harness, testCommandSigner } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.stop());

const count = async (query: string) => (await h.client.workflow.count(query)).count;
const text = 'I was charged twice for MOB-299 on invoice INV-2002, account ACC-1002. Please refund Rs 299.';

describe('POST /v1/problems idempotency (anchored on the workflow id)', () => {
  test('the same key and body return the same id and start nothing new', async () => {
    const key = `idem-${Date.now()}`;
    const first = await submit(h.app, keys.alice, { text }, { 'idempotency-key': key });
    const second = await submit(h.app, keys.alice, { text }, { 'idempotency-key': key });
    expect(first.statusCode).toBe(202);
    expect(second.statusCode).toBe(202);
    expect(second.json().id).toBe(first.json().id);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await count(`WorkflowId = '${first.json().id}'`)).toBe(1);
  });

  test('concurrent duplicates start exactly one workflow', async () => {
    const key = `race-${Date.now()}`;
    const results = await Promise.all(Array.from({ length: 5 }, () => submit(h.app, keys.alice, { text }, { 'idempotency-key': key })));
    expect(results.map((r) => r.statusCode)).toEqual([202, 202, 202, 202, 202]);
    expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
  });

  test('the same key with another body is 409 and starts nothing', async () => {
    const key = `conflict-${Date.now()}`;
    const first = await submit(h.app, keys.alice, { text }, { 'idempotency-key': key });
    const other = await submit(h.app, keys.alice, { text: `${text} Also something else.` }, { 'idempotency-key': key });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('idempotency_key_conflict');
    expect(await count(`WorkflowId = '${first.json().id}'`)).toBe(1);
  });

  test('keys are scoped per principal', async () => {
    const key = `scoped-${Date.now()}`;
    const a = await submit(h.app, keys.alice, { text }, { 'idempotency-key': key });
    const d = await submit(h.app, keys.dave, { text }, { 'idempotency-key': key });
    expect(a.json().id).not.toBe(d.json().id);
  });

  test('a replay after completion still returns the same id', async () => {
    const key = `done-${Date.now()}`;
    const { id } = (await submit(h.app, keys.alice, { text: 'ACC-1001 INV-2001 please refund Rs 100 for an overcharge' }, { 'idempotency-key': key })).json();
    await waitForStatus(h.app, keys.alice, id, ['completed', 'rejected', 'failed']);
    const again = await submit(h.app, keys.alice, { text: 'ACC-1001 INV-2001 please refund Rs 100 for an overcharge' }, { 'idempotency-key': key });
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({ id, status: 'completed' });
  });
});

describe('bad input is refused before anything starts', () => {
  const before = () => count(`TaskQueue = '${h.taskQueue}'`);
  test.each([
    ['empty text', { text: '' }, 400, 'invalid_body'],
    ['whitespace text', { text: '   ' }, 400, 'invalid_body'],
    ['text over 4000 characters', { text: 'x'.repeat(4001) }, 400, 'invalid_body'],
    ['wrong type', { text: 42 }, 400, 'invalid_body'],
    ['unknown field', { text: 'hi', approve: true }, 400, 'invalid_body'],
    ['bad channel', { text: 'hi', channel: 'fax' }, 400, 'invalid_body'],
  ])('%s is refused', async (_name, body, status, code) => {
    const n = await before();
    const res = await submit(h.app, keys.alice, body);
    expect(res.statusCode).toBe(status);
    expect(res.json().error).toMatchObject({ code, message: expect.any(String), details: expect.any(Array) });
    expect(await before()).toBe(n);
  });

  test('non-JSON → 400 invalid_json', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/v1/problems', headers: { authorization: `Bearer ${keys.alice}`, 'content-type': 'application/json' }, payload: '{"text":' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_json');
  });

  test('empty body → 400', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/v1/problems', headers: { authorization: `Bearer ${keys.alice}`, 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
  });

  test('body over 16 KiB → 413 body_too_large', async () => {
    const res = await submit(h.app, keys.alice, { text: 'y'.repeat(BODY_LIMIT) });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('body_too_large');
  });

  test('malformed Idempotency-Key → 400', async () => {
    const res = await submit(h.app, keys.alice, { text }, { 'idempotency-key': 'has spaces in it' });
    expect(res.statusCode).toBe(400);
  });
});

describe('authentication and roles', () => {
  test('no key → 401, wrong key → 401', async () => {
    expect((await h.app.inject({ method: 'POST', url: '/v1/problems', payload: { text } })).statusCode).toBe(401);
    const wrong = await submit(h.app, 'not-a-real-key-000000', { text });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('unauthorized');
  });

  test('a submitter cannot list approvals (403); unknown problem is 404; malformed id is 400', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/v1/approvals', headers: { authorization: `Bearer ${keys.alice}` } })).statusCode).toBe(403);
    const unknown = await h.app.inject({ method: 'GET', url: '/v1/problems/prb_01J00000000000000000000000', headers: { authorization: `Bearer ${keys.bob}` } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('problem_not_found');
    expect((await h.app.inject({ method: 'GET', url: '/v1/problems/nope', headers: { authorization: `Bearer ${keys.bob}` } })).statusCode).toBe(400);
  });

  test("a submitter cannot read another submitter's problem", async () => {
    const { id } = (await submit(h.app, keys.alice, { text })).json();
    const res = await h.app.inject({ method: 'GET', url: `/v1/problems/${id}`, headers: { authorization: `Bearer ${keys.dave}` } });
    expect(res.statusCode).toBe(403);
  });
});

describe('health, readiness and the spec', () => {
  test('/healthz and /readyz are 200 with a worker polling', async () => {
    expect((await h.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const ready = await h.app.inject({ url: '/readyz' });
    expect(ready.json()).toEqual({ ready: true, temporal: true, workerPolling: true });
  });

  test('/openapi.json documents the routes from the zod schemas', async () => {
    const spec = (await h.app.inject({ url: '/openapi.json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/problems', '/v1/problems/{id}', '/v1/problems/{id}/approvals', '/v1/approvals']));
    // Shared shapes are components: the body is a reference to one.
    const body = spec.paths['/v1/problems'].post.requestBody.content['application/json'].schema as { $ref: string };
    expect(body.$ref).toBe('#/components/schemas/SubmitProblemInput');
    expect(spec.components.schemas.SubmitProblemInput.properties.text.maxLength).toBe(4000);
  });

  test('responses never carry prompts or raw model text', async () => {
    const { id } = (await submit(h.app, keys.alice, { text })).json();
    const done = await waitForStatus(h.app, keys.alice, id, ['completed', 'rejected', 'failed']);
    const body = JSON.stringify(done);
    expect(body).not.toMatch(/rawText|"prompt"|You extract|<report/i);
    expect(body).not.toContain(text);
  });
});

describe('Temporal unreachable', () => {
  test('the API starts, answers 503 temporal_unavailable and /readyz 503, and starts nothing', async () => {
    const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
    const client = new Client({ connection });
    const service = createProblemService({ client, taskQueue: 'nowhere', namespace: 'default', rpcTimeoutMs: 3000 , signCommand: testCommandSigner() });
    const app = await buildApp({ apiKeys: DEV_API_KEYS, service, logger: false });
    try {
      const res = await submit(app, keys.alice, { text });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('temporal_unavailable');
      expect(res.headers['retry-after']).toBeDefined();
      // Once Temporal is known to be down, requests fail fast (a short probe) instead of waiting out the deadline.
      const started = Date.now();
      const again = await submit(app, keys.alice, { text });
      expect(again.statusCode).toBe(503);
      expect(Date.now() - started).toBeLessThan(2500);
      const ready = await app.inject({ url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ ready: false, temporal: false });
      expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
      await connection.close();
    }
  });
});
