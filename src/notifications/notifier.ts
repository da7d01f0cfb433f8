/** Events people are told about. */
export type NotificationEvent =
  | { event: 'approval_needed' | 'reminder' | 'escalated'; problemId: string; actionDigest: string; group: string | null }
  | { event: 'completed'; problemId: string; status: string; reasonCode: string | null };

/** Delivers notifications; the worker injects a log sink or a webhook. */
export interface Notifier {
  send(notification: NotificationEvent, idempotencyKey: string): Promise<void>;
}

/** Default sink: one structured log line per notification. */
export function createLogNotifier(log: { info(obj: object, msg: string): void }): Notifier {
  return {
    async send(notification, idempotencyKey) {
      log.info({ notification, idempotencyKey }, `notification: ${notification.event}`);
    },
  };
}
