import type { Client } from '@temporalio/client';
import { isTemporalUnreachable } from './errors';

/**
 * Runs Temporal calls with a deadline, and fails fast while Temporal is known to be down:
 * after an unavailable answer, the next call first sends a cheap probe with a short deadline
 * instead of waiting out a full deadline again. A successful probe closes the breaker.
 */
export function createTemporalBreaker(client: Client, options: { rpcTimeoutMs: number; probeTimeoutMs?: number }) {
  const probeTimeoutMs = options.probeTimeoutMs ?? 1000;
  let reachable = true;
  return async function call<T>(fn: () => Promise<T>): Promise<T> {
    if (!reachable) {
      await client.connection.withDeadline(Date.now() + probeTimeoutMs, () => client.workflowService.getSystemInfo({}));
      reachable = true;
    }
    try {
      return await client.connection.withDeadline(Date.now() + options.rpcTimeoutMs, fn);
    } catch (err) {
      // Only a connection-level failure opens the breaker: a slow call or one deadline says nothing of the others.
      if (isTemporalUnreachable(err)) reachable = false;
      throw err;
    }
  };
}
