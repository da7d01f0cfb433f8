import type { Client } from '@temporalio/client';
import { problemSearchAttributes as sa } from '../temporal/search-attributes';
import type { PendingApprovalsSource } from './api-metrics';

/** Visibility query of problems waiting for an approver. */
export const PENDING_APPROVALS_QUERY = `WorkflowType = 'problemWorkflow' AND ${sa.status.name} = 'awaiting_approval' AND ExecutionStatus = 'Running'`;

/** Counts problems awaiting approval with one visibility call, bounded by a deadline. */
export function countPendingApprovals(client: Client, timeoutMs = 2000): () => Promise<number> {
  return async () => {
    const res = await client.connection.withDeadline(Date.now() + timeoutMs, () => client.workflow.count(PENDING_APPROVALS_QUERY));
    return res.count;
  };
}

/**
 * Caches a count for `cacheMs` so frequent scrapes cost one visibility call; concurrent scrapes
 * share one call. A failed refresh keeps the last known value and calls `onError`.
 */
export function cachedCount(count: () => Promise<number>, cacheMs: number, onError: (err: unknown) => void): PendingApprovalsSource {
  let value: number | undefined;
  let fetchedAt = -Infinity;
  let inFlight: Promise<number | undefined> | undefined;
  return () => {
    if (Date.now() - fetchedAt < cacheMs) return Promise.resolve(value);
    inFlight ??= count()
      .then((n) => {
        value = n;
        fetchedAt = Date.now();
        return n;
      })
      .catch((err: unknown) => {
        onError(err);
        return value;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}
