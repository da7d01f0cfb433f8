import { z } from 'zod';
import type { Catalog } from './registry';
import type { ApprovalTiming } from './types';

const HOUR = 3_600_000;

const approvalTimingSchema = z.object({
  remindAfterMs: z.number().int().positive(),
  escalateAfterMs: z.number().int().positive(),
  expireAfterMs: z.number().int().positive(),
  escalationGroup: z.string().min(1),
}).refine((t) => t.remindAfterMs <= t.escalateAfterMs && t.escalateAfterMs <= t.expireAfterMs, {
  message: 'approval timers must be ordered remind <= escalate <= expire',
});

/** Default approval timing: remind at 24 h, escalate to admins at 48 h, auto-reject at 7 days. */
export const defaultApprovalTiming: ApprovalTiming = {
  remindAfterMs: 24 * HOUR,
  escalateAfterMs: 48 * HOUR,
  expireAfterMs: 7 * 24 * HOUR,
  escalationGroup: 'admins',
};

/** The policy file (`POLICY_FILE`, JSON): a version plus per-type sections, each validated by its type. */
export const policyFileSchema = z.object({
  version: z.string().min(1),
  approvalTiming: approvalTimingSchema.optional(),
  clarificationRounds: z.number().int().min(0).max(10).optional(),
  clarificationTimeoutMs: z.number().int().positive().optional(),
  types: z.record(z.string(), z.unknown()).default({}),
});
/** Raw policy file contents. */
export type PolicyFile = z.input<typeof policyFileSchema>;

/** The policy a workflow decides with; loaded by an activity so it is recorded in history. */
export interface ResolvedPolicy {
  version: string;
  approvalTiming: ApprovalTiming;
  clarificationRounds: number;
  clarificationTimeoutMs: number;
  /** Each registered type's policy section, validated by that type's schema. */
  types: Record<string, unknown>;
}

export const DEFAULT_POLICY_VERSION = 'default-2026-11-01';

/**
 * Validates a policy file against the catalog: unknown type sections and invalid thresholds
 * are errors, missing sections fall back to the type's default policy.
 */
export function resolvePolicy(catalog: Catalog, file: PolicyFile = { version: DEFAULT_POLICY_VERSION }): ResolvedPolicy {
  const parsed = policyFileSchema.parse(file);
  const types: Record<string, unknown> = {};
  for (const name of Object.keys(parsed.types)) {
    if (!catalog.get(name)) throw new Error(`policy file names unknown problem type "${name}"`);
  }
  for (const type of catalog.types) {
    const section = parsed.types[type.name];
    types[type.name] = section === undefined ? type.defaultPolicy : type.policy.parse(section);
  }
  return {
    version: parsed.version,
    approvalTiming: parsed.approvalTiming ?? defaultApprovalTiming,
    clarificationRounds: parsed.clarificationRounds ?? 3,
    clarificationTimeoutMs: parsed.clarificationTimeoutMs ?? 7 * 24 * HOUR,
    types,
  };
}
