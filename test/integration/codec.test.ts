import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app';
import { createProblemService } from '../../src/api/problem-service';
import { DEV_API_KEYS, loadConfig, type EncryptionConfig } from '../../src/config';
import { createEncryptionCodec, dataConverterFor } from '../../src/temporal/codec/data-converter';
import { createWorker } from '../../src/temporal/worker';
import type { ProblemState } from '../../workflows/state';
import { extraWorkerDeps, keys, startHarness, submit, waitForStatus, type Harness, testCommandSigner } from '../support/harness';

const keyA = { id: 'key-A', key: randomBytes(32) };
const keyB = { id: 'key-B', key: randomBytes(32) };
const envFor = (list: { id: string; key: Buffer }[], current: string) => ({
  PAYLOAD_ENCRYPTION_KEYS: JSON.stringify(list.map((k) => ({ id: k.id, key: k.key.toString('base64') }))),
  PAYLOAD_ENCRYPTION_KEY_ID: current,
});

/** Customer text with a name and entities that must never be stored in clear. */
const TEXT = 'Hello, this is Meera Iyer. I was charged twice for MOB-299 on invoice INV-2002, account ACC-1002. Please refund Rs 299.';
const PLAINTEXT = ['Meera', 'Iyer', 'charged twice', 'INV-2002', 'ACC-1002', 'MOB-299'];

interface JsonPayload { metadata: Record<string, string>; data: string }
interface RawPayload { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null }

let h: Harness;
let raw: Client;
let completedId: string;

beforeAll(async () => {
  h = await startHarness({ env: envFor([keyA], keyA.id) });
  raw = new Client({ connection: h.client.connection, namespace: 'default' }); // no codec: what the server stores
  const { id } = (await submit(h.app, keys.alice, { text: TEXT })).json();
  completedId = id;
  await waitForStatus(h.app, keys.alice, id, ['completed']);
});
afterAll(async () => h?.stop());

const isPayload = (v: unknown): v is RawPayload => typeof v === 'object' && v !== null && 'data' in v && 'metadata' in v;

/** Every payload in a history, except search attributes (visibility is never encrypted; ours hold no personal data). */
function payloadsOf(value: unknown, path = ''): RawPayload[] {
  if (typeof value !== 'object' || value === null || /searchAttributes/i.test(path)) return [];
  if (isPayload(value)) return [value];
  if (Array.isArray(value)) return value.flatMap((v, i) => payloadsOf(v, `${path}.${i}`));
  return Object.entries(value).flatMap(([k, v]) => payloadsOf(v, `${path}.${k}`));
}
/**
 * The payloads of a history that carry workflow data. Left out: the SDK's own marker metadata,
 * plain JSON by design (a patch marker's patch id; a local activity marker's `data`, i.e. its
 * sequence number, activity type and times), while the local activity's `result` is kept.
 */
type HistoryEvents = NonNullable<Awaited<ReturnType<typeof historyOf>>['events']>;
function dataPayloads(events: HistoryEvents): RawPayload[] {
  return events.flatMap((e) => {
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName === 'core_patch') return [];
    if (marker?.markerName === 'core_local_activity') return payloadsOf(marker.details?.result ?? null);
    return payloadsOf(e);
  });
}
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const toJson = (p: RawPayload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});
const historyOf = (id: string) => raw.workflow.getHandle(id).fetchHistory();
const startInput = async (id: string) => (await historyOf(id)).events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
const codecCall = (app: FastifyInstance, op: 'encode' | 'decode', payloads: JsonPayload[], headers: Record<string, string> = { authorization: `Bearer ${keys.bob}` }) =>
  app.inject({ method: 'POST', url: `/codec/${op}`, headers: { 'x-namespace': 'default', ...headers }, payload: { payloads } });

/** An API app on the same dev server whose client and codec server use another key set. */
async function appWith(encryption: EncryptionConfig) {
  const client = new Client({ connection: h.client.connection, namespace: 'default', dataConverter: dataConverterFor(encryption) });
  const service = createProblemService({ client, taskQueue: h.taskQueue, namespace: 'default' , signCommand: testCommandSigner() });
  const app = await buildApp({ apiKeys: DEV_API_KEYS, service, logger: false, codec: { codec: createEncryptionCodec(encryption), namespace: 'default', corsOrigins: [] } });
  return { app, client };
}

describe('payload encryption on a real dev server', () => {
  test('the raw history holds no customer text or entities; every payload is binary/encrypted under key-A', async () => {
    const history = await historyOf(completedId);
    // Patch markers (patched()) are written by the SDK core, not the data converter: their only payload
    // is the patch id, a constant of the code (workflows/effect-guard.ts), never customer data.
    const payloads = dataPayloads(history.events!);
    expect(payloads.length).toBeGreaterThan(8); // input, activity inputs and results, query/update results, summaries
    for (const p of payloads) {
      expect(text(p.metadata?.encoding)).toBe('binary/encrypted');
      expect(text(p.metadata?.['encryption-key-id'])).toBe('key-A');
    }
    const stored = JSON.stringify(history, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
    for (const clear of PLAINTEXT) expect(stored).not.toContain(clear);
    // The API (its client has the codec) still reads the problem normally.
    const state = await waitForStatus(h.app, keys.alice, completedId, ['completed']);
    expect(state.entities).toMatchObject({ accountId: 'ACC-1002', invoiceId: 'INV-2002' });
  });

  test('the codec endpoint decodes for approvers and admins; 401 without a key, 403 for a submitter', async () => {
    const payload = toJson(await startInput(completedId));
    for (const key of [keys.bob, keys.erin]) {
      const res = await codecCall(h.app, 'decode', [payload], { authorization: `Bearer ${key}` });
      expect(res.statusCode).toBe(200);
      const [decoded] = res.json().payloads as JsonPayload[];
      expect(Buffer.from(decoded!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
      expect(JSON.parse(Buffer.from(decoded!.data, 'base64').toString())).toMatchObject({ problemId: completedId, text: TEXT });
    }
    const anonymous = await codecCall(h.app, 'decode', [payload], {});
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('unauthorized');
    const submitter = await codecCall(h.app, 'decode', [payload], { authorization: `Bearer ${keys.alice}` });
    expect(submitter.statusCode).toBe(403);
    expect(submitter.body).not.toContain('Meera');
  });

  test('encode then decode round-trips; bad bodies and foreign namespaces are clear 400s', async () => {
    const plain = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"ACC-1002"').toString('base64') };
    const encoded = (await codecCall(h.app, 'encode', [plain])).json().payloads as JsonPayload[];
    expect(Buffer.from(encoded[0]!.metadata['encryption-key-id']!, 'base64').toString()).toBe('key-A');
    expect(Buffer.from(encoded[0]!.data, 'base64').toString('latin1')).not.toContain('ACC-1002');
    expect((await codecCall(h.app, 'decode', encoded)).json().payloads).toEqual([plain]);

    const bad = await h.app.inject({ method: 'POST', url: '/codec/decode', headers: { authorization: `Bearer ${keys.bob}` }, payload: { payloads: [{ data: 42 }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_payloads');
    const foreign = await codecCall(h.app, 'decode', encoded, { authorization: `Bearer ${keys.bob}`, 'x-namespace': 'other' });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.code).toBe('namespace_not_served');
  });

  test('CORS lets the Temporal Web UI origin call the codec with credentials, and no other origin', async () => {
    const preflight = (origin: string) => h.app.inject({
      method: 'OPTIONS',
      url: '/codec/decode',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-namespace' },
    });
    const ui = await preflight('http://127.0.0.1:8233');
    expect(ui.statusCode).toBe(204);
    expect(ui.headers['access-control-allow-origin']).toBe('http://127.0.0.1:8233');
    expect(ui.headers['access-control-allow-credentials']).toBe('true');
    expect(String(ui.headers['access-control-allow-headers'])).toMatch(/x-namespace/);
    const other = await preflight('https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('the Web UI path: an auditor signs in once, then the codec accepts the HttpOnly cookie (only on /codec)', async () => {
    const login = await h.app.inject({ method: 'GET', url: '/codec/login' });
    expect(login.statusCode).toBe(200);
    expect(login.headers['content-type']).toMatch(/text\/html/);
    expect((await h.app.inject({ method: 'POST', url: '/codec/session', headers: { authorization: `Bearer ${keys.alice}` } })).statusCode).toBe(403);

    const session = await h.app.inject({ method: 'POST', url: '/codec/session', headers: { authorization: `Bearer ${keys.bob}` } });
    expect(session.statusCode).toBe(204);
    const setCookie = String(session.headers['set-cookie']);
    expect(setCookie).toMatch(/^codec_key=[^;]+;/);
    for (const attribute of [/; Path=\/codec(;|$)/, /; HttpOnly(;|$)/, /; SameSite=Strict(;|$)/, /; Max-Age=\d+(;|$)/]) expect(setCookie).toMatch(attribute);
    const cookie = setCookie.split(';')[0]!;

    const payload = toJson(await startInput(completedId));
    const viaCookie = await codecCall(h.app, 'decode', [payload], { cookie, origin: 'http://127.0.0.1:8233' });
    expect(viaCookie.statusCode).toBe(200);
    expect(viaCookie.headers['access-control-allow-origin']).toBe('http://127.0.0.1:8233');
    expect(Buffer.from((viaCookie.json().payloads as JsonPayload[])[0]!.data, 'base64').toString()).toContain('Meera');
    // The cookie authenticates nothing outside /codec.
    expect((await h.app.inject({ method: 'GET', url: '/v1/me', headers: { cookie } })).statusCode).toBe(401);
    const submitterCookie = `codec_key=${keys.alice}`;
    expect((await codecCall(h.app, 'decode', [payload], { cookie: submitterCookie })).statusCode).toBe(403);
  });

  test('wrong key material is a clear error, never garbage: client and codec endpoint', async () => {
    const wrong = { keys: [{ id: 'key-A', key: randomBytes(32) }], currentKeyId: 'key-A' };
    const { app, client } = await appWith(wrong);
    try {
      await expect(client.workflow.getHandle(completedId).result()).rejects.toThrow(/cannot be decrypted with key "key-A": authentication failed/);
      const res = await codecCall(app, 'decode', [toJson(await startInput(completedId))]);
      expect(res.statusCode).toBe(422);
      expect(res.json().error).toMatchObject({ code: 'payload_decryption_failed', details: [{ keyId: 'key-A' }] });
    } finally {
      await app.close();
    }
  });

  test('key rotation: a problem started under key-A finishes under key-B on a rotated worker; both stay readable with both keys', async () => {
    const { id } = (await submit(h.app, keys.alice, { text: 'Account ACC-1001, invoice INV-2001: please credit Rs 999 for the fiber plan.' })).json();
    const waiting = await waitForStatus(h.app, keys.alice, id, ['awaiting_approval']);

    // Roll out: every reader learns key-B first, then the current key becomes key-B.
    const rotated = { keys: [keyA, keyB], currentKeyId: 'key-B' };
    await h.stopWorker();
    const config = loadConfig({ ...process.env, TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS, TEMPORAL_TASK_QUEUE: h.taskQueue, WORKER_DEPLOYMENT_NAME: h.taskQueue, LOG_LEVEL: 'silent', NODE_ENV: 'test', ...envFor([keyA, keyB], 'key-B') });
    const connection = await NativeConnection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! });
    const { worker } = await createWorker({
      config,
      connection,
      workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! },
      deps: extraWorkerDeps(config, h.systems.url),
    });
    const running: Promise<void> = worker.run();
    const { app } = await appWith(rotated);
    try {
      const approved = await app.inject({ method: 'POST', url: `/v1/problems/${id}/approvals`, headers: { authorization: `Bearer ${keys.bob}` }, payload: { decision: 'approve', actionDigest: waiting.approval!.actionDigest } });
      expect(approved.statusCode).toBe(200);
      expect((approved.json() as ProblemState).status).toBe('executing');
      await waitForStatus(app, keys.alice, id, ['completed']);

      const keyIds = new Set(dataPayloads((await historyOf(id)).events!).map((p) => text(p.metadata?.['encryption-key-id'])));
      expect(keyIds).toEqual(new Set(['key-A', 'key-B']));
      // The rotated codec server decodes payloads of both keys.
      const res = await codecCall(app, 'decode', [toJson(await startInput(id)), toJson(await startInput(completedId))]);
      expect(res.statusCode).toBe(200);
      // A reader that only knows key-A gets a clear error for key-B payloads, not garbage.
      await expect(h.client.workflow.getHandle(id).result()).rejects.toThrow(/encrypted with key "key-B", which is not configured \(known keys: key-A\)/);
      const [underB] = (await codecCall(app, 'encode', [toJson(await startInput(id))])).json().payloads as JsonPayload[];
      const unknown = await codecCall(h.app, 'decode', [underB!]);
      expect(unknown.statusCode).toBe(422);
      expect(unknown.json().error.code).toBe('payload_key_unknown');
    } finally {
      await app.close();
      (worker as Worker).shutdown();
      await running;
      await connection.close();
      await h.startWorker();
    }
  });
});
