import { z } from 'zod';
import type { ToolDefinition } from '../types';
import { invoiceLookupSchema, type InvoiceLookup } from './schema';
import { readRetry, writeRetry } from '../tool-defaults';

const invoiceRecord = invoiceLookupSchema.options[1].omit({ found: true });

/** Reads an invoice from billing; a missing invoice is a fact, not an error. */
export const lookUpInvoice: ToolDefinition<{ invoiceId: string }, InvoiceLookup, 'read'> = {
  name: 'lookUpInvoice',
  description: 'Reads an invoice and the credit state of its lines from billing',
  input: z.object({ invoiceId: z.string() }),
  output: invoiceLookupSchema,
  effect: 'read',
  timeoutMs: 10_000,
  retry: readRetry,
  async run({ systems, signal }, { invoiceId }) {
    const body = await systems.request<unknown>('GET', `/billing/invoices/${encodeURIComponent(invoiceId)}`, { notFoundAsNull: true, signal });
    if (body === null) return { found: false };
    return { found: true, ...invoiceRecord.parse(body) };
  },
};

const creditInput = z.object({
  accountId: z.string(),
  invoiceId: z.string(),
  lineNo: z.number().int().positive(),
  amount: z.number().positive(),
  currency: z.string().length(3),
  kind: z.enum(['automatic', 'approved']),
  /** The concurrency token (a step guard): the ledger version the decision was made on. */
  expectedLedgerVersion: z.number().int().nonnegative(),
});
const creditOutput = z.object({ creditId: z.string(), invoiceId: z.string(), lineNo: z.number(), amount: z.number(), currency: z.string(), kind: z.string(), ledgerVersion: z.number() });

/**
 * Credits part or all of one invoice line. Billing refuses (409) a credit beyond the line's
 * remaining charge (`amount_exceeds_remaining`, `already_credited`), beyond N−1 charges of a
 * duplicate group (`duplicate_already_credited`), or on a ledger that moved since the decision
 * (`ledger_version_conflict`: the workflow re-verifies and re-decides).
 */
export const issueCredit: ToolDefinition<z.infer<typeof creditInput>, z.infer<typeof creditOutput>, 'write'> = {
  name: 'issueCredit',
  description: 'Issues a credit note against one invoice line',
  input: creditInput,
  output: creditOutput,
  effect: 'write',
  timeoutMs: 15_000,
  retry: writeRetry,
  async run({ systems, idempotencyKey, signal }, input) {
    return creditOutput.parse(await systems.request('POST', '/billing/credits', { body: input, idempotencyKey, signal }));
  },
};
