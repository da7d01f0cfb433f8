import { ApplicationFailure } from '@temporalio/common';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { parseRetryAfter } from '../systems/client';

/** HTTP statuses worth another attempt besides 5xx: timeout, conflict, rate limit. */
const RETRYABLE_STATUS = new Set([408, 409, 429]);

/** Non-retryable failure types by HTTP status; any other 4xx is `LlmRequestRejected`. */
const REJECTED_TYPES: Record<number, string> = {
  400: 'LlmBadRequest',
  401: 'LlmAuthFailed',
  403: 'LlmAuthFailed',
  404: 'LlmModelNotFound',
  422: 'LlmBadRequest',
};

/** Every non-retryable failure type this module produces, for the workflow's retry policy and docs. */
export const NON_RETRYABLE_LLM_ERRORS = ['LlmRefusal', 'LlmBadRequest', 'LlmAuthFailed', 'LlmModelNotFound', 'LlmRequestRejected'] as const;

/** The model declined to answer (a `refusal` message or a content-filter stop): asking again will not help. */
export class LlmRefusalError extends Error {
  override name = 'LlmRefusalError';
  constructor(
    /** `refusal` or `content_filter`. */
    readonly kind: 'refusal' | 'content_filter',
    readonly model: string,
  ) {
    super(kind === 'refusal' ? `model ${model} refused to answer` : `model ${model} output was stopped by its content filter`);
  }
}

/** Reads a header from the SDK's `Headers` (or a plain record, as older SDKs gave). */
function header(headers: unknown, name: string): string | null {
  if (headers instanceof Headers) return headers.get(name);
  if (typeof headers === 'object' && headers !== null) {
    const value = (headers as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : null;
  }
  return null;
}

/** Back-off the endpoint asked for, in ms: `retry-after-ms` (OpenAI's), else `Retry-After` (seconds or HTTP date). */
export function retryDelayMs(headers: unknown, now = Date.now()): number | undefined {
  const ms = Number(header(headers, 'retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  return parseRetryAfter(header(headers, 'retry-after'), now);
}

/** Whether a classified failure is worth a retry (or a failover to the next endpoint). */
export const isRetryable = (failure: ApplicationFailure): boolean => !failure.nonRetryable;

/**
 * The one place LLM failures are classified for Temporal: transient ones (408, 409, 429, 5xx,
 * network errors, timeouts) retry, with the endpoint's back-off as `nextRetryDelay`; permanent
 * ones (400/422, 401/403, 404, other 4xx, refusals) fail the activity with a stable,
 * non-retryable type and a reason code in `details[0].reasonCode`.
 */
export function classifyLlmError(err: unknown): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof LlmRefusalError) {
    return ApplicationFailure.nonRetryable(err.message, 'LlmRefusal', { reasonCode: 'llm_refusal', kind: err.kind, model: err.model });
  }
  if (err instanceof APIConnectionTimeoutError) {
    return ApplicationFailure.create({ type: 'LlmTimeout', message: 'model endpoint did not answer in time', details: [{ reasonCode: 'llm_timeout' }] });
  }
  if (err instanceof APIConnectionError || err instanceof APIUserAbortError) {
    return ApplicationFailure.create({ type: 'LlmUnavailable', message: `model endpoint unreachable: ${err.message}`, details: [{ reasonCode: 'llm_unavailable' }] });
  }
  if (err instanceof APIError && err.status !== undefined) {
    const status = err.status;
    if (RETRYABLE_STATUS.has(status) || status >= 500) {
      const delay = retryDelayMs(err.headers);
      const rateLimited = status === 429;
      return ApplicationFailure.create({
        type: rateLimited ? 'LlmRateLimited' : 'LlmUnavailable',
        message: `model endpoint answered ${status}`,
        details: [{ reasonCode: rateLimited ? 'llm_rate_limited' : 'llm_unavailable', status }],
        ...(delay !== undefined ? { nextRetryDelay: delay } : {}),
      });
    }
    const type = REJECTED_TYPES[status] ?? 'LlmRequestRejected';
    return ApplicationFailure.nonRetryable(`model endpoint refused the request (${status})`, type, { reasonCode: 'llm_request_rejected', status });
  }
  const message = err instanceof Error ? err.message : String(err);
  return ApplicationFailure.create({ type: 'LlmError', message, details: [{ reasonCode: 'llm_error' }] });
}
