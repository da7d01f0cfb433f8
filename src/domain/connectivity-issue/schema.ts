import { z } from 'zod';
import { accountIdSchema } from '../account';
import { isoDateSchema } from '../dates';

/** What the customer claims about a connectivity problem; verified against CRM and network. */
export const connectivityIssueClaims = z.object({
  accountId: accountIdSchema.describe('Customer account id, e.g. ACC-1001'),
  service: z.enum(['mobile', 'fiber']).describe('Which service is affected: mobile (SIM, calls, mobile data) or fiber (home broadband)'),
  pincode: z
    .string()
    .regex(/^\d{6}$/, 'must be a 6-digit Indian pincode')
    .optional()
    .describe('6-digit pincode where the problem happens, if the customer gave one; defaults to the address on record'),
  since: isoDateSchema.optional().describe('Date the problem started (YYYY-MM-DD), if the customer said'),
});
/** Claims of a connectivity issue. */
export type ConnectivityIssueClaims = z.infer<typeof connectivityIssueClaims>;

/** Versioned thresholds of the connectivity policy. */
export const connectivityPolicySchema = z.object({
  /** Diagnosed faults a remote line reset can fix; anything else needs a technician. */
  remoteResetFaults: z.array(z.string().min(1)).min(1),
  /** A line reset this many times recently gets a technician instead of another reset. */
  maxRecentResets: z.number().int().min(0),
  /** Tell the customer what was done (outage linked, line reset, visit booked). */
  notifyCustomer: z.boolean(),
});
/** Connectivity policy section. */
export type ConnectivityPolicy = z.infer<typeof connectivityPolicySchema>;

export const defaultConnectivityPolicy: ConnectivityPolicy = {
  remoteResetFaults: ['none', 'sync_lost', 'config_error'],
  maxRecentResets: 2,
  notifyCustomer: true,
};

/** Active outages for the service at the location (claimed pincode, else the address on record). */
export const outageLookupSchema = z.object({
  /** The pincode searched; null when neither a pincode nor an account on record gives one. */
  pincode: z.string().nullable(),
  items: z.array(z.object({ outageId: z.string(), service: z.string(), pincode: z.string(), status: z.string(), summary: z.string() })),
});
/** Outage lookup result. */
export type OutageLookup = z.infer<typeof outageLookupSchema>;

/** Remote line diagnostics, or no line on record. */
export const lineDiagnosticsSchema = z.discriminatedUnion('found', [
  z.object({ found: z.literal(false) }),
  z.object({ found: z.literal(true), accountId: z.string(), lineStatus: z.string(), faultCode: z.string(), recentResets: z.number().int().min(0) }),
]);
/** Line diagnostics result. */
export type LineDiagnostics = z.infer<typeof lineDiagnosticsSchema>;
