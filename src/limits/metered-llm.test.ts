import fs from 'node:fs';
import { ApplicationFailure } from '@temporalio/common';
import { runExtraction } from '../llm/extraction-loop';
import type { LlmProvider, ProviderAnswer } from '../llm/provider';
import { catalog } from '../domain/registry';
import { meteredProvider } from './metered-llm';
import { chargeTokens, tokenStanding, utcDay, type PrincipalTokenBudget } from './principal-token-budget';
import { openTokenLedger } from './token-ledger';

const now = new Date('2026-11-30T22:00:00Z');
const budgetOf = (perDay: number): PrincipalTokenBudget => ({ ledger: openTokenLedger(':memory:'), perDay, now: () => now });

/** A model that costs 600 tokens a call and answers `candidate` (or fails with `error`). */
function model(candidate: unknown, error?: Error): LlmProvider & { calls: number } {
  const provider = {
    name: 'fake', model: 'fake-1', calls: 0,
    async extract(): Promise<ProviderAnswer> {
      provider.calls++;
      if (error) throw error;
      return { candidate, rawText: JSON.stringify(candidate), usage: { model: 'fake-1', calls: 1, promptTokens: 500, completionTokens: 100, latencyMs: 1 } };
    },
  };
  return provider;
}

describe('per-principal daily LLM tokens (metered provider)', () => {
  test('checks the budget before each call and charges what each call cost; once spent, no call is made', async () => {
    const budget = budgetOf(1000);
    const llm = model({ type: 'unknown' });
    const metered = meteredProvider(llm, budget, 'dave');
    await metered.extract({ texts: ['a'] });
    await metered.extract({ texts: ['a'] });
    expect(tokenStanding(budget, 'dave')).toMatchObject({ used: 1200, exhausted: true });
    const err = await metered.extract({ texts: ['a'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'PrincipalTokenLimitExceeded', nonRetryable: true, details: [{ reasonCode: 'llm_daily_token_limit_exceeded' }] });
    expect(llm.calls).toBe(2);
    // Another principal and the next day are untouched.
    expect(tokenStanding(budget, 'carol').exhausted).toBe(false);
    expect(budget.ledger.used('dave', '2026-12-01')).toBe(0);
  });

  test('tokens of failed attempts count: invalid answers (repairs) and calls that throw', async () => {
    const budget = budgetOf(100_000);
    // Every answer is invalid: the first call and one repair are both charged.
    await runExtraction({ catalog, llm: meteredProvider(model({ nonsense: true }), budget, 'dave'), repairAttempts: 1, tokenBudget: 20_000 }, { problemId: 'prb_1', texts: ['refund please'], tokensUsedSoFar: 0 });
    expect(budget.ledger.used('dave', utcDay(now))).toBe(1200);
    // A call that fails after sending its prompt is charged an estimate of the prompt (4 characters a token).
    const failing = meteredProvider(model(undefined, new Error('socket hang up')), budget, 'dave');
    await expect(failing.extract({ texts: ['x'.repeat(400)] })).rejects.toThrow('socket hang up');
    expect(budget.ledger.used('dave', utcDay(now))).toBe(1300);
  });

  test('the ledger is shared: what one process charges, another sees (same SQLite file)', () => {
    const file = `${process.env.TMPDIR ?? '/tmp'}/ledger-${process.pid}-${Date.now()}.db`;
    const worker = { ledger: openTokenLedger(file), perDay: 500, now: () => now };
    const api = { ledger: openTokenLedger(file), perDay: 500, now: () => now };
    chargeTokens(worker, 'dave', 499);
    expect(tokenStanding(api, 'dave')).toMatchObject({ used: 499, exhausted: false });
    chargeTokens(worker, 'dave', 1);
    expect(tokenStanding(api, 'dave')).toMatchObject({ exhausted: true, retryAfterSeconds: 7200 });
    worker.ledger.close();
    api.ledger.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
  });
});
