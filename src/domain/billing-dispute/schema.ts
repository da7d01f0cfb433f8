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
  item: z
    .string()
    .min(1)
    .max(40)
    .optional()
    .describe('The charged item the customer names, e.g. FIBER-100, "fiber plan" or "installation"; omit when none is named'),
});
/** Claims of a billing dispute. */
export type BillingDisputeClaims = z.infer<typeof billingDisputeClaims>;

/**
 * Versioned thresholds of the billing policy (INR). The automatic limits are cumulative: a
 * claim is credited without approval only while the automatic credits of its invoice, and of
 * its account in the rolling window, stay within their totals.
 */
export const billingPolicySchema = z
  .object({
    /** Largest single claim credited without approval. */
    autoCreditMax: z.number().nonnegative(),
    singleApprovalMax: z.number().nonnegative(),
    creditMax: z.number().nonnegative(),
    currency: z.string().length(3),
    approverGroup: z.string().optional(),
    /** Sum of automatic credits allowed on one invoice. */
    autoCreditInvoiceMax: z.number().nonnegative().default(500),
    /** Sum of automatic credits allowed on one account within `autoCreditWindowDays`. */
    autoCreditAccountMax: z.number().nonnegative().default(1000),
    /** Rolling window of the per-account automatic total, in days (billing lists a year of credits). */
    autoCreditWindowDays: z.number().int().min(1).max(365).default(30),
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
  autoCreditInvoiceMax: 500,
  autoCreditAccountMax: 1000,
  autoCreditWindowDays: 30,
};

/** One charge line of an invoice as recorded by billing: charged and credited so far. */
export const invoiceLineSchema = z.object({
  lineNo: z.number().int().positive(),
  description: z.string(),
  amount: z.number(),
  creditedAmount: z.number().nonnegative(),
});

/** A credit billing recorded on the account. */
export const priorCreditSchema = z.object({
  creditId: z.string(),
  invoiceId: z.string(),
  lineNo: z.number().int().positive(),
  amount: z.number(),
  kind: z.enum(['automatic', 'approved']),
  createdAt: z.string(),
});
/** A prior credit of the account. */
export type PriorCredit = z.infer<typeof priorCreditSchema>;

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
    /** The account's ledger version: the concurrency token a credit must carry. */
    ledgerVersion: z.number().int().nonnegative(),
    /** Billing's clock at the lookup; the rolling window ends here. */
    asOf: z.string(),
    /** The account's credits of the last year, on any invoice. */
    accountCredits: z.array(priorCreditSchema),
  }),
]);
/** Invoice lookup result. */
export type InvoiceLookup = z.infer<typeof invoiceLookupSchema>;
