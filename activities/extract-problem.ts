import { Context } from '@temporalio/activity';
import type { ExtractionInput, ExtractionResult } from '../src/domain/extraction';
import { runExtraction, type ExtractDeps } from '../src/llm/extraction-loop';
import { meteredProvider, submitterOfCurrentProblem } from '../src/limits/metered-llm';
import type { PrincipalTokenBudget } from '../src/limits/principal-token-budget';

export type { ExtractDeps } from '../src/llm/extraction-loop';

/**
 * Extraction at the trust boundary, as a Temporal activity: heartbeats while the model works
 * and aborts the call when the activity is cancelled.
 */
export async function extractProblem(deps: ExtractDeps & { principalTokens?: PrincipalTokenBudget }, input: ExtractionInput): Promise<ExtractionResult> {
  const ctx = Context.current();
  const llm = deps.principalTokens ? meteredProvider(deps.llm, deps.principalTokens, await submitterOfCurrentProblem()) : deps.llm;
  return runExtraction({ ...deps, llm }, input, { heartbeat: () => ctx.heartbeat(), signal: ctx.cancellationSignal });
}
