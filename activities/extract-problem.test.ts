import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { ExtractionInput, ExtractionResult } from '../src/domain/extraction';
import { catalog } from '../src/domain/registry';
import { LlmRefusalError } from '../src/llm/errors';
import type { LlmProvider, ProviderAnswer } from '../src/llm/provider';
import { extractProblem } from './extract-problem';

/** A provider that answers from a script and records what it was asked. */
function scripted(answers: (unknown | Error)[], tokens = { prompt: 100, completion: 10 }) {
  const calls: Parameters<LlmProvider['extract']>[0][] = [];
  const llm: LlmProvider = {
    name: 'openai',
    model: 'scripted',
    async extract(request): Promise<ProviderAnswer> {
      calls.push(request);
      const next = answers[Math.min(calls.length - 1, answers.length - 1)];
      if (next instanceof Error) throw next;
      const rawText = typeof next === 'string' ? next : JSON.stringify(next);
      let candidate: unknown;
      try {
        candidate = JSON.parse(rawText);
      } catch {
        candidate = undefined;
      }
      return { candidate, rawText, usage: { model: 'scripted-1', calls: 1, promptTokens: tokens.prompt, completionTokens: tokens.completion, latencyMs: 5 } };
    },
  };
  return { llm, calls };
}

const valid = { type: 'billing_dispute', confidence: 0.9, issueCount: 1, entities: { accountId: 'ACC-1001', invoiceId: 'INV-2001', amount: 999, currency: null, reason: null } };
const input = (texts: string[], tokensUsedSoFar = 0): ExtractionInput => ({ problemId: 'p1', texts, tokensUsedSoFar });
const run = (llm: LlmProvider, i: ExtractionInput, opts: { repairAttempts?: number; tokenBudget?: number } = {}) =>
  new MockActivityEnvironment().run(extractProblem, { catalog, llm, repairAttempts: opts.repairAttempts ?? 1, tokenBudget: opts.tokenBudget ?? 20_000 }, i) as Promise<ExtractionResult>;

describe('extractProblem activity', () => {
  test('a valid answer costs one model call and returns claims with usage', async () => {
    const { llm, calls } = scripted([valid]);
    const result = await run(llm, input(['charged twice']));
    expect(result).toMatchObject({ kind: 'problem', type: 'billing_dispute', claims: { amount: 999, currency: 'INR' } });
    expect(result.usage).toEqual({ provider: 'openai', model: 'scripted-1', calls: 1, repairAttempts: 0, promptTokens: 100, completionTokens: 10, latencyMs: 5 });
    expect(calls).toHaveLength(1);
  });

  test("the claims come back with their first verification stage planned by the type's rules, and whether it is the last", async () => {
    const result = await run(scripted([valid]).llm, input(['charged twice']));
    expect(result).toMatchObject({
      kind: 'problem',
      plan: { kind: 'lookups', claims: { invoiceId: 'INV-2001' }, last: true, lookups: { invoice: { tool: 'lookUpInvoice', input: { invoiceId: 'INV-2001' }, run: { timeoutMs: expect.any(Number) } } } },
    });
  });

  test('one invalid answer gets one repair turn carrying the errors; a valid repair is used', async () => {
    const { llm, calls } = scripted(['{"type": "billing_dispute", ', valid]);
    const result = await run(llm, input(['charged twice']));
    expect(result.kind).toBe('problem');
    expect(result.usage).toMatchObject({ calls: 2, repairAttempts: 1, promptTokens: 200 });
    expect(calls[1]!.repair).toEqual({ previousOutput: '{"type": "billing_dispute", ', errors: ['answer is not valid JSON'] });
  });

  test.each([0, 1, 2])('with %i repair attempts, invalid output ends as extraction_invalid after exactly that many repairs', async (repairAttempts) => {
    const { llm, calls } = scripted([{ ...valid, entities: { ...valid.entities, amount: -5 } }]);
    const result = await run(llm, input(['charged twice']), { repairAttempts });
    expect(result).toMatchObject({ kind: 'clarify', reasonCode: 'extraction_invalid', missingFields: [] });
    expect(result).not.toHaveProperty('claims');
    expect(calls).toHaveLength(repairAttempts + 1);
  });

  test.each([
    ['empty after trimming', '   \n\t '],
    ['only emoji', '😡😡😡 🔥🔥 🙏'],
    ['only punctuation', '?!?!... ---'],
  ])('text that is %s is empty_text without a model call', async (_label, text) => {
    const { llm, calls } = scripted([valid]);
    expect(await run(llm, input([text]))).toMatchObject({ kind: 'clarify', reasonCode: 'empty_text', usage: { calls: 0 } });
    expect(calls).toHaveLength(0);
  });

  test('texts are trimmed and truncated to 4000 characters before the provider sees them', async () => {
    const { llm, calls } = scripted([valid]);
    await run(llm, input([`  ${'a'.repeat(5000)}  `]));
    expect(calls[0]!.texts[0]).toHaveLength(4000);
  });

  test('exceeding the token budget fails with TokenBudgetExceeded / token_budget_exceeded', async () => {
    const { llm } = scripted([valid], { prompt: 900, completion: 200 });
    const err = await run(llm, input(['charged twice'], 4000), { tokenBudget: 5000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'TokenBudgetExceeded', nonRetryable: true });
    expect((err as ApplicationFailure).details?.[0]).toMatchObject({ reasonCode: 'token_budget_exceeded' });
  });

  test('a refusal is a non-retryable LlmRefusal failure', async () => {
    const { llm } = scripted([new LlmRefusalError('refusal', 'scripted')]);
    const err = await run(llm, input(['something'])).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'LlmRefusal', nonRetryable: true });
  });
});

describe('extractProblem cancellation', () => {
  test('a cancelled activity aborts the model call and rethrows the CancelledFailure, not a retryable LLM error', async () => {
    let seen: AbortSignal | undefined;
    const llm: LlmProvider = {
      name: 'openai',
      model: 'slow',
      extract: ({ signal }) => {
        seen = signal;
        return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('Request was aborted.'))));
      },
    };
    const env = new MockActivityEnvironment();
    const running = env.run(extractProblem, { catalog, llm, repairAttempts: 1, tokenBudget: 20_000 }, input(['slow text']));
    await new Promise((r) => setTimeout(r, 20));
    env.cancel();
    const err = await running.catch((e: unknown) => e);
    expect(seen?.aborted).toBe(true);
    expect(err).toBeInstanceOf(CancelledFailure);
  });
});
