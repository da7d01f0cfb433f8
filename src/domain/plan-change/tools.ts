import { z } from 'zod';
import { isoDateSchema } from '../dates';
import { readRetry, writeRetry } from '../tool-defaults';
import type { ToolDefinition } from '../types';
import { planLookupSchema, type PlanLookup } from './schema';

const planRecord = planLookupSchema.options[1].omit({ found: true });

/** Reads a plan from the catalog; an unknown plan is a fact, not an error. */
export const lookUpPlan: ToolDefinition<{ planId: string }, PlanLookup, 'read'> = {
  name: 'lookUpPlan',
  description: 'Reads a plan (service, monthly fee, whether it is sold) from the plan catalog',
  input: z.object({ planId: z.string().min(1) }),
  output: planLookupSchema,
  effect: 'read',
  timeoutMs: 10_000,
  retry: readRetry,
  async run({ systems, signal }, { planId }) {
    const body = await systems.request<unknown>('GET', `/plans/${encodeURIComponent(planId)}`, { notFoundAsNull: true, signal });
    if (body === null) return { found: false };
    return { found: true, ...planRecord.parse(body) };
  },
};

const changeInput = z.object({ accountId: z.string().min(1), fromPlan: z.string().min(1), toPlan: z.string().min(1), effectiveDate: isoDateSchema });
const changeOutput = z.object({ changeId: z.string(), accountId: z.string(), fromPlan: z.string(), toPlan: z.string(), effectiveDate: z.string() });

/** Moves an account from one plan to another; refused (409) when the account is no longer on `fromPlan`. */
export const changePlan: ToolDefinition<z.infer<typeof changeInput>, z.infer<typeof changeOutput>, 'write'> = {
  name: 'changePlan',
  description: 'Changes the plan of an account',
  input: changeInput,
  output: changeOutput,
  effect: 'write',
  timeoutMs: 15_000,
  retry: writeRetry,
  async run({ systems, idempotencyKey, signal }, input) {
    return changeOutput.parse(await systems.request('POST', '/plans/changes', { body: input, idempotencyKey, signal }));
  },
};

const revertInput = z.object({ accountId: z.string().min(1), fromPlan: z.string().min(1), toPlan: z.string().min(1) });
const revertOutput = z.object({ accountId: z.string(), plan: z.string(), revertedPlan: z.string() });

/** Compensation of {@link changePlan}: puts the account back on `fromPlan`. */
export const revertPlanChange: ToolDefinition<z.infer<typeof revertInput>, z.infer<typeof revertOutput>, 'write'> = {
  name: 'revertPlanChange',
  description: 'Reverts a plan change (saga compensation)',
  input: revertInput,
  output: revertOutput,
  effect: 'write',
  timeoutMs: 15_000,
  // A compensation must not give up early: it leaves the account half-changed.
  retry: { ...writeRetry, maximumAttempts: 20 },
  async run({ systems, idempotencyKey, signal }, input) {
    return revertOutput.parse(await systems.request('POST', '/plans/reverts', { body: input, idempotencyKey, signal }));
  },
};

const rerateInput = z.object({ accountId: z.string().min(1), plan: z.string().min(1), effectiveDate: isoDateSchema });
const rerateOutput = z.object({ rerateId: z.string(), accountId: z.string(), plan: z.string(), monthlyFee: z.number(), effectiveDate: z.string() });

/** Re-rates billing for the new plan from the effective date. */
export const rerateBilling: ToolDefinition<z.infer<typeof rerateInput>, z.infer<typeof rerateOutput>, 'write'> = {
  name: 'rerateBilling',
  description: 'Re-rates billing of an account for its new plan',
  input: rerateInput,
  output: rerateOutput,
  effect: 'write',
  timeoutMs: 15_000,
  retry: writeRetry,
  async run({ systems, idempotencyKey, signal }, input) {
    return rerateOutput.parse(await systems.request('POST', '/rating/rerates', { body: input, idempotencyKey, signal }));
  },
};
