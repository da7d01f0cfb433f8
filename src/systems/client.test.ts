import type http from 'node:http';
import { httpReceiver, rejectionOf, type HttpReceiver } from '../../test/support/http-receiver';
import { classifyToolError } from '../../activities/tools';
import { createSystemsClient, DownstreamError } from './client';

let server: HttpReceiver;
let baseUrl: string;
let answer: (res: http.ServerResponse) => void;

beforeAll(async () => {
  server = await httpReceiver((res) => answer(res));
  baseUrl = server.base;
});

afterAll(() => server.close());

beforeEach(() => {
  server.received.length = 0;
});

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => (res: http.ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const failure = (call: Promise<unknown>) => rejectionOf(call, DownstreamError);

describe('createSystemsClient', () => {
  it('sends the method, path, query, JSON body and idempotency key, and parses the JSON answer', async () => {
    answer = json(200, { creditId: 'CR-1' });
    const systems = createSystemsClient({ baseUrl });
    const result = await systems.request('POST', '/billing/credits?dry=0', { body: { amount: 100 }, idempotencyKey: 'p-1/issueCredit' });
    expect(result).toEqual({ creditId: 'CR-1' });
    expect(server.received).toHaveLength(1);
    expect(server.received[0]).toMatchObject({ method: 'POST', url: '/billing/credits?dry=0', body: '{"amount":100}' });
    expect(server.received[0]!.headers).toMatchObject({ accept: 'application/json', 'content-type': 'application/json', 'idempotency-key': 'p-1/issueCredit' });
  });

  it('sends no body and no content type on a GET', async () => {
    answer = json(200, { id: 'A-1' });
    await createSystemsClient({ baseUrl }).request('GET', '/accounts/A-1');
    expect(server.received[0]!.body).toBe('');
    expect(server.received[0]!.headers['content-type']).toBeUndefined();
    expect(server.received[0]!.headers['idempotency-key']).toBeUndefined();
  });

  it('answers null for a 404 only when asked to', async () => {
    answer = json(404, { error: { code: 'not_found' } });
    const systems = createSystemsClient({ baseUrl });
    await expect(systems.request('GET', '/accounts/NOPE', { notFoundAsNull: true })).resolves.toBeNull();
    const err = await failure(systems.request('GET', '/accounts/NOPE'));
    expect(err).toMatchObject({ status: 404, code: 'not_found' });
    expect(err.retryable).toBe(false);
  });

  it('turns a 503 into a retryable error with its code and Retry-After', async () => {
    answer = json(503, { error: { code: 'maintenance' } }, { 'retry-after': '7' });
    const err = await failure(createSystemsClient({ baseUrl }).request('GET', '/network/outages'));
    expect(err).toMatchObject({ status: 503, code: 'maintenance', retryAfterMs: 7000 });
    expect(err.retryable).toBe(true);
    expect(err.message).toBe('GET /network/outages answered 503 maintenance');
  });

  it('fails a gateway error page (not JSON) as its status, retryable for a 502', async () => {
    answer = (res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>');
    const err = await failure(createSystemsClient({ baseUrl }).request('GET', '/accounts/A-1'));
    expect(err).toMatchObject({ status: 502, code: undefined });
    expect(err.retryable).toBe(true);
  });

  it('fails a 2xx answer that is not JSON as an unreadable answer, not as a refusal', async () => {
    answer = (res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    const err = await rejectionOf(createSystemsClient({ baseUrl }).request('GET', '/accounts/A-1'), Error);
    expect(err).not.toBeInstanceOf(DownstreamError);
    expect(err.message).toBe('GET /accounts/A-1 answered 200 with a body that is not JSON');
    expect(classifyToolError('lookUpAccount', err)).toMatchObject({ type: 'ToolError', nonRetryable: false });
  });

  it('reuses its connections for calls one after another', async () => {
    answer = json(200, {});
    const before = server.connections();
    const systems = createSystemsClient({ baseUrl });
    for (let i = 0; i < 10; i++) await systems.request('GET', `/a/${i}`);
    expect(server.received).toHaveLength(10);
    // The pool may open a second connection while the first is being handed back; never one per call.
    expect(server.connections() - before).toBeLessThanOrEqual(2);
  });

  it('gives up after timeoutMs without an answer, as a retryable network error', async () => {
    answer = () => undefined; // never answers
    const started = Date.now();
    const err = await failure(createSystemsClient({ baseUrl, timeoutMs: 200 }).request('GET', '/slow'));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err.status).toBe(0);
    expect(err.retryable).toBe(true);
  });

  it('stops when the caller aborts (activity cancellation)', async () => {
    answer = () => undefined;
    const controller = new AbortController();
    const call = createSystemsClient({ baseUrl }).request('GET', '/slow', { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const err = await failure(call);
    expect(err.status).toBe(0);
  });

  it('reports a refused connection as a retryable network error', async () => {
    const closed = await httpReceiver((res) => res.end());
    await closed.close();
    const err = await failure(createSystemsClient({ baseUrl: closed.base }).request('GET', '/x'));
    expect(err.status).toBe(0);
    expect(err.retryable).toBe(true);
  });
});
