import { Writable } from 'node:stream';
import { buildSystemsApp } from './systems/app';
import { openSystemsDb } from './systems/db';
import { createLogger, usePrettyLogs } from './logger';

/** A logger writing JSON lines into an array. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { log: createLogger({ level: 'info', name: 'test', destination }), lines };
}

describe('log redaction', () => {
  const personal = ['I was charged twice on INV-2001', 'ACC-1001', 'Priya', 'dev-approver-key-0001', 'sk-live-123', 'Bearer dev-admin-key-000001', 'session=abc'];

  test('user text, entities, claims, API keys and authorization headers never reach the log', () => {
    const { log, lines } = capture();
    log.info({
      workflowId: 'prb_01JTEST',
      reqId: 'req-1',
      text: 'I was charged twice on INV-2001',
      input: { texts: ['I was charged twice on INV-2001'], problemId: 'prb_01JTEST' },
      entities: { accountId: 'ACC-1001', customerName: 'Priya' },
      state: { entities: { accountId: 'ACC-1001' }, claims: { invoiceId: 'INV-2001' }, status: 'completed' },
      apiKey: 'sk-live-123',
      entry: { key: 'dev-approver-key-0001', principal: 'bob' },
      req: { method: 'POST', url: '/v1/problems', headers: { authorization: 'Bearer dev-admin-key-000001', cookie: 'session=abc', 'x-request-id': 'req-1' } },
      headers: { authorization: 'Bearer dev-admin-key-000001' },
      approval: { comment: 'Priya called me about ACC-1001', decision: 'approve' },
    }, 'problem submitted');
    expect(lines).toHaveLength(1);
    const out = JSON.stringify(lines[0]);
    for (const secret of personal) expect(out).not.toContain(secret);
    // What operators need stays: ids, status, decision, route.
    expect(lines[0]).toMatchObject({
      workflowId: 'prb_01JTEST',
      reqId: 'req-1',
      text: '[redacted]',
      input: { texts: '[redacted]', problemId: 'prb_01JTEST' },
      entities: '[redacted]',
      state: { entities: '[redacted]', claims: '[redacted]', status: 'completed' },
      entry: { key: '[redacted]', principal: 'bob' },
      req: { method: 'POST', url: '/v1/problems', headers: { authorization: '[redacted]', cookie: '[redacted]', 'x-request-id': 'req-1' } },
      approval: { comment: '[redacted]', decision: 'approve' },
    });
  });

  test('secrets in a logged configuration are redacted', () => {
    const { log, lines } = capture();
    log.info({ OPENAI_API_KEY: 'sk-live-123', API_KEYS: '[{"key":"dev-approver-key-0001"}]', PAYLOAD_ENCRYPTION_KEYS: '[{"id":"A","key":"c2VjcmV0"}]', LOG_LEVEL: 'info' }, 'config');
    const out = JSON.stringify(lines[0]);
    for (const secret of ['sk-live-123', 'dev-approver-key-0001', 'c2VjcmV0']) expect(out).not.toContain(secret);
    expect(lines[0]).toMatchObject({ LOG_LEVEL: 'info' });
  });
});

describe('development logs', () => {
  test.each([
    ['auto', 'development', true, true],
    ['auto', 'development', false, false],
    ['auto', 'production', true, false],
    ['json', 'development', true, false],
    ['pretty', 'production', false, true],
  ] as const)('LOG_FORMAT=%s, NODE_ENV=%s, TTY %s: pretty %s', (format, env, tty, pretty) => {
    expect(usePrettyLogs(format, env, tty)).toBe(pretty);
  });

  test('request lines go to debug in a development terminal: one line per request, none at info', async () => {
    const lines: { level: number; msg: string; statusCode?: number }[] = [];
    const destination = { write: (line: string) => void lines.push(JSON.parse(line)) };
    const app = buildSystemsApp({ db: openSystemsDb(':memory:'), logger: createLogger({ level: 'info', name: 'systems', destination }), requestLogLevel: 'debug' });
    await app.inject({ method: 'GET', url: '/healthz' });
    expect(lines.filter((l) => /request/.test(l.msg))).toEqual([]);
    lines.length = 0;
    app.log.level = 'debug';
    await app.inject({ method: 'GET', url: '/healthz' });
    expect(lines.filter((l) => /request/.test(l.msg))).toEqual([expect.objectContaining({ level: 20, msg: 'request completed', statusCode: expect.any(Number) })]);
    await app.close();
  });
});
