import { proxyActivities } from '@temporalio/workflow';
import type { SimulationActivities } from '../activities';
import type { SimulatePageResult } from '../src/audit/past-decisions';
import type { CandidatePolicy } from '../src/domain/policy-simulation';
import { emptyTotals, mergeTotals, type SimulationTotals } from '../src/domain/simulation-totals';

/** A what-if over many past problems: the visibility query, how many at most, and the candidate. */
export interface PolicySimulationInput {
  query: string;
  limit: number;
  /** Problems per visibility page, i.e. per activity. */
  pageSize: number;
  candidate: CandidatePolicy;
  reportTypes?: string[];
}

/** Totals over every page; the pages' items stay in their activity results in this history. */
export interface PolicySimulationResult {
  totals: SimulationTotals;
  count: number;
  /** More problems matched than `limit`. */
  truncated: boolean;
}

/** Name of the page activity, whose results in this workflow's history hold the items. */
export const SIMULATION_PAGE_ACTIVITY = 'simulatePastProblems';

const { simulatePastProblems } = proxyActivities<SimulationActivities>({
  startToCloseTimeout: '10 minutes',
  // A page heartbeats per history read: a dead worker is noticed in seconds and the page read again.
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10 },
});

/**
 * Replays past decisions over a candidate policy, one visibility page per activity, so a
 * 10,000-problem simulation survives a worker restart: finished pages are in history, the page
 * in flight is read again. Read-only: it starts, signals and updates nothing.
 */
export async function policySimulationWorkflow(input: PolicySimulationInput): Promise<PolicySimulationResult> {
  let totals = emptyTotals();
  let count = 0;
  let pageToken: string | null = null;
  do {
    const page: SimulatePageResult = await simulatePastProblems({
      query: input.query,
      pageSize: Math.min(input.pageSize, input.limit - count),
      pageToken,
      candidate: input.candidate,
      ...(input.reportTypes ? { reportTypes: input.reportTypes } : {}),
    });
    totals = mergeTotals(totals, page.totals);
    count += page.count;
    pageToken = page.nextPageToken;
  } while (pageToken !== null && count < input.limit);
  return { totals, count, truncated: pageToken !== null };
}
