import { Context } from '@temporalio/activity';
import type { ExtractionInput, ExtractionResult } from '../src/domain/extraction';
import { planVerification } from '../src/domain/verification-plan';
import { runExtraction, type ExtractDeps } from '../src/llm/extraction-loop';
import { meteredProvider, submitterOfCurrentProblem } from '../src/limits/metered-llm';
import type { PrincipalTokenBudget } from '../src/limits/principal-token-budget';

export type { ExtractDeps } from '../src/llm/extraction-loop';

/**
 * Extraction at the trust boundary, as a Temporal activity: heartbeats while the model works
 * and aborts the call when the activity is cancelled. Claims of a known type come back with
 * their first verification stage planned (validated again by the type's schema), saving the
 * workflow a local activity.
 */
export async function extractProblem(deps: ExtractDeps & { principalTokens?: PrincipalTokenBudget }, input: ExtractionInput): Promise<ExtractionResult> {
  const ctx = Context.current();
  const llm = deps.principalTokens ? meteredProvider(deps.llm, deps.principalTokens, await submitterOfCurrentProblem()) : deps.llm;
  const result = await runExtraction({ ...deps, llm }, input, { heartbeat: () => ctx.heartbeat(), signal: ctx.cancellationSignal });
  if (result.kind !== 'problem') return result;
  const plan = planVerification(deps.catalog, { type: result.type, claims: result.claims, facts: {} });
  return plan.kind === 'lookups' ? { ...result, plan } : result;
}
