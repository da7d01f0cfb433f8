import { z } from 'zod';
import { accountIdSchema } from '../account';
import { isoDateSchema } from '../dates';

/** What the customer asks for; plan and eligibility are verified against the CRM and plan catalog. */
export const planChangeClaims = z.object({
  accountId: accountIdSchema.describe('Customer account id, e.g. ACC-1001'),
  targetPlan: z
    .string()
    .regex(/^[A-Z]+-\d{3,4}$/, 'must look like MOB-599 or FIBER-300 (upper case)')
    .describe('Plan code the customer wants to move to, upper case, e.g. MOB-599 or FIBER-300'),
  effectiveDate: isoDateSchema.optional().describe('Date the change should take effect (YYYY-MM-DD); today when not given'),
});
/** Claims of a plan change. */
export type PlanChangeClaims = z.infer<typeof planChangeClaims>;

/** Versioned thresholds of the plan-change policy (INR, days). */
export const planChangePolicySchema = z.object({
  /** Outstanding dues above this block a change. */
  maxDuesAllowed: z.number().nonnegative(),
  /** How far ahead a change may be scheduled. */
  maxEffectiveDaysAhead: z.number().int().min(0),
  /** Send the customer a confirmation after the change. */
  notifyCustomer: z.boolean(),
});
/** Plan-change policy section. */
export type PlanChangePolicy = z.infer<typeof planChangePolicySchema>;

export const defaultPlanChangePolicy: PlanChangePolicy = {
  maxDuesAllowed: 0,
  maxEffectiveDaysAhead: 60,
  notifyCustomer: true,
};

/** A plan in the catalog, or not found. */
export const planLookupSchema = z.discriminatedUnion('found', [
  z.object({ found: z.literal(false) }),
  z.object({ found: z.literal(true), planId: z.string(), service: z.enum(['mobile', 'fiber']), monthlyFee: z.number(), currency: z.string(), active: z.boolean() }),
]);
/** Plan lookup result. */
export type PlanLookup = z.infer<typeof planLookupSchema>;
