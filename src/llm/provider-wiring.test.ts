import { ConfigError, loadConfig } from '../config';
import { catalog } from '../domain/registry';
import { createLogger } from '../logger';
import { activityDepsFromConfig, createLlmProvider } from '../temporal/activity-deps';
import { startFakeOpenAiServer, type FakeOpenAiServer } from './testing/fake-openai-server';

let fake: FakeOpenAiServer;
beforeAll(async () => {
  fake = await startFakeOpenAiServer();
});
afterAll(async () => fake.close());

const answer = { type: 'plan_change', confidence: 0.9, issueCount: 1, entities: { accountId: 'ACC-1001', targetPlan: 'FIBER-300', effectiveDate: null } };

describe('LLM provider wiring from configuration', () => {
  test('LLM_FALLBACKS become ordered failover endpoints, each with the key from the variable it names', async () => {
    const config = loadConfig({
      LLM_PROVIDER: 'openai',
      OPENAI_BASE_URL: fake.url,
      OPENAI_API_KEY: 'primary-key',
      LLM_MODEL: 'wired-primary',
      LLM_FALLBACKS: JSON.stringify([{ model: 'wired-secondary', apiKeyEnv: 'SECONDARY_LLM_KEY', timeoutMs: 2000 }]),
      SECONDARY_LLM_KEY: 'secondary-key',
    });
    fake.on((r) => r.model === 'wired-primary', { kind: 'status', status: 502 });
    fake.on((r) => r.model === 'wired-secondary', { kind: 'json', answer });
    const result = await createLlmProvider(config, catalog).extract({ texts: ['[wiring] upgrade ACC-1001 to FIBER-300'] });
    expect(result.usage.model).toBe('wired-secondary');
    expect(fake.requestsFor('[wiring]').map((r) => [r.model, r.apiKey])).toEqual([
      ['wired-primary', 'primary-key'],
      ['wired-secondary', 'secondary-key'],
    ]);
  });

  test('LLM_TOKEN_BUDGET reaches the activity dependencies (default 20000)', () => {
    expect(activityDepsFromConfig(loadConfig({ LLM_TOKEN_BUDGET: '777' }), createLogger({ level: 'silent', name: 'test' })).tokenBudget).toBe(777);
    expect(loadConfig({}).llm.tokenBudget).toBe(20_000);
  });

  test.each([
    ['not JSON', 'model=x'],
    ['an entry without a model', '[{"baseURL":"http://127.0.0.1:1/v1"}]'],
    ['an unknown key', '[{"model":"x","apiKey":"inline-secret"}]'],
  ])('LLM_FALLBACKS that is %s is refused at start-up', (_label, value) => {
    expect(() => loadConfig({ LLM_FALLBACKS: value })).toThrow(ConfigError);
  });

  test('a non-positive LLM_TOKEN_BUDGET is refused at start-up', () => {
    expect(() => loadConfig({ LLM_TOKEN_BUDGET: '0' })).toThrow(/LLM_TOKEN_BUDGET/);
  });
});
