import type { Client } from '@temporalio/client';
import { ulid } from 'ulid';
import { policySimulationWorkflow, type PolicySimulationInput } from '../../workflows/policy-simulation-workflow';
import { payloadDecoder, type History } from '../audit/history';
import { pastProblemsQuery, simulatePage, type SimulatePageResult } from '../audit/past-decisions';
import { checkPolicyFile, type ResolvedPolicy } from '../domain/policy';
import { finishTotals, type CandidatePolicy } from '../domain/policy-simulation';
import { emptyTotals, mergeTotals, type SimulationTotals } from '../domain/simulation-totals';
import type { Catalog } from '../domain/registry';
import { ApiError } from './errors';
import type { SimulationBody, SimulationResponse } from './schemas';

const DAY_MS = 86_400_000;

/** Where the policy service reads from and how it sizes a simulation. */
export interface PolicyServiceOptions {
  client: Client;
  catalog: Catalog;
  /** The policy in force (POLICY_FILE, as the worker loads it). */
  policy: ResolvedPolicy;
  /** Task queue of the problem workflows; simulations run there too. */
  taskQueue: string;
  /** Largest simulation answered inside the request; larger ones run as a workflow. */
  inlineMax?: number;
  /** Problems per visibility page (and per activity of a simulation workflow). */
  pageSize?: number;
  /** Histories read at once by an inline simulation. */
  concurrency?: number;
  now?: () => Date;
}

type Items = SimulatePageResult['items'];

/**
 * Visibility compares start times as int64 nanoseconds (years 1678 to 2262) and answers an error
 * outside them; no problem started outside these bounds, so a window is clamped to them.
 */
const EARLIEST = Date.parse('1970-01-01T00:00:00Z');
const LATEST = Date.parse('2200-01-01T00:00:00Z');
const clamp = (ms: number) => new Date(Math.min(LATEST, Math.max(EARLIEST, ms)));

/** The window of a request: ISO bounds, `since` defaulting to 30 days before `until` (default now). */
function windowOf(body: Pick<SimulationBody, 'since' | 'until'>, now: Date): { since: string; until: string } {
  const until = body.until ? Date.parse(body.until) : now.getTime();
  const since = body.since ? Date.parse(body.since) : until - 30 * DAY_MS;
  if (!(since < until)) throw new ApiError(400, 'invalid_window', '`since` must be before `until`');
  return { since: clamp(since).toISOString(), until: clamp(until).toISOString() };
}

/** The page results a simulation workflow recorded in its history: its activities' results, decoded. */
async function pageResultsOf(history: History, client: Client): Promise<SimulatePageResult[]> {
  const decode = payloadDecoder(client.options.loadedDataConverter);
  const pages: SimulatePageResult[] = [];
  for (const event of history.events ?? []) {
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed) pages.push(...((await decode(completed.result?.payloads)) as SimulatePageResult[]));
  }
  return pages;
}

/** The policy in force and the what-if over it (`/v1/policy`). */
export function createPolicyService(options: PolicyServiceOptions) {
  const { client, catalog, policy, taskQueue } = options;
  const inlineMax = options.inlineMax ?? 200;
  const pageSize = options.pageSize ?? 500;
  const now = options.now ?? (() => new Date());

  /** Pages through visibility in this process: for sets small enough to answer inside a request. */
  async function simulateInline(query: string, limit: number, candidate: CandidatePolicy, reportTypes?: string[]): Promise<{ totals: SimulationTotals; items: Items }> {
    let totals = emptyTotals();
    const items: Items = [];
    let count = 0;
    let pageToken: string | null = null;
    do {
      const page: SimulatePageResult = await simulatePage(
        { client, catalog, ...(options.concurrency ? { concurrency: options.concurrency } : {}) },
        { query, pageSize: Math.min(pageSize, limit - count), pageToken, candidate, ...(reportTypes ? { reportTypes } : {}) },
      );
      totals = mergeTotals(totals, page.totals);
      items.push(...page.items);
      count += page.count;
      pageToken = page.nextPageToken;
    } while (pageToken !== null && count < limit);
    return { totals, items };
  }

  /** Runs the simulation as a workflow (it survives worker restarts) and reads its pages' items from its history. */
  async function simulateInWorkflow(workflowId: string, input: PolicySimulationInput): Promise<{ totals: SimulationTotals; items: Items }> {
    const result = await client.workflow.execute(policySimulationWorkflow, { workflowId, taskQueue, args: [input], staticSummary: `Policy what-if: ${input.candidate.version}` });
    const pages = await pageResultsOf(await client.workflow.getHandle(workflowId).fetchHistory(), client);
    return { totals: result.totals, items: pages.flatMap((p) => p.items) };
  }

  return {
    /** The policy in force, as loaded: every type's section resolved, so it can be edited and sent back. */
    current(): { version: string; policy: ResolvedPolicy } {
      return { version: policy.version, policy };
    },

    /**
     * Replays past decisions over a candidate policy: 400 for a policy POLICY_FILE would refuse,
     * an unknown type or an empty window. Read-only: no tool or model call, nothing waiting changes.
     */
    async simulate(body: SimulationBody): Promise<SimulationResponse> {
      const checked = checkPolicyFile(catalog, body.policy);
      if (!checked.ok) throw new ApiError(400, 'invalid_policy', 'the candidate policy is invalid', checked.issues);
      const unknown = (body.types ?? []).filter((t) => !catalog.get(t));
      if (unknown.length > 0) throw new ApiError(400, 'unknown_problem_type', `unknown problem types: ${unknown.join(', ')}`, unknown.map((t) => ({ path: 'types', message: `unknown problem type "${t}"` })));
      const types = body.types ?? catalog.types.map((t) => t.name);
      const query = pastProblemsQuery({ taskQueue, types, ...windowOf(body, now()) });
      const candidate: CandidatePolicy = { version: checked.policy.version, types: checked.policy.types };
      const counted = await client.workflowService.countWorkflowExecutions({ namespace: client.options.namespace, query });
      const matched = Number(counted.count ?? 0);
      const inline = Math.min(matched, body.limit) <= inlineMax;
      const simulationId = inline ? null : `sim_${ulid()}`;
      const { totals, items } = simulationId
        ? await simulateInWorkflow(simulationId, { query, limit: body.limit, pageSize, candidate, ...(body.types ? { reportTypes: body.types } : {}) })
        : await simulateInline(query, body.limit, candidate, body.types);
      return { policyVersion: candidate.version, ...finishTotals(totals), matched, mode: inline ? 'inline' : 'workflow', simulationId, items };
    },
  };
}

/** The policy service the routes use. */
export type PolicyService = ReturnType<typeof createPolicyService>;
