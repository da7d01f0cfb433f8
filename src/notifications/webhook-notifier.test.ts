import type http from 'node:http';
import { ApplicationFailure } from '@temporalio/common';
import { loadConfig } from '../config';
import type { Logger } from '../logger';
import { createNotifier } from '../temporal/activity-deps';
import type { NotificationEvent } from './notifier';
import { WebhookVerificationError } from 'standardwebhooks';
import { createWebhookNotifier, signedHeaders, webhookFor } from './webhook-notifier';
import { httpReceiver, rejectionOf, type ReceivedRequest } from '../../test/support/http-receiver';

const SECRET = 'test-webhook-secret-0123456789';
const event: NotificationEvent = { event: 'approval_needed', problemId: 'prb_01TEST', actionDigest: `sha256:${'a'.repeat(64)}`, group: 'billing-approvers' };

/** A local receiver of webhooks at `/hook`, answering with `respond`; records every request. */
async function receiver(respond: (res: http.ServerResponse) => void) {
  const r = await httpReceiver(respond);
  return { ...r, url: `${r.base}/hook` };
}

/** The three Standard Webhooks headers of a received request. */
const received = (headers: http.IncomingHttpHeaders) => ({
  'webhook-id': String(headers['webhook-id']),
  'webhook-timestamp': String(headers['webhook-timestamp']),
  'webhook-signature': String(headers['webhook-signature']),
});

const failureOf = (p: Promise<unknown>) => rejectionOf(p, ApplicationFailure);

describe('webhook notifier', () => {
  test('posts JSON signed as Standard Webhooks: webhook-id (the idempotency key), webhook-timestamp, webhook-signature', async () => {
    const r = await receiver((res) => res.writeHead(204).end());
    try {
      await createWebhookNotifier({ url: r.url, secret: SECRET, timeoutMs: 2000 }).send(event, 'prb_01TEST/3');
      expect(r.received).toHaveLength(1);
      const [{ body, headers }] = r.received as [ReceivedRequest];
      expect(headers['content-type']).toBe('application/json');
      expect(headers['webhook-id']).toBe('prb_01TEST/3');
      expect(Math.abs(Number(headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(5);
      expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
      expect(JSON.parse(body)).toEqual({ idempotencyKey: 'prb_01TEST/3', ...event });
      // The reference verifier accepts it; another secret, another body or another id does not.
      expect(webhookFor(SECRET).verify(body, received(headers))).toEqual(JSON.parse(body));
      expect(() => webhookFor('another-secret-0123456789').verify(body, received(headers))).toThrow(WebhookVerificationError);
      expect(() => webhookFor(SECRET).verify(body.replace('billing-approvers', 'admins'), received(headers))).toThrow(WebhookVerificationError);
      expect(() => webhookFor(SECRET).verify(body, { ...received(headers), 'webhook-id': 'prb_01TEST/4' })).toThrow(WebhookVerificationError);
    } finally {
      await r.close();
    }
  });

  test('a delivery replayed later is refused: the timestamp is signed, and an old one is outside the tolerance', async () => {
    const r = await receiver((res) => res.writeHead(204).end());
    try {
      const sentAt = new Date(Date.now() - 10 * 60_000);
      await createWebhookNotifier({ url: r.url, secret: SECRET, timeoutMs: 2000, now: () => sentAt }).send(event, 'prb_01TEST/3');
      const [{ body, headers }] = r.received as [ReceivedRequest];
      expect(() => webhookFor(SECRET).verify(body, received(headers))).toThrow(/timestamp too old/i);
      // Moving the timestamp forward breaks the signature.
      expect(() => webhookFor(SECRET).verify(body, { ...received(headers), 'webhook-timestamp': String(Math.floor(Date.now() / 1000)) })).toThrow(/no matching signature/i);
    } finally {
      await r.close();
    }
  });

  test('a known Standard Webhooks vector (whsec_ secrets are base64)', () => {
    // From the Standard Webhooks specification's reference test suite.
    const webhook = webhookFor('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    const body = '{"test": 2432232314}';
    const headers = signedHeaders(webhook, 'msg_p5jXN8AQM9LWM0D4loKWxJek', new Date(1614265330 * 1000), body);
    expect(headers['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
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
      expect(() => webhookFor(SECRET).verify(r.received[0]!.body, received(r.received[0]!.headers))).not.toThrow();
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
