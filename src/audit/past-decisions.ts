import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import type { Client } from '@temporalio/client';
import pLimit from 'p-limit';
import { addToTotals, isReported, simulateProblem, type CandidatePolicy, type SimulatedProblem } from '../domain/policy-simulation';
import type { Catalog } from '../domain/registry';
import { emptyTotals, type SimulationTotals } from '../domain/simulation-totals';
import { problemSearchAttributes as sa } from '../temporal/search-attributes';
import { payloadDecoder } from './history';
import { recordedDecisionsOf } from './recorded-decisions';

/** Statuses of a problem that reached a decision (an answered clarification decides again). */
export const DECIDED_STATUSES = ['needs_clarification', 'awaiting_approval', 'executing', 'active', 'completed', 'rejected', 'failed'] as const;

/** Which past problems a simulation replays. Types are catalog names (checked by the caller). */
export interface PastProblemsScope {
  /** Task queue of the problem workflows (TEMPORAL_TASK_QUEUE): problems of this deployment only. */
  taskQueue: string;
  types: string[];
  /** ISO 8601 bounds on the problem's start time: `since` included, `until` excluded. */
  since: string;
  until: string;
}

const quoted = (values: readonly string[]) => values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');

/** The visibility query of a scope: problem workflows of the types that reached a decision, started in the window. */
export function pastProblemsQuery(scope: PastProblemsScope): string {
  return [
    `WorkflowType = 'problemWorkflow'`,
    `TaskQueue = ${quoted([scope.taskQueue])}`,
    `${sa.type.name} IN (${quoted(scope.types)})`,
    `${sa.status.name} IN (${quoted(DECIDED_STATUSES)})`,
    `StartTime >= ${quoted([scope.since])}`,
    `StartTime < ${quoted([scope.until])}`,
  ].join(' AND ');
}

/** One visibility page of a simulation. */
export interface SimulatePageInput {
  query: string;
  pageSize: number;
  /** Visibility page token (base64) of the previous page; absent for the first. */
  pageToken?: string | null;
  candidate: CandidatePolicy;
  /** Types whose every problem goes into `items`. */
  reportTypes?: string[];
}

/** What one page gives: its reported items, totals over all its problems, and where the next page starts. */
export interface SimulatePageResult {
  items: Extract<SimulatedProblem, { changed: boolean }>[];
  totals: SimulationTotals;
  count: number;
  nextPageToken: string | null;
}

/** Where pages read from: the client (with the deployment's codec), the catalog, and how many histories at once. */
export interface PastDecisionsDeps {
  client: Client;
  catalog: Catalog;
  /** Histories fetched at once; bounds the load a simulation puts on the history service. */
  concurrency?: number;
  /** Called after each history read (activities heartbeat here). */
  onProgress?: () => void;
}

/**
 * Replays one visibility page: lists it, reads each problem's last recorded decision from its
 * history (decoded through the payload codec, `concurrency` at a time) and runs it over the
 * candidate. Read-only: nothing is started, signalled or updated.
 */
export async function simulatePage(deps: PastDecisionsDeps, input: SimulatePageInput): Promise<SimulatePageResult> {
  const { client, catalog } = deps;
  const decode = payloadDecoder(client.options.loadedDataConverter);
  const res = await client.workflowService.listWorkflowExecutions({
    namespace: client.options.namespace,
    query: input.query,
    pageSize: input.pageSize,
    nextPageToken: input.pageToken ? Buffer.from(input.pageToken, 'base64') : undefined,
  });
  const limit = pLimit(deps.concurrency ?? 16);
  const results = await Promise.all(
    (res.executions ?? []).map((e) =>
      limit(async (): Promise<SimulatedProblem> => {
        const attrs = decodeTypedSearchAttributes(e.searchAttributes?.indexedFields);
        const problemId = e.execution?.workflowId ?? '';
        const history = await client.workflow.getHandle(problemId, e.execution?.runId ?? undefined).fetchHistory();
        const last = (await recordedDecisionsOf(history, decode)).at(-1);
        const recorded = last ? { input: last.input, decision: last.decision, buildId: last.buildId } : null;
        deps.onProgress?.();
        return simulateProblem(catalog, { problemId, type: attrs.get(sa.type) ?? '', status: attrs.get(sa.status) ?? '', recorded }, input.candidate);
      }),
    ),
  );
  const totals = results.reduce(addToTotals, emptyTotals());
  const items = results.filter((r): r is Extract<SimulatedProblem, { changed: boolean }> => isReported(r, input.reportTypes));
  const token = res.nextPageToken && res.nextPageToken.length > 0 ? Buffer.from(res.nextPageToken).toString('base64') : null;
  return { items, totals, count: results.length, nextPageToken: token };
}
