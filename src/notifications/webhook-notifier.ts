import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Notifier } from './notifier';

/** Header carrying `sha256=<hex>`: HMAC-SHA256 of the raw request body with the shared secret. */
export const SIGNATURE_HEADER = 'x-signature-256';
/** Header carrying the notification's idempotency key; a receiver drops repeats of a key. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** Where and how the webhook notifier posts. */
export interface WebhookNotifierOptions {
  url: string;
  secret: string;
  /** Deadline of one POST; a timeout is retried by the activity. */
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** `sha256=<hex>` signature of `body` with `secret`. */
export function signWebhookBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Whether `signature` is the signature of `body` with `secret`; constant-time comparison. */
export function verifyWebhookSignature(body: string, signature: string | undefined, secret: string): boolean {
  if (!signature) return false;
  const expected = Buffer.from(signWebhookBody(body, secret));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Retry-After (seconds or HTTP date) as milliseconds, if present and sane. */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return ms > 0 && ms <= 300_000 ? ms : undefined;
}

/**
 * POSTs each notification as JSON. Failures are classified for the notify activity's retry
 * policy: network errors, timeouts, 408, 429 and 5xx are retryable (`NotificationUnavailable`,
 * honouring Retry-After); any other 4xx is final (`NotificationRejected`), since sending the
 * same request again cannot succeed. The body holds event codes and ids only, never user text.
 */
export function createWebhookNotifier(options: WebhookNotifierOptions): Notifier {
  const doFetch = options.fetch ?? fetch;
  return {
    async send(notification, idempotencyKey) {
      const body = JSON.stringify({ idempotencyKey, ...notification });
      let res: Response;
      try {
        res = await doFetch(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [SIGNATURE_HEADER]: signWebhookBody(body, options.secret),
            [IDEMPOTENCY_HEADER]: idempotencyKey,
          },
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
