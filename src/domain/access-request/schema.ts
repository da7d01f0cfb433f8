import { z } from 'zod';

/** What an employee asks for; employee, system and role are verified against IAM. */
export const accessRequestClaims = z.object({
  employeeId: z
    .string()
    .regex(/^EMP-\d{3,10}$/, 'must look like EMP-501')
    .describe('Id of the employee who needs access, e.g. EMP-501'),
  system: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,40}$/, 'must be a lower-case system id')
    .describe('Internal system id, lower case, e.g. grafana or prod-db'),
  role: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{1,30}$/, 'must be a lower-case role name')
    .describe('Role on that system, lower case, e.g. viewer, editor, read or admin'),
  durationDays: z
    .number()
    .int('must be whole days')
    .min(1, 'must be at least 1 day')
    .max(90, 'must be at most 90 days')
    .describe('For how many days access is needed (1 to 90)'),
});
/** Claims of an access request. */
export type AccessRequestClaims = z.infer<typeof accessRequestClaims>;

/** Versioned limits of the access policy. */
export const accessPolicySchema = z
  .object({
    /** Longest grant for any role, in days. */
    maxDurationDays: z.number().int().positive(),
    /** Roles with a shorter limit. */
    privilegedRoles: z.array(z.string().min(1)),
    privilegedMaxDays: z.number().int().positive(),
    /** Approvals from the employee's manager group before a grant. */
    requiredApprovals: z.number().int().min(1).max(5),
    /** Length of a day for the revocation timer: 86 400 000 in production, smaller in tests. */
    dayMs: z.number().int().positive(),
  })
  .refine((p) => p.privilegedMaxDays <= p.maxDurationDays, { message: 'privilegedMaxDays must not exceed maxDurationDays' });
/** Access policy section. */
export type AccessPolicy = z.infer<typeof accessPolicySchema>;

export const defaultAccessPolicy: AccessPolicy = {
  maxDurationDays: 90,
  privilegedRoles: ['admin'],
  privilegedMaxDays: 30,
  requiredApprovals: 1,
  dayMs: 86_400_000,
};

/** An employee in IAM, or not found. */
export const employeeLookupSchema = z.discriminatedUnion('found', [
  z.object({ found: z.literal(false) }),
  z.object({ found: z.literal(true), employeeId: z.string(), name: z.string(), department: z.string(), managerGroup: z.string(), active: z.boolean() }),
]);
/** Employee lookup result. */
export type EmployeeLookup = z.infer<typeof employeeLookupSchema>;

/** A system in IAM with the departments allowed per role, or not found. */
export const systemLookupSchema = z.discriminatedUnion('found', [
  z.object({ found: z.literal(false) }),
  z.object({ found: z.literal(true), systemId: z.string(), name: z.string(), roles: z.array(z.object({ role: z.string(), departments: z.array(z.string()) })) }),
]);
/** System lookup result. */
export type SystemLookup = z.infer<typeof systemLookupSchema>;
