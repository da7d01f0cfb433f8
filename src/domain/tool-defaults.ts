import type { ToolRetry } from './types';

/** Lookups are cheap and safe to repeat: retry quickly, give up within about a minute. */
export const readRetry: ToolRetry = { maximumAttempts: 6, initialIntervalMs: 500, backoffCoefficient: 2, maximumIntervalMs: 10_000 };

/** Side effects carry idempotency keys, so retrying is safe; keep trying longer before failing the problem. */
export const writeRetry: ToolRetry = { maximumAttempts: 10, initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: 30_000 };
