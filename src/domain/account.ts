import { z } from 'zod';
import { isoDateSchema } from './dates';
import { readRetry, writeRetry } from './tool-defaults';
import type { ToolDefinition } from './types';

/** A customer account id as users write it, e.g. ACC-1001. */
export const accountIdSchema = z.string().regex(/^ACC-\d{3,10}$/, 'must look like ACC-1001');

/** The CRM's view of an account, or not found. Shared by the telecom problem types. */
export const accountLookupSchema = z.discriminatedUnion('found', [
  z.object({ found: z.literal(false) }),
  z.object({
    found: z.literal(true),
    accountId: z.string(),
    status: z.string(),
    service: z.enum(['mobile', 'fiber']),
    plan: z.string(),
    pincode: z.string(),
    dues: z.number(),
    currency: z.string(),
    lockInUntil: z.string().nullable(),
    /** The CRM's business date: decisions about dates compare against it, not the worker clock. */
    asOf: isoDateSchema,
  }),
]);
/** Account lookup result. */
export type AccountLookup = z.infer<typeof accountLookupSchema>;
/** A found account. */
export type Account = Extract<AccountLookup, { found: true }>;

const accountRecord = accountLookupSchema.options[1].omit({ found: true });

/** Reads an account from the CRM; a missing account is a fact, not an error. */
export const lookUpAccount: ToolDefinition<{ accountId: string }, AccountLookup, 'read'> = {
  name: 'lookUpAccount',
  description: 'Reads an account (status, service, plan, pincode, dues, lock-in) from the CRM',
  input: z.object({ accountId: z.string().min(1) }),
  output: accountLookupSchema,
  effect: 'read',
  timeoutMs: 10_000,
  retry: readRetry,
  async run({ systems, signal }, { accountId }) {
    const body = await systems.request<unknown>('GET', `/crm/accounts/${encodeURIComponent(accountId)}`, { notFoundAsNull: true, signal });
    if (body === null) return { found: false };
    return { found: true, ...accountRecord.parse(body) };
  },
};

const notifyInput = z.object({
  accountId: z.string().min(1),
  template: z.enum(['outage_linked', 'line_reset', 'technician_booked', 'plan_changed']),
  ref: z.string().min(1),
});
const notifyOutput = z.object({ notificationId: z.string(), accountId: z.string(), template: z.string(), ref: z.string() });

/** Sends the customer a templated notification through the CRM (one per idempotency key). */
export const notifyCustomer: ToolDefinition<z.infer<typeof notifyInput>, z.infer<typeof notifyOutput>, 'write'> = {
  name: 'notifyCustomer',
  description: 'Sends the account holder a templated notification through the CRM',
  input: notifyInput,
  output: notifyOutput,
  effect: 'write',
  timeoutMs: 10_000,
  retry: writeRetry,
  async run({ systems, idempotencyKey, signal }, input) {
    return notifyOutput.parse(await systems.request('POST', '/crm/notifications', { body: input, idempotencyKey, signal }));
  },
};
