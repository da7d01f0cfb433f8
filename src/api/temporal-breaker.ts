import type { Client } from '@temporalio/client';
import { isTemporalUnavailable, isTemporalUnreachable } from './errors';

/**
 * Runs Temporal calls with a deadline, and fails fast while Temporal is known to be down:
 * after an unavailable answer, the next call first sends a cheap probe with a short deadline
 * instead of waiting out a full deadline again. A successful probe closes the breaker.
 */
export function createTemporalBreaker(client: Client, options: { rpcTimeoutMs: number; probeTimeoutMs?: number }) {
  const probeTimeoutMs = options.probeTimeoutMs ?? 1000;
  let reachable = true;
  /** A cheap call with a short deadline: does Temporal answer at all? */
  const systemInfo = () => client.connection.withDeadline(Date.now() + probeTimeoutMs, () => client.workflowService.getSystemInfo({}));
  const probe = () => systemInfo().then(() => true, () => false);
  return async function call<T>(fn: () => Promise<T>): Promise<T> {
    if (!reachable) {
      await systemInfo();
      reachable = true;
    }
    try {
      return await client.connection.withDeadline(Date.now() + options.rpcTimeoutMs, fn);
    } catch (err) {
      // Only connection-level unavailability opens the breaker. A deadline alone may be one slow
      // call (a long update, a busy visibility query): a probe tells which.
      if (isTemporalUnreachable(err)) reachable = false;
      else if (isTemporalUnavailable(err)) reachable = await probe();
      throw err;
    }
  };
}
