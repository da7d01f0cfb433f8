import { ApplicationFailure } from '@temporalio/common';
import { Webhook } from 'standardwebhooks';
import type { Notifier } from './notifier';

/** Where and how the webhook notifier posts. */
export interface WebhookNotifierOptions {
  url: string;
  /** Shared secret: `whsec_<base64>` as Standard Webhooks issues them, or any other string used as raw bytes. */
  secret: string;
  /** Deadline of one POST; a timeout is retried by the activity. */
  timeoutMs: number;
  fetch?: typeof fetch;
  now?: () => Date;
}

/** The Standard Webhooks signer/verifier for a secret (see {@link WebhookNotifierOptions.secret}). */
export function webhookFor(secret: string): Webhook {
  return secret.startsWith('whsec_') ? new Webhook(secret) : new Webhook(secret, { format: 'raw' });
}

/**
 * Standard Webhooks headers of one delivery: `webhook-id` (the notification's idempotency key,
 * the same on every retry, so a receiver drops repeats), `webhook-timestamp` (Unix seconds of
 * this attempt) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of id.timestamp.body>`). The
 * timestamp is signed, so a captured delivery replayed later than the receiver's tolerance
 * (5 minutes in the reference libraries) fails verification.
 */
export function signedHeaders(webhook: Webhook, id: string, at: Date, body: string): Record<string, string> {
  return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': webhook.sign(id, at, body) };
}

/** Retry-After (seconds or HTTP date) as milliseconds, if present and sane. */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return ms > 0 && ms <= 300_000 ? ms : undefined;
}

/**
 * POSTs each notification as JSON, signed as Standard Webhooks (see {@link signedHeaders}). Failures are classified for the notify activity's retry
 * policy: network errors, timeouts, 408, 429 and 5xx are retryable (`NotificationUnavailable`,
 * honouring Retry-After); any other 4xx is final (`NotificationRejected`), since sending the
 * same request again cannot succeed. The body holds event codes and ids only, never user text.
 */
export function createWebhookNotifier(options: WebhookNotifierOptions): Notifier {
  const doFetch = options.fetch ?? fetch;
  const webhook = webhookFor(options.secret);
  const now = options.now ?? (() => new Date());
  return {
    async send(notification, idempotencyKey) {
      const body = JSON.stringify({ idempotencyKey, ...notification });
      let res: Response;
      try {
        res = await doFetch(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...signedHeaders(webhook, idempotencyKey, now(), body) },
          body,
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (err) {
        // AbortSignal.timeout rejects with a DOMException, which is not always `instanceof Error`.
        const name = (err as { name?: unknown } | null)?.name;
        const timedOut = name === 'TimeoutError' || name === 'AbortError';
        throw ApplicationFailure.create({
          type: 'NotificationUnavailable',
          message: timedOut ? `webhook did not answer within ${options.timeoutMs} ms` : `webhook unreachable: ${String((err as { message?: unknown } | null)?.message ?? err)}`,
          details: [{ reasonCode: timedOut ? 'notification_timeout' : 'notification_unreachable' }],
        });
      }
      await res.body?.cancel().catch(() => undefined);
      if (res.ok) return;
      const status = res.status;
      if (status === 408 || status === 429 || status >= 500) {
        const delay = retryAfterMs(res.headers.get('retry-after'));
        throw ApplicationFailure.create({
          type: 'NotificationUnavailable',
          message: `webhook answered ${status}`,
          details: [{ reasonCode: 'notification_unavailable', status }],
          ...(delay !== undefined ? { nextRetryDelay: delay } : {}),
        });
      }
      throw ApplicationFailure.nonRetryable(`webhook refused the notification with ${status}`, 'NotificationRejected', { reasonCode: 'notification_rejected', status });
    },
  };
}
