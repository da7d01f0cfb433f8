import { ApplicationFailure } from '@temporalio/common';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { parseRetryAfter } from '../systems/client';

const RETRYABLE_STATUS = new Set([408, 409, 429]);

/** Back-off the endpoint asked for: `retry-after-ms`, else `Retry-After`. */
function retryDelayMs(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  return parseRetryAfter(headers?.get('retry-after') ?? null);
}

/**
 * The one place LLM failures are classified for Temporal: transient ones retry with the
 * server's back-off; permanent ones fail the activity with a stable, non-retryable type.
 */
export function classifyLlmError(err: unknown): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof APIConnectionTimeoutError || err instanceof APIConnectionError || err instanceof APIUserAbortError) {
    return ApplicationFailure.create({ type: 'LlmUnavailable', message: `model endpoint unreachable: ${err.message}`, details: [{ reasonCode: 'llm_unavailable' }] });
  }
  if (err instanceof APIError && err.status !== undefined) {
    const status = err.status;
    if (RETRYABLE_STATUS.has(status) || status >= 500) {
      const delay = retryDelayMs(err.headers as Headers | undefined);
      return ApplicationFailure.create({
        type: 'LlmUnavailable',
        message: `model endpoint answered ${status}`,
        details: [{ reasonCode: status === 429 ? 'llm_rate_limited' : 'llm_unavailable', status }],
        ...(delay !== undefined ? { nextRetryDelay: delay } : {}),
      });
    }
    return ApplicationFailure.nonRetryable(`model endpoint refused the request (${status})`, 'LlmRequestRejected', { reasonCode: 'llm_request_rejected', status });
  }
  return ApplicationFailure.create({ type: 'LlmError', message: (err as Error)?.message ?? String(err), details: [{ reasonCode: 'llm_error' }] });
}
