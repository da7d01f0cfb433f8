import { Context } from '@temporalio/activity';
import type { ExtractionInput, ExtractionResult } from '../src/domain/extraction';
import { runExtraction, type ExtractDeps } from '../src/llm/extraction-loop';

export type { ExtractDeps } from '../src/llm/extraction-loop';

/**
 * Extraction at the trust boundary, as a Temporal activity: heartbeats while the model works
 * and aborts the call when the activity is cancelled.
 */
export async function extractProblem(deps: ExtractDeps, input: ExtractionInput): Promise<ExtractionResult> {
  const ctx = Context.current();
  return runExtraction(deps, input, { heartbeat: () => ctx.heartbeat(), signal: ctx.cancellationSignal });
}
