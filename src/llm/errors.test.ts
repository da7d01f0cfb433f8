import { ApplicationFailure } from '@temporalio/common';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { classifyLlmError, LlmRefusalError, retryDelayMs } from './errors';

const apiError = (status: number, headers: Record<string, string> = {}) => APIError.generate(status, { message: 'x' }, undefined, new Headers(headers));
const details = (f: ApplicationFailure) => f.details?.[0] as { reasonCode: string; status?: number };

describe('classifyLlmError', () => {
  test.each([
    [408, 'LlmUnavailable', 'llm_unavailable'],
    [409, 'LlmUnavailable', 'llm_unavailable'],
    [429, 'LlmRateLimited', 'llm_rate_limited'],
    [500, 'LlmUnavailable', 'llm_unavailable'],
    [502, 'LlmUnavailable', 'llm_unavailable'],
    [503, 'LlmUnavailable', 'llm_unavailable'],
  ])('%i is retryable as %s (%s)', (status, type, reasonCode) => {
    const f = classifyLlmError(apiError(status));
    expect(f.nonRetryable).toBe(false);
    expect(f.type).toBe(type);
    expect(details(f)).toEqual({ reasonCode, status });
    expect(f.nextRetryDelay).toBeUndefined();
  });

  test.each([
    [400, 'LlmBadRequest'],
    [401, 'LlmAuthFailed'],
    [403, 'LlmAuthFailed'],
    [404, 'LlmModelNotFound'],
    [422, 'LlmBadRequest'],
    [413, 'LlmRequestRejected'],
  ])('%i is non-retryable as %s', (status, type) => {
    const f = classifyLlmError(apiError(status, { 'retry-after': '5' }));
    expect(f.nonRetryable).toBe(true);
    expect(f.type).toBe(type);
    expect(details(f)).toEqual({ reasonCode: 'llm_request_rejected', status });
  });

  test('Retry-After in seconds becomes nextRetryDelay', () => {
    expect(classifyLlmError(apiError(429, { 'retry-after': '3' })).nextRetryDelay).toBe(3000);
  });

  test('retry-after-ms wins over Retry-After', () => {
    expect(classifyLlmError(apiError(429, { 'retry-after-ms': '1500', 'retry-after': '9' })).nextRetryDelay).toBe(1500);
  });

  test('a 503 with an HTTP-date Retry-After waits until that date', () => {
    const now = Date.parse('2026-11-25T00:00:00Z');
    expect(retryDelayMs(new Headers({ 'retry-after': 'Wed, 25 Nov 2026 00:00:04 GMT' }), now)).toBe(4000);
  });

  test('garbage retry headers are ignored, not turned into a zero or NaN delay', () => {
    expect(classifyLlmError(apiError(429, { 'retry-after': 'soon', 'retry-after-ms': 'later' })).nextRetryDelay).toBeUndefined();
  });

  test('timeouts and network errors are retryable with their own reason codes', () => {
    const timeout = classifyLlmError(new APIConnectionTimeoutError());
    expect([timeout.type, timeout.nonRetryable, details(timeout).reasonCode]).toEqual(['LlmTimeout', false, 'llm_timeout']);
    const network = classifyLlmError(new APIConnectionError({ message: 'ECONNREFUSED' }));
    expect([network.type, network.nonRetryable, details(network).reasonCode]).toEqual(['LlmUnavailable', false, 'llm_unavailable']);
    expect(classifyLlmError(new APIUserAbortError()).nonRetryable).toBe(false);
  });

  test('refusals and content-filter stops are non-retryable LlmRefusal with reason code llm_refusal', () => {
    for (const kind of ['refusal', 'content_filter'] as const) {
      const f = classifyLlmError(new LlmRefusalError(kind, 'm'));
      expect([f.type, f.nonRetryable, details(f).reasonCode]).toEqual(['LlmRefusal', true, 'llm_refusal']);
    }
  });

  test('an ApplicationFailure passes through unchanged; anything else is a retryable LlmError', () => {
    const own = ApplicationFailure.nonRetryable('budget', 'TokenBudgetExceeded');
    expect(classifyLlmError(own)).toBe(own);
    const other = classifyLlmError(new TypeError('boom'));
    expect([other.type, other.nonRetryable, details(other).reasonCode]).toEqual(['LlmError', false, 'llm_error']);
  });
});
