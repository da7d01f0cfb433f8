import { createHash, randomBytes } from 'node:crypto';
import {
  WorkflowExecutionAlreadyStartedError,
  QueryRejectedError,
  WorkflowClient,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateStage,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { decodeArrayFromPayloads, decodeMapFromPayloads } from '@temporalio/common/lib/internal-non-workflow/codec-helpers';
import { ulid } from 'ulid';
import { z } from 'zod';
import {
  getProblemQuery,
  submitApprovalUpdate,
  submitClarificationUpdate,
  UpdateRejection,
  type ApprovalInput,
  type ProblemInput,
} from '../../workflows/definitions';
import { digestOf } from '../domain/digest';
import { withinScope } from '../domain/scope';
import type { CommandSigner } from '../security/command-keys';
import { problemSearchAttributes as sa } from '../temporal/search-attributes';
import { cursorSealer, type CursorSealer } from './cursor';
import { ApiError } from './errors';
import { createTemporalBreaker } from './temporal-breaker';
import type { Principal } from './plugins/auth';
import { PROBLEM_STATUSES, pendingApprovalMemo, type ProblemState, type ProblemStatus, type SubmitProblemBody } from './schemas';

/** Where the service reaches Temporal. */
export interface ProblemServiceOptions {
  client: Client;
  taskQueue: string;
  /** EXTRACTION_TASK_QUEUE: where new problems send their extraction (model-hosting workers). */
  extractionTaskQueue?: string;
  namespace: string;
  /** Deadline of one Temporal call made for an HTTP request. */
  rpcTimeoutMs?: number;
  /** Signs every approval and clarification forwarded to a workflow: identity is the API's, never the payload's. */
  signCommand: CommandSigner;
  /** HMAC key of the list and approval cursors (CURSOR_SECRET); random per process when absent. */
  cursorSecret?: string;
}

/** A problem as listed from visibility (no per-item query). */
export interface ProblemSummary {
  id: string;
  status: string | null;
  type: string | null;
  customerId: string | null;
  submittedBy: string | null;
  requiresApproval: boolean | null;
  createdAt: string | null;
  closedAt: string | null;
}

/** HTTP status and message of each update rejection raised by the workflow's validators. */
const REJECTION_STATUS: Record<string, number> = {
  [UpdateRejection.notAwaitingApproval]: 409,
  [UpdateRejection.staleActionDigest]: 409,
  [UpdateRejection.alreadyDecided]: 409,
  [UpdateRejection.selfApproval]: 403,
  [UpdateRejection.groupRequired]: 403,
  [UpdateRejection.roleRequired]: 403,
  [UpdateRejection.notAwaitingClarification]: 409,
  [UpdateRejection.notSubmitter]: 403,
  [UpdateRejection.invalidText]: 400,
  [UpdateRejection.beneficiaryApproval]: 403,
};

const { WorkflowExecutionStatus } = temporal.api.enums.v1;

const memoSchema = z.object({ requestDigest: z.string() });
/** Problem ids: `prb_` + ULID, or a digest of (principal, Idempotency-Key) so retries find the same workflow. */
function problemIdFor(principal: string, idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return `prb_${ulid()}`;
  const hash = createHash('sha256').update(`${principal}\0${idempotencyKey}`).digest();
  // Crockford base32 of the first 130 bits, like a ULID: 26 characters.
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let bits = '';
  for (const byte of hash.subarray(0, 17)) bits += byte.toString(2).padStart(8, '0');
  let out = '';
  for (let i = 0; i < 130; i += 5) out += alphabet[parseInt(bits.slice(i, i + 5), 2)];
  return `prb_${out}`;
}

/**
 * The accounts a problem concerns: the customer it was submitted for, from the start, and the
 * account its claims name, once extracted (none for, e.g., an access request).
 */
function accountsOf(state: ProblemState): string[] {
  return [state.customerId, state.entities?.accountId].filter((a): a is string => typeof a === 'string');
}

/** A key scoped to accounts never sees or acts on a problem of another account. */
function assertEntitled(state: ProblemState, principal: Principal): void {
  if (!withinScope(principal.accounts, accountsOf(state))) {
    throw new ApiError(403, 'account_not_entitled', 'this key is scoped to other accounts than this problem\'s');
  }
}

/** Maps a rejected update onto the API's error. */
function updateError(err: unknown): unknown {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type) {
    const status = REJECTION_STATUS[err.cause.type];
    if (status) return new ApiError(status, err.cause.type, err.cause.message);
  }
  return err;
}

/** Everything the HTTP routes ask of Temporal, in domain terms. */
export function createProblemService(options: ProblemServiceOptions) {
  const { client, taskQueue, namespace, signCommand, extractionTaskQueue } = options;
  const rpcTimeoutMs = options.rpcTimeoutMs ?? 10_000;
  const withDeadline = createTemporalBreaker(client, { rpcTimeoutMs });
  const cursorSecret = options.cursorSecret ?? randomBytes(32).toString('base64');
  const listCursors = cursorSealer(cursorSecret, 'problems');
  const approvalCursors = cursorSealer(cursorSecret, 'approvals');

  // Queries that the server refuses for a closed workflow instead of replaying it on a worker:
  // a running problem is read in one call (no describe first), a finished one from its result.
  const openQueries = new WorkflowClient({ ...client.workflow.options, queryRejectCondition: 'NOT_OPEN' });

  async function readState(id: string): Promise<ProblemState> {
    try {
      return await withDeadline(() => openQueries.getHandle(id).query(getProblemQuery));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new ApiError(404, 'problem_not_found', 'no such problem');
      if (!(err instanceof QueryRejectedError)) throw err;
      if (err.status === WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
        return withDeadline(() => client.workflow.getHandle<(input: ProblemInput) => Promise<ProblemState>>(id).result());
      }
      return endedAbnormally(id, err.status);
    }
  }

  /** The input a problem was started with: the first event of its history, one page of one event. */
  async function startInput(id: string): Promise<ProblemInput> {
    const { history } = await withDeadline(() => client.workflowService.getWorkflowExecutionHistory({ namespace, execution: { workflowId: id }, maximumPageSize: 1 }));
    const payloads = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
    const [input] = await decodeArrayFromPayloads(client.options.loadedDataConverter, payloads);
    return input as ProblemInput;
  }

  /**
   * A problem whose workflow was terminated, cancelled, timed out or failed by Temporal rather
   * than by its own code: `failed` with reason `workflow_<how it ended>`, who submitted it and for
   * whom read from its start input (its type from visibility), so that reading it is authorised as
   * any other problem. Its steps are in the audit.
   */
  async function endedAbnormally(id: string, status: temporal.api.enums.v1.WorkflowExecutionStatus): Promise<ProblemState> {
    const [description, input] = await Promise.all([withDeadline(() => client.workflow.getHandle(id).describe()), startInput(id)]);
    const ended = (WorkflowExecutionStatus[status] ?? 'unknown').replace('WORKFLOW_EXECUTION_STATUS_', '').toLowerCase();
    return {
      id,
      status: 'failed',
      type: description.typedSearchAttributes.get(sa.type) ?? null,
      customerId: input.customerId ?? null,
      channel: input.channel,
      submittedBy: input.submittedBy,
      entities: null,
      decision: null,
      outcome: { reasonCode: `workflow_${ended}` },
      clarification: null,
      approval: null,
      usage: { llmCalls: 0, promptTokens: 0, completionTokens: 0 },
      createdAt: description.startTime.toISOString(),
      updatedAt: (description.closeTime ?? description.startTime).toISOString(),
    };
  }

  /**
   * Sends an update; an update to a finished problem fails as "not found" in Temporal, which
   * the API reports as 409 `closedCode` when the problem exists and 404 when it does not.
   */
  async function sendUpdate<T>(id: string, closedCode: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw updateError(err);
      const exists = await withDeadline(() => client.workflow.getHandle(id).describe()).then(() => true, (e) => (e instanceof WorkflowNotFoundError ? false : Promise.reject(e)));
      throw exists ? new ApiError(409, closedCode, 'the problem is already finished') : new ApiError(404, 'problem_not_found', 'no such problem');
    }
  }

  /**
   * A handle on the problem's current run, the one a command is signed for: the update goes to
   * that run only, and its signature is refused by any other run of the same problem id.
   */
  async function currentRun(id: string) {
    const { runId } = await withDeadline(() => client.workflow.getHandle(id).describe());
    return { runId, handle: client.workflow.getHandle(id, runId) };
  }

  function assertCanRead(state: ProblemState, principal: Principal): void {
    // Submitters read their own problems, also one refused for naming an account outside their scope.
    if (state.submittedBy === principal.principal) return;
    assertEntitled(state, principal);
    if (principal.roles.includes('approver') || principal.roles.includes('admin')) return;
    throw new ApiError(403, 'forbidden', 'only the submitter, approvers and admins can read this problem');
  }

  async function listRaw(query: string, limit: number, cursor: string | undefined, cursors: CursorSealer = listCursors) {
    const nextPageToken = cursor === undefined ? undefined : cursors.open(cursor);
    const res = await withDeadline(() =>
      client.workflowService.listWorkflowExecutions({ namespace, query, pageSize: limit, nextPageToken }),
    );
    const token = res.nextPageToken && res.nextPageToken.length > 0 ? cursors.seal(res.nextPageToken) : null;
    return { executions: res.executions, nextCursor: token };
  }

  return {
    /**
     * Starts a problem workflow. With an Idempotency-Key the workflow id is derived from it,
     * so Temporal itself rejects a second start, across API restarts and replicas.
     */
    async submit(principal: Principal, body: SubmitProblemBody, idempotencyKey?: string): Promise<{ id: string; status: ProblemStatus; created: boolean }> {
      // A principal scoped to accounts submits only for them; the workflow checks the accounts the text names.
      if (principal.accounts && body.customerId && !principal.accounts.includes(body.customerId.toUpperCase())) {
        throw new ApiError(403, 'account_not_entitled', 'this key may not act for that account');
      }
      const id = problemIdFor(principal.principal, idempotencyKey);
      const requestDigest = digestOf({ principal: principal.principal, body });
      // Signed: the workflow's admission step refuses a start the API did not sign.
      const input: ProblemInput = signCommand('start', id, {
        problemId: id,
        text: body.text,
        channel: body.channel,
        submittedBy: principal.principal,
        requestDigest,
        ...(body.customerId ? { customerId: body.customerId } : {}),
        ...(extractionTaskQueue ? { extractionTaskQueue } : {}),
        ...(principal.accounts ? { accountScope: principal.accounts } : {}),
        ...(principal.employeeId ? { submitterEmployeeId: principal.employeeId } : {}),
      });
      try {
        await withDeadline(() =>
          client.workflow.start('problemWorkflow', {
            workflowId: id,
            taskQueue,
            args: [input],
            memo: { requestDigest },
            workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
            workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
            typedSearchAttributes: [
              { key: sa.status, value: 'received' },
              { key: sa.submittedBy, value: principal.principal },
              ...(body.customerId ? [{ key: sa.customerId, value: body.customerId }] : []),
            ],
            staticSummary: `Problem submitted via ${body.channel}`,
          }),
        );
        return { id, status: 'received', created: true };
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
      const description = await withDeadline(() => client.workflow.getHandle(id).describe());
      const memo = memoSchema.safeParse(description.memo);
      if (!memo.success || memo.data.requestDigest !== requestDigest) {
        throw new ApiError(409, 'idempotency_key_conflict', 'this Idempotency-Key was already used with a different request');
      }
      // The status as GET answers it (the workflow's own state): the search attribute trails it
      // while a finished problem sends its completion notice. The attribute only when that fails.
      const recorded = description.typedSearchAttributes.get(sa.status);
      const status = await readState(id).then((state) => state.status, () => PROBLEM_STATUSES.find((s) => s === recorded) ?? 'received');
      return { id, status, created: false };
    },

    /** The problem's current state, for its submitter or an approver/admin. */
    async get(id: string, principal: Principal): Promise<ProblemState> {
      const state = await readState(id);
      assertCanRead(state, principal);
      return state;
    },

    /** A page of problems from Temporal visibility; submitters only see their own. */
    async list(principal: Principal, filter: { status?: string; type?: string; limit: number; cursor?: string }) {
      const clauses = [`WorkflowType = 'problemWorkflow'`];
      if (filter.status) clauses.push(`${sa.status.name} = '${filter.status}'`);
      if (filter.type) clauses.push(`${sa.type.name} = '${filter.type}'`);
      const privileged = principal.roles.includes('approver') || principal.roles.includes('admin');
      const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;
      const own = `${sa.submittedBy.name} = ${quote(principal.principal)}`;
      if (!privileged) clauses.push(own);
      // A key scoped to accounts lists its own problems and those submitted for its accounts.
      else if (principal.accounts) clauses.push(principal.accounts.length ? `(${own} OR ${sa.customerId.name} IN (${principal.accounts.map(quote).join(', ')}))` : own);
      const { executions, nextCursor } = await listRaw(clauses.join(' AND '), filter.limit, filter.cursor);
      const items: ProblemSummary[] = executions.map((e) => {
        const attrs = decodeTypedSearchAttributes(e.searchAttributes?.indexedFields);
        const seconds = (t: typeof e.startTime) => (t?.seconds ? new Date(Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString() : null);
        return {
          id: e.execution?.workflowId ?? '',
          status: attrs.get(sa.status) ?? null,
          type: attrs.get(sa.type) ?? null,
          customerId: attrs.get(sa.customerId) ?? null,
          submittedBy: attrs.get(sa.submittedBy) ?? null,
          requiresApproval: attrs.get(sa.requiresApproval) ?? null,
          createdAt: seconds(e.startTime),
          closedAt: seconds(e.closeTime),
        };
      });
      return { items, nextCursor };
    },

    /** Feeds the submitter's answer back; accepted once the workflow's validator agrees. */
    async clarify(id: string, principal: Principal, text: string): Promise<ProblemState> {
      return sendUpdate(id, UpdateRejection.notAwaitingClarification, async () => {
        const { runId, handle } = await currentRun(id);
        // The answer is signed for the round it answers, so it cannot be replayed into a later one.
        const { clarification } = await withDeadline(() => handle.query(getProblemQuery));
        if (!clarification) throw new ApiError(409, UpdateRejection.notAwaitingClarification, 'the problem is not waiting for clarification');
        const command = signCommand('clarification', id, { runId, principal: principal.principal, text, round: clarification.round });
        const update = await withDeadline(() => handle.startUpdate(submitClarificationUpdate, { args: [command], waitForStage: WorkflowUpdateStage.ACCEPTED }));
        return withDeadline(() => update.result());
      });
    },

    /**
     * Records an approval or rejection, signed with the caller's authenticated identity, and
     * returns the state once the workflow has recorded it (the action may still be running).
     */
    async approve(id: string, principal: Principal, body: { decision: 'approve' | 'reject'; actionDigest: string; comment?: string }): Promise<ProblemState> {
      return sendUpdate(id, UpdateRejection.notAwaitingApproval, async () => {
        const { runId, handle } = await currentRun(id);
        const input: ApprovalInput = signCommand('approval', id, {
          runId,
          principal: principal.principal,
          roles: principal.roles,
          groups: principal.groups,
          employeeId: principal.employeeId,
          accounts: principal.accounts,
          ...body,
        });
        return withDeadline(() => handle.executeUpdate(submitApprovalUpdate, { args: [input] }));
      });
    },

    /**
     * Problems awaiting approval on this task queue, one visibility page per request, in
     * visibility's order (most recently submitted first: SQL visibility stores cannot ORDER BY).
     * Each item comes from the memo the workflow publishes while it waits (the exact action, its
     * digest and the evidence); only problems started before that memo existed are queried.
     */
    async pendingApprovals(principal: Principal, limit: number, cursor: string | undefined) {
      const query = [`WorkflowType = 'problemWorkflow'`, `TaskQueue = '${taskQueue}'`, `ExecutionStatus = 'Running'`, `${sa.status.name} = 'awaiting_approval'`].join(' AND ');
      const { executions, nextCursor } = await listRaw(query, limit, cursor, approvalCursors);
      const items = await Promise.all(
        executions.map(async (e) => {
          // A key scoped to accounts sees only actions on them, as GET /v1/problems/:id answers it.
          const customerId = decodeTypedSearchAttributes(e.searchAttributes?.indexedFields).get(sa.customerId);
          // An action recorded before beneficiaries were (no account list) is hidden from scoped keys.
          const entitled = (accountIds: string[] | undefined) => !principal.accounts || (accountIds !== undefined && withinScope(principal.accounts, [...accountIds, ...(customerId ? [customerId] : [])]));
          const memo = await decodeMapFromPayloads(client.options.loadedDataConverter, e.memo?.fields);
          const published = pendingApprovalMemo.safeParse(memo?.pendingApproval);
          if (published.success) return entitled(published.data.action.beneficiary?.accountIds) ? published.data : null;
          const state = await withDeadline(() => client.workflow.getHandle(e.execution?.workflowId ?? '').query(getProblemQuery)).catch(() => null);
          if (!state?.approval || !entitled(state.approval.action.beneficiary?.accountIds)) return null;
          return { problemId: state.id, type: state.type, submittedBy: state.submittedBy, ...state.approval };
        }),
      );
      // The response schema keeps only the contract's fields; evidence is null for problems from before it was recorded.
      // A scoped key's page may hold fewer items than the limit; nextCursor still reads on.
      return { items: items.filter((i) => i !== null).map((i) => ({ ...i, evidence: i.evidence ?? null })), nextCursor };
    },

    /** Readiness: Temporal answers and at least one worker polls the task queue. */
    async readiness(): Promise<{ temporal: boolean; workerPolling: boolean }> {
      try {
        const res = await client.connection.withDeadline(Date.now() + 2000, () =>
          client.workflowService.describeTaskQueue({ namespace, taskQueue: { name: taskQueue }, taskQueueType: 1 /* WORKFLOW */ }),
        );
        return { temporal: true, workerPolling: (res.pollers?.length ?? 0) > 0 };
      } catch {
        return { temporal: false, workerPolling: false };
      }
    },
  };
}

/** The service the routes use. */
export type ProblemService = ReturnType<typeof createProblemService>;
