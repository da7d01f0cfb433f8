import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { loadConfig } from '../config';
import type { Logger } from '../logger';
import { createNotifier } from '../temporal/activity-deps';
import type { NotificationEvent } from './notifier';
import { createWebhookNotifier, IDEMPOTENCY_HEADER, signWebhookBody, SIGNATURE_HEADER, verifyWebhookSignature } from './webhook-notifier';

const SECRET = 'test-webhook-secret-0123456789';
const event: NotificationEvent = { event: 'approval_needed', problemId: 'prb_01TEST', actionDigest: `sha256:${'a'.repeat(64)}`, group: 'billing-approvers' };

interface Received {
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** A local receiver answering with `respond`; records every request. */
async function receiver(respond: (res: http.ServerResponse) => void) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      respond(res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    received,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

async function failureOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

describe('webhook notifier', () => {
  test('posts JSON with an HMAC-SHA256 signature over the exact body and the idempotency key', async () => {
    const r = await receiver((res) => res.writeHead(204).end());
    try {
      await createWebhookNotifier({ url: r.url, secret: SECRET, timeoutMs: 2000 }).send(event, 'prb_01TEST/3');
      expect(r.received).toHaveLength(1);
      const [{ body, headers }] = r.received as [Received];
      expect(headers['content-type']).toBe('application/json');
      expect(headers[IDEMPOTENCY_HEADER]).toBe('prb_01TEST/3');
      expect(JSON.parse(body)).toEqual({ idempotencyKey: 'prb_01TEST/3', ...event });
      const signature = headers[SIGNATURE_HEADER] as string;
      expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(verifyWebhookSignature(body, signature, SECRET)).toBe(true);
      // The signature binds the secret and every byte of the body.
      expect(verifyWebhookSignature(body, signature, 'another-secret-0123456789')).toBe(false);
      expect(verifyWebhookSignature(body.replace('billing-approvers', 'admins'), signature, SECRET)).toBe(false);
      expect(verifyWebhookSignature(body, undefined, SECRET)).toBe(false);
    } finally {
      await r.close();
    }
  });

  test('a known HMAC-SHA256 vector', () => {
    // RFC 4231 test case 2.
    expect(signWebhookBody('what do ya want for nothing?', 'Jefe')).toBe('sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  test.each([
    [500, undefined, undefined],
    [503, '2', 2000],
    [429, '1', 1000],
    [408, undefined, undefined],
  ])('%i is retryable (Retry-After %s)', async (status, retryAfter, delay) => {
    const r = await receiver((res) => res.writeHead(status, retryAfter ? { 'retry-after': retryAfter } : {}).end());
    try {
      const f = await failureOf(createWebhookNotifier({ url: r.url, secret: SECRET, timeoutMs: 2000 }).send(event, 'k'));
      expect(f).toMatchObject({ type: 'NotificationUnavailable', nonRetryable: false });
      expect(f.nextRetryDelay === undefined ? undefined : Number(f.nextRetryDelay)).toBe(delay);
    } finally {
      await r.close();
    }
  });

  test.each([400, 401, 404, 422])('%i is final', async (status) => {
    const r = await receiver((res) => res.writeHead(status).end('no'));
    try {
      const f = await failureOf(createWebhookNotifier({ url: r.url, secret: SECRET, timeoutMs: 2000 }).send(event, 'k'));
      expect(f).toMatchObject({ type: 'NotificationRejected', nonRetryable: true });
      expect(f.details?.[0]).toMatchObject({ reasonCode: 'notification_rejected', status });
    } finally {
      await r.close();
    }
  });

  test('a receiver that does not answer in time is a retryable timeout', async () => {
    const r = await receiver(() => undefined);
    try {
      const started = Date.now();
      const f = await failureOf(createWebhookNotifier({ url: r.url, secret: SECRET, timeoutMs: 200 }).send(event, 'k'));
      expect(Date.now() - started).toBeLessThan(2000);
      expect(f).toMatchObject({ type: 'NotificationUnavailable', nonRetryable: false, details: [{ reasonCode: 'notification_timeout' }] });
    } finally {
      await r.close();
    }
  });

  test('an unreachable receiver is retryable', async () => {
    const r = await receiver((res) => res.end());
    await r.close();
    const f = await failureOf(createWebhookNotifier({ url: r.url, secret: SECRET, timeoutMs: 2000 }).send(event, 'k'));
    expect(f).toMatchObject({ type: 'NotificationUnavailable', nonRetryable: false, details: [{ reasonCode: 'notification_unreachable' }] });
  });
});

describe('notifier selection by config', () => {
  const log = { info: jest.fn() };
  const env = (extra: Record<string, string>) => ({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...extra });

  test('the log sink is the default', async () => {
    const notifier = createNotifier(loadConfig(env({})), log as unknown as Logger);
    await notifier.send(event, 'k1');
    expect(log.info).toHaveBeenCalledWith({ notification: event, idempotencyKey: 'k1' }, 'notification: approval_needed');
  });

  test('NOTIFIER=webhook posts signed notifications to NOTIFY_WEBHOOK_URL', async () => {
    const r = await receiver((res) => res.writeHead(200).end());
    try {
      const config = loadConfig(env({ NOTIFIER: 'webhook', NOTIFY_WEBHOOK_URL: r.url, NOTIFY_WEBHOOK_SECRET: SECRET, NOTIFY_WEBHOOK_TIMEOUT_MS: '1000' }));
      await createNotifier(config, log as unknown as Logger).send(event, 'k2');
      expect(r.received).toHaveLength(1);
      expect(verifyWebhookSignature(r.received[0]!.body, r.received[0]!.headers[SIGNATURE_HEADER] as string, SECRET)).toBe(true);
    } finally {
      await r.close();
    }
  });

  test.each([
    [{ NOTIFIER: 'webhook' }, /NOTIFIER=webhook needs NOTIFY_WEBHOOK_URL and NOTIFY_WEBHOOK_SECRET/],
    [{ NOTIFIER: 'webhook', NOTIFY_WEBHOOK_URL: 'http://127.0.0.1:1/hook', NOTIFY_WEBHOOK_SECRET: 'short' }, /NOTIFY_WEBHOOK_SECRET must be at least 16 characters/],
    [{ NOTIFIER: 'webhook', NOTIFY_WEBHOOK_URL: 'not a url', NOTIFY_WEBHOOK_SECRET: SECRET }, /NOTIFY_WEBHOOK_URL/],
    [{ NOTIFIER: 'email' }, /NOTIFIER/],
  ])('refuses %j', (extra, message) => {
    expect(() => loadConfig(env(extra))).toThrow(message);
  });
});
