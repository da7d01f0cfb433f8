import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { BODY_LIMIT, buildApp } from '../../src/api/app';
import { createProblemService } from '../../src/api/problem-service';
import { DEV_API_KEYS } from '../../src/config';
import { keys, testCommandSigner } from '../support/harness';

/**
 * Hardening of the HTTP API: per-key rate limits, body size limit, security headers and key
 * checks. The app runs against the real dev server (on a task queue with no worker: these
 * tests never need a workflow to progress).
 */
const LIMIT = 5;
let app: FastifyInstance;
/** The same API with a generous limit, for tests that make many calls. */
let roomy: FastifyInstance;
let connection: Connection;
let client: Client;
const taskQueue = `security-${randomUUID()}`;
const started: string[] = [];

beforeAll(async () => {
  connection = await Connection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! });
  client = new Client({ connection });
  const service = createProblemService({ client, taskQueue, namespace: 'default', rpcTimeoutMs: 10_000 , signCommand: testCommandSigner() });
  app = await buildApp({ apiKeys: DEV_API_KEYS, service, logger: false, rateLimitPerMinute: LIMIT });
  roomy = await buildApp({ apiKeys: DEV_API_KEYS, service, logger: false, rateLimitPerMinute: 10_000 });
  await Promise.all([app.ready(), roomy.ready()]);
});

afterAll(async () => {
  await Promise.all(started.map((id) => client.workflow.getHandle(id).terminate('security test cleanup').catch(() => undefined)));
  await app?.close();
  await roomy?.close();
  await connection?.close();
});

const me = (key: string) => app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${key}` } });

describe('rate limiting per API key', () => {
  test(`answers 429 rate_limited after ${LIMIT} requests a minute, per key, with limit headers`, async () => {
    for (let i = 0; i < LIMIT; i++) {
      const res = await me(keys.dave);
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe(String(LIMIT));
    }
    const limited = await me(keys.dave);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: { code: 'rate_limited' } });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another key has its own budget.
    expect((await me(keys.carol)).statusCode).toBe(200);
  });

  test('health, readiness and the spec are not rate limited', async () => {
    for (let i = 0; i < LIMIT + 2; i++) expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('body size limit', () => {
  test('a body over 16 KiB is refused with 413 body_too_large', async () => {
    const payload = JSON.stringify({ text: 'x'.repeat(BODY_LIMIT + 1) });
    const res = await app.inject({ method: 'POST', url: '/v1/problems', headers: { authorization: `Bearer ${keys.erin}`, 'content-type': 'application/json' }, payload });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: { code: 'body_too_large' } });
  });

  test('a body under 16 KiB with text over 4000 characters is a 400, not a 413', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/problems', headers: { authorization: `Bearer ${keys.bob}` }, payload: { text: 'x'.repeat(4001) } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toMatch(/^invalid_/);
  });
});

describe('security headers', () => {
  test.each(['/healthz', '/openapi.json', '/v1/me', '/no-such-route'])('%s carries helmet headers and no x-powered-by', async (url) => {
    const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${keys.alice}` } });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cross-origin-resource-policy']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('API keys', () => {
  const valid = keys.alice;
  test.each([
    ['a key differing in its last character', `${valid.slice(0, -1)}z`],
    ['a prefix of a valid key', valid.slice(0, 10)],
    ['a valid key with a suffix', `${valid}x`],
    ['a key in another scheme', null],
  ])('%s is refused with 401', async (_name, key) => {
    const headers = key === null ? { authorization: `Basic ${Buffer.from(`alice:${valid}`).toString('base64')}` } : { authorization: `Bearer ${key}` };
    const res = await app.inject({ method: 'GET', url: '/v1/problems/prb_x', headers });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  test('the API key never reaches workflow history (only the principal does)', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/problems', headers: { authorization: `Bearer ${keys.erin}` }, payload: { text: 'Account ACC-1001 invoice INV-2001: refund Rs 10 please' } });
    expect(res.statusCode).toBe(202);
    const { id } = res.json() as { id: string };
    started.push(id);
    const history = JSON.stringify(await client.workflow.getHandle(id).fetchHistory());
    expect(history).not.toContain(keys.erin);
    expect(history.length).toBeGreaterThan(100);
  });
});

describe('list cursors', () => {
  test('a cursor the API issued pages on; one it did not issue is a quick 400, not a 503 after a stalled Temporal call', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await roomy.inject({ method: 'POST', url: '/v1/problems', headers: { authorization: `Bearer ${keys.bob}` }, payload: { text: `Account ACC-1001 invoice INV-2001: refund Rs ${i + 1}` } });
      expect(res.statusCode).toBe(202);
      started.push(res.json().id);
    }
    const list = (cursor?: string) => roomy.inject({ method: 'GET', url: `/v1/problems?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, headers: { authorization: `Bearer ${keys.erin}` } });
    const first = await list();
    expect(first.statusCode).toBe(200);
    const { nextCursor } = first.json() as { nextCursor: string | null };
    expect(nextCursor).toEqual(expect.any(String));
    expect((await list(nextCursor!)).statusCode).toBe(200);

    for (const forged of ['0'.repeat(600), 'AAAA', `${nextCursor!.split('.')[0]}.AAAAAAAAAAAAAAAA`, `${nextCursor}.x`]) {
      const t0 = Date.now();
      const res = await list(forged);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'invalid_cursor' } });
      expect(Date.now() - t0).toBeLessThan(2000);
    }
  });
});
