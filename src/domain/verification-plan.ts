import type { Catalog } from './registry';
import type { Facts, ToolCall, ToolRunOptions } from './types';

/** The next verification stage of a problem, as the worker planned it for the workflow. */
export type VerificationPlan =
  | {
      kind: 'lookups';
      /** The claims as the type's schema parsed them (defaults and normalisation applied). */
      claims: Record<string, unknown>;
      /** Lookups to run now, keyed by fact name; empty when every fact is verified. */
      lookups: Record<string, ToolCall & { run: ToolRunOptions }>;
      /**
       * No later stage: once these lookups have run every fact is verified, and the workflow
       * decides without planning again. Absent from plans recorded before it existed.
       */
      last?: boolean;
    }
  /** The extraction named an unknown type or claims its schema refuses: untrusted input stops here. */
  | { kind: 'invalid' };

/** A tool's scheduling options from its definition; throws for a tool no type registered. */
export function runOptionsOf(catalog: Catalog, tool: string): ToolRunOptions {
  const def = catalog.tool(tool);
  if (!def) throw new Error(`unknown tool ${tool}`);
  return { timeoutMs: def.timeoutMs, retry: def.retry };
}

/**
 * Validates the claims with the type's schema and plans the lookups not yet verified. Pure; run
 * by the worker (a local activity), so workflow code never evaluates the catalog's schemas.
 */
export function planVerification(catalog: Catalog, request: { type: string; claims: unknown; facts: Facts }): VerificationPlan {
  const problemType = catalog.get(request.type);
  const claims = problemType?.claims.safeParse(request.claims);
  if (!problemType || !claims?.success) return { kind: 'invalid' };
  const stage = problemType.verify(claims.data, request.facts);
  const planned = Object.entries(stage.lookups).filter(([name]) => !(name in request.facts));
  return {
    kind: 'lookups',
    claims: claims.data,
    lookups: Object.fromEntries(planned.map(([name, call]) => [name, { ...call, run: runOptionsOf(catalog, call.tool) }])),
    last: stage.last || planned.length === 0,
  };
}
