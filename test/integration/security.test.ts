import { createHash, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { BODY_LIMIT, buildApp } from '../../src/api/app';
import { createProblemService } from '../../src/api/problem-service';
import { DEV_API_KEYS, loadConfig } from '../../src/config';
import { chargeTokens } from '../../src/limits/principal-token-budget';
import { openTokenLedger } from '../../src/limits/token-ledger';
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

describe('finding: a URL fastify cannot route answers in the contract shape, with the security headers', () => {
  test.each([
    ['a malformed percent-encoding', '/v1/problems/%E0%A4%A', 'invalid_url'],
    ['a path parameter over the router\'s maximum length', `/v1/problems/prb_${'A'.repeat(120)}`, 'invalid_params'],
  ])('%s: 400 with a stable code, with or without a key', async (_, url, code) => {
    for (const headers of [{}, { authorization: `Bearer ${keys.alice}` }]) {
      const res = await roomy.inject({ method: 'GET', url, headers });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: { code, message: expect.any(String), details: [] } });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    }
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

/** Apps built by a test, closed after the file. */
const extraApps: FastifyInstance[] = [];
async function build(options: Partial<Parameters<typeof buildApp>[0]> = {}): Promise<FastifyInstance> {
  const service = createProblemService({ client, taskQueue, namespace: 'default', rpcTimeoutMs: 10_000, signCommand: testCommandSigner() });
  const built = await buildApp({ apiKeys: DEV_API_KEYS, service, logger: false, rateLimitPerMinute: 10_000, codec: { codec: undefined, namespace: 'default', corsOrigins: [] }, ...options });
  await built.ready();
  extraApps.push(built);
  return built;
}
afterAll(async () => {
  await Promise.all(extraApps.map((a) => a.close()));
});
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const errorCode = (res: { json: () => unknown }) => (res.json() as { error?: { code?: string } }).error?.code;

describe('finding: authentication, roles and rate limits run in onRequest, before the body is read', () => {
  test.each([
    ['an anonymous body over 16 KiB', '/v1/problems', {}, { 'content-type': 'application/json' }, JSON.stringify({ text: 'x'.repeat(BODY_LIMIT + 1) }), 401, 'unauthorized'],
    ['anonymous invalid JSON', '/v1/problems', {}, { 'content-type': 'application/json' }, '{"text":', 401, 'unauthorized'],
    ['an anonymous unknown media type', '/v1/problems', {}, { 'content-type': 'application/x-probe' }, 'x', 401, 'unauthorized'],
    ['a submitter-only key, invalid JSON to approvals', '/v1/problems/prb_x/approvals', bearer(keys.dave), { 'content-type': 'application/json' }, '{"decision":', 403, 'forbidden'],
    ['a submitter-only key, 16 KiB+ to approvals', '/v1/problems/prb_x/approvals', bearer(keys.alice), { 'content-type': 'application/json' }, JSON.stringify({ comment: 'x'.repeat(BODY_LIMIT + 1) }), 403, 'forbidden'],
    ['anonymous invalid JSON to /codec/decode', '/codec/decode', {}, { 'content-type': 'application/json' }, '{"payloads":', 401, 'unauthorized'],
    ['a submitter-only key to /codec/decode', '/codec/decode', bearer(keys.alice), { 'content-type': 'application/json' }, '{"payloads":', 403, 'forbidden'],
  ])('%s is refused before parsing', async (_name, url, auth, headers, payload, status, code) => {
    const codecApp = await build();
    const res = await codecApp.inject({ method: 'POST', url, headers: { ...auth, ...headers }, payload });
    expect({ status: res.statusCode, code: errorCode(res) }).toEqual({ status, code });
  });

  test('/codec/* is rate limited per key like /v1', async () => {
    const limited = await build({ rateLimitPerMinute: 3 });
    const decode = () => limited.inject({ method: 'POST', url: '/codec/decode', headers: bearer(keys.bob), payload: { payloads: [] } });
    for (let i = 0; i < 3; i++) expect((await decode()).statusCode).toBe(200);
    const res = await decode();
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  test('POST /codec/session (a key-validity oracle) is throttled per client address, whatever the key', async () => {
    const codecApp = await build();
    const signIn = (key: string) => codecApp.inject({ method: 'POST', url: '/codec/session', headers: bearer(key) });
    for (let i = 0; i < 10; i++) expect((await signIn(`guess-${i}-0000000000000000`)).statusCode).toBe(401);
    const res = await signIn(keys.bob);
    expect(res.statusCode).toBe(429);
    expect(errorCode(res)).toBe('rate_limited');
  });

  test('a /v1 or /codec route that declares no roles cannot be registered', async () => {
    const service = createProblemService({ client, taskQueue, namespace: 'default', signCommand: testCommandSigner() });
    const unguarded = await buildApp({ apiKeys: DEV_API_KEYS, service, logger: false });
    await expect(unguarded.register(async (scope) => {
      scope.get('/v1/forgotten', async () => ({ secret: true }));
    }).then(() => unguarded.ready())).rejects.toThrow(/declares no config.roles/);
    await unguarded.close().catch(() => undefined);
  });
});

describe('finding: /readyz is cached', () => {
  test('a burst of /readyz costs one Temporal probe per 1.5 s window', async () => {
    const real = createProblemService({ client, taskQueue, namespace: 'default', signCommand: testCommandSigner() });
    let probes = 0;
    const service = { ...real, readiness: async () => { probes++; return real.readiness(); } };
    const probed = await build({ service });
    const results = await Promise.all(Array.from({ length: 20 }, () => probed.inject({ method: 'GET', url: '/readyz' })));
    for (let i = 0; i < 10; i++) results.push(await probed.inject({ method: 'GET', url: '/readyz' }));
    expect(new Set(results.map((r) => r.statusCode))).toEqual(new Set([503]));
    expect(probes).toBe(1);
    await new Promise((r) => setTimeout(r, 1600));
    await probed.inject({ method: 'GET', url: '/readyz' });
    expect(probes).toBe(2);
  });
});

describe('finding: cursors are authenticated with an HMAC and bounded', () => {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  test.each([
    ['the crafted approvals cursor {"t":9007199254740991}', '/v1/approvals', b64({ t: 9007199254740991, id: 'x' })],
    ['an unsigned approvals cursor of a valid shape', '/v1/approvals', b64({ t: 0, id: '' })],
    ['a signed-looking approvals cursor with a made-up tag', '/v1/approvals', `${b64({ t: 0, id: '' })}.${Buffer.alloc(16).toString('base64url')}`],
    ['a huge t with a made-up tag', '/v1/approvals', `${b64({ t: 9007199254740991, id: 'x' })}.AAAAAAAAAAAAAAAAAAAAAA`],
  ])('%s is a 400 invalid_cursor, not a 500', async (_name, url, cursor) => {
    const res = await app.inject({ method: 'GET', url: `${url}?cursor=${encodeURIComponent(cursor)}`, headers: bearer(keys.carol) });
    expect({ status: res.statusCode, code: errorCode(res) }).toEqual({ status: 400, code: 'invalid_cursor' });
  });

  test('a cursor signed with another server secret, or issued by another route, is refused', async () => {
    const service = (secret: string) => createProblemService({ client, taskQueue, namespace: 'default', cursorSecret: secret, signCommand: testCommandSigner() });
    const one = await build({ service: service('secret-one-0123456789-0123456789-01') });
    const other = await build({ service: service('secret-two-0123456789-0123456789-01') });
    const same = await build({ service: service('secret-one-0123456789-0123456789-01') });
    for (let i = 0; i < 2; i++) {
      const res = await one.inject({ method: 'POST', url: '/v1/problems', headers: bearer(keys.bob), payload: { text: `Account ACC-1001 invoice INV-2001: refund Rs ${i + 3}` } });
      started.push(res.json().id);
    }
    const first = await one.inject({ method: 'GET', url: '/v1/problems?limit=1', headers: bearer(keys.erin) });
    const { nextCursor } = first.json() as { nextCursor: string };
    expect(nextCursor).toEqual(expect.any(String));
    const page = (a: FastifyInstance, route: string) => a.inject({ method: 'GET', url: `${route}?limit=1&cursor=${encodeURIComponent(nextCursor)}`, headers: bearer(keys.erin) });
    expect((await page(same, '/v1/problems')).statusCode).toBe(200);
    expect(errorCode(await page(other, '/v1/problems'))).toBe('invalid_cursor');
    expect(errorCode(await page(one, '/v1/approvals'))).toBe('invalid_cursor');
  });
});

describe('finding: the codec cookie is parsed by @fastify/cookie', () => {
  test('a malformed codec_key cookie (%E0%A4%A) is a 400 invalid_cookie, not a 500', async () => {
    const codecApp = await build();
    const res = await codecApp.inject({ method: 'POST', url: '/codec/decode', headers: { cookie: 'codec_key=%E0%A4%A' }, payload: { payloads: [] } });
    expect({ status: res.statusCode, code: errorCode(res) }).toEqual({ status: 400, code: 'invalid_cookie' });
    // Elsewhere the cookie means nothing.
    expect((await codecApp.inject({ method: 'GET', url: '/v1/me', headers: { ...bearer(keys.bob), cookie: 'codec_key=%E0%A4%A' } })).statusCode).toBe(200);
  });

  test('a well-formed cookie signs the Web UI in; a percent-encoded key is decoded once', async () => {
    const codecApp = await build();
    const session = await codecApp.inject({ method: 'POST', url: '/codec/session', headers: bearer(keys.bob) });
    const cookie = String(session.headers['set-cookie']).split(';')[0]!;
    expect(cookie).toBe(`codec_key=${encodeURIComponent(keys.bob)}`);
    expect((await codecApp.inject({ method: 'POST', url: '/codec/decode', headers: { cookie }, payload: { payloads: [] } })).statusCode).toBe(200);
  });
});

describe('finding: TRUST_PROXY decides whose X-Forwarded-* headers count', () => {
  const signIn = (a: FastifyInstance, headers: Record<string, string>) => a.inject({ method: 'POST', url: '/codec/session', headers: { ...bearer(keys.bob), ...headers } });

  test('behind a trusted TLS proxy the codec cookie is Secure; without TRUST_PROXY the header is ignored', async () => {
    const proxied = await build({ trustProxy: '127.0.0.1' });
    const direct = await build();
    expect(String((await signIn(proxied, { 'x-forwarded-proto': 'https' })).headers['set-cookie'])).toMatch(/; Secure/);
    expect(String((await signIn(direct, { 'x-forwarded-proto': 'https' })).headers['set-cookie'])).not.toMatch(/Secure/);
  });

  test('throttles follow the forwarded client address only from a trusted proxy', async () => {
    const proxied = await build({ trustProxy: '127.0.0.1' });
    const direct = await build();
    for (let i = 0; i < 10; i++) {
      await signIn(proxied, { 'x-forwarded-for': '203.0.113.7' });
      // A client rotating X-Forwarded-For against a direct listener is still one address.
      await signIn(direct, { 'x-forwarded-for': `203.0.113.${i}` });
    }
    expect((await signIn(proxied, { 'x-forwarded-for': '203.0.113.7' })).statusCode).toBe(429);
    expect((await signIn(proxied, { 'x-forwarded-for': '198.51.100.1' })).statusCode).toBe(204);
    expect((await signIn(direct, { 'x-forwarded-for': '198.51.100.1' })).statusCode).toBe(429);
  });

  test.each([
    [undefined, false],
    ['false', false],
    ['true', true],
    ['10.0.0.0/8,127.0.0.1', '10.0.0.0/8,127.0.0.1'],
  ])('TRUST_PROXY=%s -> trustProxy %s', (value, expected) => {
    expect(loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).http.trustProxy).toEqual(expected);
  });
});

describe('finding: per-principal limits', () => {
  test('submissions per minute per principal: 429 submission_rate_limited with Retry-After; others unaffected', async () => {
    const limited = await build({ limits: { submissionsPerMinute: 2 } });
    const submitAs = (key: string, i: number) => limited.inject({ method: 'POST', url: '/v1/problems', headers: bearer(key), payload: { text: `Account ACC-1001 invoice INV-2001: refund Rs ${i}` } });
    for (let i = 0; i < 2; i++) {
      const res = await submitAs(keys.dave, i + 10);
      expect(res.statusCode).toBe(202);
      started.push(res.json().id);
    }
    const refused = await submitAs(keys.dave, 12);
    expect({ status: refused.statusCode, code: errorCode(refused) }).toEqual({ status: 429, code: 'submission_rate_limited' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    const other = await submitAs(keys.carol, 13);
    expect(other.statusCode).toBe(202);
    started.push(other.json().id);
    // Reads are not submissions.
    expect((await limited.inject({ method: 'GET', url: '/v1/me', headers: bearer(keys.dave) })).statusCode).toBe(200);
  });

  test('with a submission limit, submissions still count toward the per-key limit of every route', async () => {
    // Finding: a route's own rate-limit config replaced the global per-key limit.
    const limited = await build({ rateLimitPerMinute: 3, limits: { submissionsPerMinute: 1000 } });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await limited.inject({ method: 'POST', url: '/v1/problems', headers: bearer(keys.dave), payload: { text: '' } });
      codes.push(res.statusCode);
    }
    expect(codes).toEqual([400, 400, 400, 429, 429]);
  });

  test('a principal whose LLM tokens for the day are spent cannot submit: 429 llm_daily_token_limit_exceeded until UTC midnight', async () => {
    const ledger = openTokenLedger(':memory:');
    const now = new Date('2026-11-30T23:00:00Z');
    const budget = { ledger, perDay: 1000, now: () => now };
    const limited = await build({ limits: { principalTokens: budget } });
    chargeTokens(budget, 'dave', 1000);
    const refused = await limited.inject({ method: 'POST', url: '/v1/problems', headers: bearer(keys.dave), payload: { text: 'Account ACC-1001 invoice INV-2001: refund Rs 14' } });
    expect({ status: refused.statusCode, code: errorCode(refused) }).toEqual({ status: 429, code: 'llm_daily_token_limit_exceeded' });
    expect(refused.headers['retry-after']).toBe('3600');
    const other = await limited.inject({ method: 'POST', url: '/v1/problems', headers: bearer(keys.carol), payload: { text: 'Account ACC-1001 invoice INV-2001: refund Rs 15' } });
    expect(other.statusCode).toBe(202);
    started.push(other.json().id);
    ledger.close();
  });
});

describe('finding: API_KEYS entries may carry keySha256 instead of the key', () => {
  const hashed = 'hashed-key-00000000000001';
  const digest = createHash('sha256').update(hashed).digest('hex');

  test('a key whose entry holds only its SHA-256 authenticates; near misses do not', async () => {
    const entries = loadConfig({ API_KEYS: JSON.stringify([{ keySha256: digest.toUpperCase(), principal: 'hal', roles: ['submitter'] }]) }).apiKeys;
    expect(JSON.stringify(entries)).not.toContain(hashed);
    const hashedApp = await build({ apiKeys: entries });
    const me = await hashedApp.inject({ method: 'GET', url: '/v1/me', headers: bearer(hashed) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ principal: 'hal' });
    expect((await hashedApp.inject({ method: 'GET', url: '/v1/me', headers: bearer(digest) })).statusCode).toBe(401);
    expect((await hashedApp.inject({ method: 'GET', url: '/v1/me', headers: bearer(`${hashed}x`) })).statusCode).toBe(401);
  });

  test.each([
    ['both key and keySha256', { key: hashed, keySha256: digest }, /exactly one of "key" and "keySha256"/],
    ['neither', {}, /exactly one of "key" and "keySha256"/],
    ['a digest that is not 64 hex digits', { keySha256: 'abc' }, /64 hex digits/],
  ])('an entry with %s is refused at start-up', (_name, entry, message) => {
    expect(() => loadConfig({ API_KEYS: JSON.stringify([{ principal: 'hal', roles: ['submitter'], ...entry }]) })).toThrow(message);
  });
});

describe('finding: API fields carry reason codes, never internal text', () => {
  const internal = 'connect ECONNREFUSED 10.0.0.5:3100 (http://systems.internal:3100/billing/credits)\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)';
  test('a problem whose outcome holds an error message leaves the API with its reason codes only', async () => {
    const real = createProblemService({ client, taskQueue, namespace: 'default', signCommand: testCommandSigner() });
    const state = {
      id: 'prb_01INTERNAL', status: 'failed', type: 'billing_dispute', customerId: null, channel: 'api', submittedBy: 'erin', entities: null, decision: null,
      clarification: null, approval: null, usage: { llmCalls: 0, promptTokens: 0, completionTokens: 0 },
      outcome: { reasonCode: 'downstream_unavailable', detail: internal, steps: [{ id: 'credit', state: 'failed', error: 'downstream_unavailable', message: internal, cause: { stack: internal } }] },
      createdAt: '2026-11-30T00:00:00.000Z', updatedAt: '2026-11-30T00:00:00.000Z',
    };
    const service = { ...real, get: async () => state } as unknown as typeof real;
    const guarded = await build({ service });
    const res = await guarded.inject({ method: 'GET', url: '/v1/problems/prb_01INTERNAL', headers: bearer(keys.erin) });
    expect(res.statusCode).toBe(200);
    for (const leak of ['ECONNREFUSED', 'http://', '10.0.0.5', 'TCPConnectWrap', 'node:net']) expect(res.body).not.toContain(leak);
    expect(res.json().outcome).toEqual({ reasonCode: 'downstream_unavailable', steps: [{ id: 'credit', state: 'failed', error: 'downstream_unavailable' }] });
  });
});
