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

/** One reason a policy file is refused: where (`types.billing_dispute.autoCreditMax`) and why. */
export interface PolicyIssue {
  path: string;
  message: string;
}

/** A policy file that passed, resolved, or the reasons it did not. */
export type PolicyCheck = { ok: true; policy: ResolvedPolicy } | { ok: false; issues: PolicyIssue[] };

const pathOf = (prefix: (string | number)[], path: PropertyKey[]) => [...prefix, ...path].map(String).join('.') || '(root)';

/**
 * Validates a policy file against the catalog and resolves it: unknown type sections and invalid
 * thresholds are issues (every one, with its path), missing sections fall back to the type's
 * default policy. The one validation of `POLICY_FILE` and of a candidate policy sent to the API.
 */
export function checkPolicyFile(catalog: Catalog, file: unknown): PolicyCheck {
  const parsed = policyFileSchema.safeParse(file);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((i) => ({ path: pathOf([], i.path), message: i.message })) };
  const issues: PolicyIssue[] = Object.keys(parsed.data.types)
    .filter((name) => !catalog.get(name))
    .map((name) => ({ path: `types.${name}`, message: `policy file names unknown problem type "${name}"` }));
  const types: Record<string, unknown> = {};
  for (const type of catalog.types) {
    const section = parsed.data.types[type.name];
    if (section === undefined) {
      types[type.name] = type.defaultPolicy;
      continue;
    }
    const checked = type.policy.safeParse(section);
    if (checked.success) types[type.name] = checked.data;
    else issues.push(...checked.error.issues.map((i) => ({ path: pathOf(['types', type.name], i.path), message: i.message })));
  }
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    policy: {
      version: parsed.data.version,
      approvalTiming: parsed.data.approvalTiming ?? defaultApprovalTiming,
      clarificationRounds: parsed.data.clarificationRounds ?? 3,
      clarificationTimeoutMs: parsed.data.clarificationTimeoutMs ?? 7 * 24 * HOUR,
      types,
    },
  };
}

/** {@link checkPolicyFile} for start-up: throws with every issue, so a worker with a bad POLICY_FILE refuses to start. */
export function resolvePolicy(catalog: Catalog, file: PolicyFile = { version: DEFAULT_POLICY_VERSION }): ResolvedPolicy {
  const checked = checkPolicyFile(catalog, file);
  if (!checked.ok) throw new Error(`invalid policy file: ${checked.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return checked.policy;
}
