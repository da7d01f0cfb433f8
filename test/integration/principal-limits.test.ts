import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { tokenStanding, chargeTokens, type PrincipalTokenBudget } from '../../src/limits/principal-token-budget';
import { openTokenLedger } from '../../src/limits/token-ledger';
import { catalog } from '../../src/domain/registry';
import type { LlmProvider } from '../../src/llm/provider';
import { createRulesProvider } from '../../src/llm/rules-provider';
import { FINAL_STATUSES, keys, startHarness, submit, waitForStatus, type Harness } from '../support/harness';

/**
 * The daily LLM token allowance per principal, end to end: the worker charges every model call to
 * the submitter's ledger and checks it before each call; the API refuses submissions once it is
 * spent. Both read one ledger, as API and worker processes do in production.
 */
const PER_CALL = 600;
const rules = createRulesProvider(catalog);
/** The offline rules, billed as a model would be: 600 tokens a call. */
const costly: LlmProvider = {
  name: 'costly-rules',
  model: 'rules-600',
  async extract(request) {
    const answer = await rules.extract(request);
    return { ...answer, usage: { ...answer.usage, calls: 1, promptTokens: PER_CALL - 100, completionTokens: 100 } };
  },
};

let h: Harness;
let budget: PrincipalTokenBudget;
beforeAll(async () => {
  budget = { ledger: openTokenLedger(path.join(process.env.TEST_TMP_DIR ?? '/tmp', `limits-${randomUUID()}.db`)), perDay: 1000 };
  h = await startHarness({ llm: costly, principalTokens: budget });
});
afterAll(async () => {
  await h?.stop();
  budget?.ledger.close();
});

const text = (n: number) => `Account ACC-1001 invoice INV-2001: the installation line is wrong, please refund Rs ${n}`;

test('the worker charges each model call to the submitter; once the day is spent the API answers 429 with Retry-After', async () => {
  for (const n of [11, 12]) {
    const res = await submit(h.app, keys.dave, { text: text(n) });
    expect(res.statusCode).toBe(202);
    await waitForStatus(h.app, keys.dave, res.json().id, FINAL_STATUSES);
  }
  // The second call was allowed (600 < 1000 before it) and charged: the day's budget is now overspent by at most one call.
  expect(tokenStanding(budget, 'dave')).toMatchObject({ used: 2 * PER_CALL, exhausted: true });
  const refused = await submit(h.app, keys.dave, { text: text(13) });
  expect(refused.statusCode).toBe(429);
  expect(refused.json()).toMatchObject({ error: { code: 'llm_daily_token_limit_exceeded' } });
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(86_400);
  // Another principal has a budget of its own.
  expect((await submit(h.app, keys.carol, { text: text(14) })).statusCode).toBe(202);
});

test('a problem accepted while budget remained is refused before its model call once the budget is spent elsewhere', async () => {
  await h.stopWorker();
  const res = await submit(h.app, keys.alice, { text: text(15) });
  expect(res.statusCode).toBe(202);
  // Another worker (or API replica) spends alice's day in the meantime.
  chargeTokens(budget, 'alice', 1000);
  await h.startWorker();
  const done = await waitForStatus(h.app, keys.alice, res.json().id, FINAL_STATUSES);
  expect(done.status).toBe('failed');
  expect(done.outcome).toMatchObject({ reasonCode: 'llm_daily_token_limit_exceeded' });
  // No model call was made, so nothing more was charged.
  expect(tokenStanding(budget, 'alice').used).toBe(1000);
});
