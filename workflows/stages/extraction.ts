/**
 * Extraction stage: the submitter's texts become a validated request of one registered type, or a
 * question; a question waits (durable timer) for the submitter's signed answer, and extraction
 * runs again on all the texts.
 */
import { condition, setHandler } from '@temporalio/workflow';
import type { ExtractionResult } from '../../src/domain/extraction';
import type { Decision } from '../../src/domain/types';
import { extractProblem } from '../activities';
import { submitClarificationUpdate, UpdateRejection, type ClarificationInput, type ProblemInput } from '../definitions';
import { reasonOf, rejection } from '../failures';
import type { ProblemState } from '../state';
import type { CommandGuard } from './signed-commands';

const MAX_TEXT_CHARS = 4000;

/** Runs extraction round `round` over every text so far; its usage is added to the problem's. */
export async function extract(input: ProblemInput, state: ProblemState, texts: string[], round: number): Promise<ExtractionResult | { failed: string }> {
  let extraction: ExtractionResult;
  try {
    const summary = round === 0 ? 'Extract structured request' : `Re-extract after clarification ${round}`;
    extraction = await extractProblem.executeWithOptions({ summary, ...(input.extractionTaskQueue ? { taskQueue: input.extractionTaskQueue } : {}) }, [{ problemId: input.problemId, texts, tokensUsedSoFar: state.usage.promptTokens + state.usage.completionTokens }]);
  } catch (err) {
    return { failed: reasonOf(err, 'extraction_failed').reasonCode };
  }
  state.usage.llmCalls += extraction.usage.calls;
  state.usage.promptTokens += extraction.usage.promptTokens;
  state.usage.completionTokens += extraction.usage.completionTokens;
  return extraction;
}

/** The question an extraction that could not fill the request asks. */
export function clarifyDecisionOf(extraction: Extract<ExtractionResult, { kind: 'clarify' }>): Extract<Decision, { kind: 'clarify' }> {
  return { kind: 'clarify', action: 'clarify', reasonCode: extraction.reasonCode, ruleId: 'EXTRACTION', question: extraction.question, missingFields: extraction.missingFields };
}

/** The submitter's answers to clarification questions: installs the `submitClarification` update. */
export function clarificationInbox(input: ProblemInput, state: ProblemState, guard: CommandGuard): { awaitAnswer(timeoutMs: number): Promise<string | null> } {
  let pending: string | null = null;
  setHandler(
    submitClarificationUpdate,
    (answer: ClarificationInput) => {
      pending = answer.text.trim();
      return state;
    },
    {
      validator: (answer: ClarificationInput) => {
        // Before the signature, as for approvals: a problem that never waited has no keys to check it with.
        if (state.status !== 'needs_clarification' || pending !== null || answer.round !== state.clarification?.round) {
          throw rejection(UpdateRejection.notAwaitingClarification, `problem is ${state.status}, not waiting for this clarification`);
        }
        guard.assertSigned('clarification', answer);
        if (answer.principal !== input.submittedBy) throw rejection(UpdateRejection.notSubmitter, 'only the submitter can clarify a problem');
        const text = answer.text.trim();
        if (text.length === 0 || text.length > MAX_TEXT_CHARS) throw rejection(UpdateRejection.invalidText, `text must be 1..${MAX_TEXT_CHARS} characters`);
      },
    },
  );
  return {
    /** Waits for the answer with a durable timer; `null` when the deadline passed. */
    async awaitAnswer(timeoutMs) {
      const answered = await condition(() => pending !== null, timeoutMs, { summary: 'Clarification answer deadline' });
      if (!answered) return null;
      const answer = pending!;
      pending = null;
      return answer;
    },
  };
}
