import { classifyLlmError } from './errors';
import { llmMetrics, type LlmMetrics } from './metrics';
import type { LlmProvider, ProviderAnswer } from './provider';

/**
 * Tries providers in order within one call: when one fails with a retryable error (429, 5xx,
 * timeout, network), the next one gets the same request. A non-retryable failure (a refusal,
 * a 4xx) stops at once: another endpoint would not change the answer to the same text. When
 * every provider fails retryably, the primary's failure is thrown, so Temporal retries the
 * activity with the primary's back-off (e.g. its `Retry-After`) and the next attempt starts at
 * the primary again.
 *
 * Failing over inside one attempt (rather than choosing a provider by attempt number) keeps a
 * problem moving at the first failure while the primary is down; the activity's
 * start-to-close timeout must therefore cover the sum of the providers' timeouts.
 */
export function createFailoverProvider(providers: LlmProvider[], metrics: LlmMetrics = llmMetrics()): LlmProvider {
  const [primary] = providers;
  if (!primary) throw new Error('failover needs at least one provider');
  if (providers.length === 1) return primary;
  return {
    name: primary.name,
    model: primary.model,
    async extract(request): Promise<ProviderAnswer> {
      let firstError: unknown;
      for (const [i, provider] of providers.entries()) {
        try {
          return await provider.extract(request);
        } catch (err) {
          if (classifyLlmError(err).nonRetryable || request.signal?.aborted) throw err;
          firstError ??= err;
          const next = providers[i + 1];
          if (next) metrics.failovers.inc({ from: provider.model, to: next.model });
        }
      }
      throw firstError;
    },
  };
}
