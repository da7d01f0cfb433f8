import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ApiError } from '../api/errors';
import type { Catalog } from '../domain/registry';
import { payloadDecoder, type History } from './history';
import { reconstructAudit } from './reconstruct';
import type { AuditStep } from './steps';

/** Where the audit service reads histories. */
export interface AuditServiceOptions {
  client: Client;
  catalog: Catalog;
  /** Deadline of the history fetch made for one HTTP request. */
  rpcTimeoutMs?: number;
}

/** One page of a problem's audit trail. */
export interface AuditPage {
  id: string;
  status: string | null;
  closed: boolean;
  steps: AuditStep[];
  /** Pass as `cursor` for the steps after this page; null on the last page. */
  nextCursor: string | null;
}

const CURSOR_PREFIX = 'after:';

/** Cursor for "steps after this history event"; stable while a running problem adds steps. */
export function encodeCursor(eventId: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${eventId}`).toString('base64url');
}

/** The event id a cursor points after; a 400 for anything else. */
export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const eventId = text.startsWith(CURSOR_PREFIX) ? Number(text.slice(CURSOR_PREFIX.length)) : NaN;
  if (!Number.isSafeInteger(eventId) || eventId < 0) throw new ApiError(400, 'invalid_cursor', 'cursor is not one this API returned');
  return eventId;
}

/** Pages steps by history event id: `limit` steps after the cursor's event. */
export function pageSteps(steps: AuditStep[], limit: number, cursor: string | undefined): { steps: AuditStep[]; nextCursor: string | null } {
  const after = cursor === undefined ? 0 : decodeCursor(cursor);
  const rest = steps.filter((s) => s.eventId > after);
  const page = rest.slice(0, limit);
  const last = page[page.length - 1];
  return { steps: page, nextCursor: rest.length > limit && last ? encodeCursor(last.eventId) : null };
}

/** Reads audit trails from Temporal histories (the record itself, not a second store). */
export function createAuditService(options: AuditServiceOptions) {
  const { client, catalog } = options;
  const rpcTimeoutMs = options.rpcTimeoutMs ?? 30_000;
  const decode = payloadDecoder(client.options.loadedDataConverter);

  /** The problem's full history, all pages; 404 when there is no such problem. */
  async function fetchHistory(id: string): Promise<History> {
    try {
      return await client.connection.withDeadline(Date.now() + rpcTimeoutMs, () => client.workflow.getHandle(id).fetchHistory());
    } catch (err) {
      if (err instanceof WorkflowNotFoundError || (err as { code?: unknown }).code === 5 /* NOT_FOUND */) {
        throw new ApiError(404, 'problem_not_found', 'no such problem');
      }
      throw err;
    }
  }

  return {
    fetchHistory,

    /** One page of the problem's audit steps; a running problem gives the steps so far. */
    async audit(id: string, page: { limit: number; cursor?: string }): Promise<AuditPage> {
      if (page.cursor !== undefined) decodeCursor(page.cursor);
      const history = await fetchHistory(id);
      const { steps, status, closed } = await reconstructAudit(history, catalog, decode);
      return { id, status, closed, ...pageSteps(steps, page.limit, page.cursor) };
    },
  };
}

/** The audit service the routes use. */
export type AuditService = ReturnType<typeof createAuditService>;
