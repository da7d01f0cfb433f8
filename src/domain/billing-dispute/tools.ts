import { z } from 'zod';
import type { ToolDefinition } from '../types';
import { invoiceLookupSchema, type InvoiceLookup } from './schema';
import { readRetry, writeRetry } from '../tool-defaults';

const invoiceRecord = z.object({
  invoiceId: z.string(),
  accountId: z.string(),
  period: z.string(),
  currency: z.string(),
  lines: z.array(z.object({ lineNo: z.number(), description: z.string(), amount: z.number(), credited: z.boolean() })),
});

/** Reads an invoice from billing; a missing invoice is a fact, not an error. */
export const lookUpInvoice: ToolDefinition<{ invoiceId: string }, InvoiceLookup> = {
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
});
const creditOutput = z.object({ creditId: z.string(), invoiceId: z.string(), lineNo: z.number(), amount: z.number(), currency: z.string() });

/** Credits one invoice line; billing refuses a second credit of the same line (409 `line_already_credited`). */
export const issueCredit: ToolDefinition<z.infer<typeof creditInput>, z.infer<typeof creditOutput>> = {
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
