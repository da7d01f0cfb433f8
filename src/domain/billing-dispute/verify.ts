import { call, lookups } from '../plug-in';
import type { BillingDisputeClaims } from './schema';
import { lookUpInvoice } from './tools';

/** The facts a billing dispute is decided on: the invoice, its lines' credit state and the account's credits. */
export const billingVerification = lookups((claims: BillingDisputeClaims) => ({
  invoice: call(lookUpInvoice, { invoiceId: claims.invoiceId }, `Look up invoice ${claims.invoiceId}`),
}));
