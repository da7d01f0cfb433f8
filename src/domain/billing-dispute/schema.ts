import { z } from 'zod';
import { moneySchema } from '../money';

/** What the customer claims; every field is verified against billing before a decision. */
export const billingDisputeClaims = z.object({
  accountId: z
    .string()
    .regex(/^ACC-\d{3,10}$/, 'must look like ACC-1001')
    .describe('Customer account id, e.g. ACC-1001'),
  invoiceId: z
    .string()
    .regex(/^INV-\d{3,10}$/, 'must look like INV-2001')
    .describe('Invoice id that carries the disputed charge, e.g. INV-2001'),
  amount: moneySchema.describe('Disputed amount as written by the customer, in the given currency'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code')
    .default('INR')
    .describe('ISO 4217 currency code of the disputed amount'),
  reason: z
    .enum(['duplicate_charge', 'overcharge', 'service_not_received', 'other'])
    .default('other')
    .describe('Why the customer disputes the charge'),
});
/** Claims of a billing dispute. */
export type BillingDisputeClaims = z.infer<typeof billingDisputeClaims>;

/** Versioned thresholds of the billing policy (INR). */
export const billingPolicySchema = z
  .object({
    autoCreditMax: z.number().nonnegative(),
    singleApprovalMax: z.number().nonnegative(),
    creditMax: z.number().nonnegative(),
    currency: z.string().length(3),
    approverGroup: z.string().optional(),
  })
  .refine((p) => p.autoCreditMax <= p.singleApprovalMax && p.singleApprovalMax <= p.creditMax, {
    message: 'thresholds must be ordered autoCreditMax <= singleApprovalMax <= creditMax',
  });
/** Billing policy section. */
export type BillingPolicy = z.infer<typeof billingPolicySchema>;

export const defaultBillingPolicy: BillingPolicy = {
  autoCreditMax: 500,
  singleApprovalMax: 5000,
  creditMax: 100_000,
  currency: 'INR',
};

/** One charge line of an invoice as recorded by billing. */
export const invoiceLineSchema = z.object({
  lineNo: z.number().int().positive(),
  description: z.string(),
  amount: z.number(),
  credited: z.boolean(),
});

/** Result of the invoice lookup: the system of record's view, or not found. */
export const invoiceLookupSchema = z.discriminatedUnion('found', [
  z.object({ found: z.literal(false) }),
  z.object({
    found: z.literal(true),
    invoiceId: z.string(),
    accountId: z.string(),
    period: z.string(),
    currency: z.string(),
    lines: z.array(invoiceLineSchema),
  }),
]);
/** Invoice lookup result. */
export type InvoiceLookup = z.infer<typeof invoiceLookupSchema>;
