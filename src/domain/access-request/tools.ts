import { z } from 'zod';
import { readRetry, writeRetry } from '../tool-defaults';
import type { ToolDefinition } from '../types';
import { employeeLookupSchema, systemLookupSchema, type EmployeeLookup, type SystemLookup } from './schema';

const employeeRecord = employeeLookupSchema.options[1].omit({ found: true });
const systemRecord = systemLookupSchema.options[1].omit({ found: true });

/** Reads an employee (department, manager group) from IAM. */
export const lookUpEmployee: ToolDefinition<{ employeeId: string }, EmployeeLookup, 'read'> = {
  name: 'lookUpEmployee',
  description: 'Reads an employee, their department and manager group from IAM',
  input: z.object({ employeeId: z.string().min(1) }),
  output: employeeLookupSchema,
  effect: 'read',
  timeoutMs: 10_000,
  retry: readRetry,
  async run({ systems, signal }, { employeeId }) {
    const body = await systems.request<unknown>('GET', `/iam/employees/${encodeURIComponent(employeeId)}`, { notFoundAsNull: true, signal });
    if (body === null) return { found: false };
    return { found: true, ...employeeRecord.parse(body) };
  },
};

/** Reads a system and the departments allowed per role from IAM. */
export const lookUpSystem: ToolDefinition<{ system: string }, SystemLookup, 'read'> = {
  name: 'lookUpSystem',
  description: 'Reads an internal system and its roles from IAM',
  input: z.object({ system: z.string().min(1) }),
  output: systemLookupSchema,
  effect: 'read',
  timeoutMs: 10_000,
  retry: readRetry,
  async run({ systems, signal }, { system }) {
    const body = await systems.request<unknown>('GET', `/iam/systems/${encodeURIComponent(system)}`, { notFoundAsNull: true, signal });
    if (body === null) return { found: false };
    return { found: true, ...systemRecord.parse(body) };
  },
};

const grantInput = z.object({ employeeId: z.string().min(1), system: z.string().min(1), role: z.string().min(1), durationDays: z.number().int().positive() });
const grantOutput = z.object({ grantId: z.string(), employeeId: z.string(), system: z.string(), role: z.string(), expiresAt: z.string() });

/** Grants a role on a system; IAM re-checks the department rule itself. */
export const grantAccess: ToolDefinition<z.infer<typeof grantInput>, z.infer<typeof grantOutput>, 'write'> = {
  name: 'grantAccess',
  description: 'Grants an employee a role on an internal system',
  input: grantInput,
  output: grantOutput,
  effect: 'write',
  timeoutMs: 15_000,
  retry: writeRetry,
  async run({ systems, idempotencyKey, signal }, input) {
    return grantOutput.parse(await systems.request('POST', '/iam/grants', { body: input, idempotencyKey, signal }));
  },
};

const revokeInput = z.object({ grantId: z.string().min(1), employeeId: z.string().min(1), system: z.string().min(1), role: z.string().min(1) });
const revokeOutput = z.object({ grantId: z.string(), employeeId: z.string(), system: z.string(), role: z.string(), revokedAt: z.string() });

/**
 * Revokes exactly one grant, by the id `grantAccess` returned (the follow-up when its duration
 * ends); IAM checks it is the grant of this employee, system and role. Other grants of the same
 * role keep their own expiry.
 */
export const revokeAccess: ToolDefinition<z.infer<typeof revokeInput>, z.infer<typeof revokeOutput>, 'write'> = {
  name: 'revokeAccess',
  description: 'Revokes one access grant of an employee, by grant id',
  input: revokeInput,
  output: revokeOutput,
  effect: 'write',
  timeoutMs: 15_000,
  // Access that outlives its approval is a security problem: keep trying.
  retry: { ...writeRetry, maximumAttempts: 50 },
  async run({ systems, idempotencyKey, signal }, { grantId, ...target }) {
    return revokeOutput.parse(await systems.request('POST', `/iam/grants/${encodeURIComponent(grantId)}/revocation`, { body: target, idempotencyKey, signal }));
  },
};
