import { z } from 'zod';
import { readRetry, writeRetry } from '../tool-defaults';
import type { ToolDefinition } from '../types';
import { lineDiagnosticsSchema, outageLookupSchema, type LineDiagnostics, type OutageLookup } from './schema';

const outageInput = z.object({ service: z.enum(['mobile', 'fiber']), pincode: z.string().min(1) });

/** Finds active outages for a service at a pincode (the claimed one, or the account's on record: a later verification stage). */
export const lookUpOutages: ToolDefinition<z.infer<typeof outageInput>, OutageLookup, 'read'> = {
  name: 'lookUpOutages',
  description: 'Lists active network outages for a service at a pincode',
  input: outageInput,
  output: outageLookupSchema,
  effect: 'read',
  timeoutMs: 10_000,
  retry: readRetry,
  async run({ systems, signal }, { service, pincode }) {
    const query = new URLSearchParams({ service, pincode });
    return outageLookupSchema.parse(await systems.request('GET', `/network/outages?${query.toString()}`, { signal }));
  },
};

const diagnosticsRecord = lineDiagnosticsSchema.options[1].omit({ found: true });

/** Runs remote line diagnostics; read-only, so its result is a verified fact. */
export const runLineDiagnostics: ToolDefinition<{ accountId: string }, LineDiagnostics, 'read'> = {
  name: 'runLineDiagnostics',
  description: 'Runs remote diagnostics on the customer line and reports its status and fault',
  input: z.object({ accountId: z.string().min(1) }),
  output: lineDiagnosticsSchema,
  effect: 'read',
  timeoutMs: 20_000,
  retry: readRetry,
  async run({ systems, signal }, { accountId }) {
    const body = await systems.request<unknown>('GET', `/network/lines/${encodeURIComponent(accountId)}/diagnostics`, { notFoundAsNull: true, signal });
    if (body === null) return { found: false };
    return { found: true, ...diagnosticsRecord.parse(body) };
  },
};

const linkOutput = z.object({ outageId: z.string(), accountId: z.string(), linked: z.boolean() });

/** Links the customer's complaint to a known outage ticket, so they hear when it is fixed. */
export const linkOutageTicket: ToolDefinition<{ outageId: string; accountId: string }, z.infer<typeof linkOutput>, 'write'> = {
  name: 'linkOutageTicket',
  description: 'Links an account to an active outage ticket',
  input: z.object({ outageId: z.string().min(1), accountId: z.string().min(1) }),
  output: linkOutput,
  effect: 'write',
  timeoutMs: 10_000,
  retry: writeRetry,
  async run({ systems, idempotencyKey, signal }, { outageId, accountId }) {
    return linkOutput.parse(await systems.request('POST', `/network/outages/${encodeURIComponent(outageId)}/links`, { body: { accountId }, idempotencyKey, signal }));
  },
};

const resetOutput = z.object({ resetId: z.string(), accountId: z.string(), lineStatus: z.string() });

/** Resets the customer line remotely. */
export const resetLine: ToolDefinition<{ accountId: string }, z.infer<typeof resetOutput>, 'write'> = {
  name: 'resetLine',
  description: 'Resets the customer line remotely',
  input: z.object({ accountId: z.string().min(1) }),
  output: resetOutput,
  effect: 'write',
  timeoutMs: 20_000,
  retry: writeRetry,
  async run({ systems, idempotencyKey, signal }, { accountId }) {
    return resetOutput.parse(await systems.request('POST', `/network/lines/${encodeURIComponent(accountId)}/resets`, { body: {}, idempotencyKey, signal }));
  },
};

const visitOutput = z.object({ visitId: z.string(), accountId: z.string(), pincode: z.string(), faultCode: z.string(), slot: z.string() });

/** Books a technician visit at the address on record. */
export const bookTechnicianVisit: ToolDefinition<{ accountId: string; faultCode: string }, z.infer<typeof visitOutput>, 'write'> = {
  name: 'bookTechnicianVisit',
  description: 'Books a technician visit for a line fault that cannot be fixed remotely',
  input: z.object({ accountId: z.string().min(1), faultCode: z.string().min(1) }),
  output: visitOutput,
  effect: 'write',
  timeoutMs: 10_000,
  retry: writeRetry,
  async run({ systems, idempotencyKey, signal }, input) {
    return visitOutput.parse(await systems.request('POST', '/network/technician-visits', { body: input, idempotencyKey, signal }));
  },
};
