/**
 * The rules as problems started before recorded decisions ran them: in the sandbox, from the
 * catalog. Only their histories take this path, so the catalog (and its zod schemas) is loaded
 * on first use here instead of with the bundle: problems started by this build never load it.
 */
import type { Catalog } from '../src/domain/registry';
import { runDecision } from '../src/domain/recorded-decision';
import { planVerification, runOptionsOf } from '../src/domain/verification-plan';
import type { Rules } from './rules';

/** Rules for a history recorded before the `recorded-decisions` patch; `scopeChecked` as it was then. */
export function legacyRules(scopeChecked: boolean): Rules {
  // A deferred require: webpack evaluates the module on this call, not when the bundle loads.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { catalog } = require('../src/domain/registry') as { catalog: Catalog };
  return {
    plan: async (request) => planVerification(catalog, request),
    decide: async (input) => runDecision(catalog, scopeChecked ? input : { ...input, scope: {} }, 'legacy'),
    runOptions: (call) => runOptionsOf(catalog, call.tool),
  };
}
