import { assertApiConfig, ConfigError, DEV_API_KEYS, loadConfig } from './config';

describe('loadConfig', () => {
  test('defaults match the contract', () => {
    const c = loadConfig({});
    expect(c.http).toMatchObject({ host: '127.0.0.1', port: 3000 });
    expect(c.temporal).toMatchObject({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'problems', uiPort: 8233 });
    expect(c.llm.provider).toBe('rules');
    expect(c.apiKeys).toEqual(DEV_API_KEYS);
    expect(c.usingDevKeys).toBe(true);
  });

  test('empty variables mean "use the default"', () => {
    expect(loadConfig({ PORT: '', OPENAI_BASE_URL: '' }).http.port).toBe(3000);
  });

  test('API_KEYS is parsed and validated', () => {
    const c = loadConfig({ API_KEYS: JSON.stringify([{ key: 'k'.repeat(20), principal: 'p', roles: ['approver'] }]) });
    expect(c.apiKeys).toEqual([{ key: 'k'.repeat(20), principal: 'p', roles: ['approver'], groups: [] }]);
    expect(c.usingDevKeys).toBe(false);
  });

  test.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ LLM_PROVIDER: 'magic' }, 'LLM_PROVIDER'],
    [{ API_KEYS: 'not json' }, 'API_KEYS'],
    [{ API_KEYS: '[{"key":"short","principal":"p","roles":["submitter"]}]' }, 'API_KEYS'],
    [{ API_KEYS: '[{"key":"long-enough-key-123","principal":"p","roles":["root"]}]' }, 'API_KEYS'],
    [{ SYSTEMS_URL: 'not a url' }, 'SYSTEMS_URL'],
    [{ LLM_PROVIDER: 'openai' }, 'LLM_PROVIDER=openai'],
    [{ NODE_ENV: 'production' }, 'API_KEYS is required'],
  ])('refuses %j, naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });

  test('the API needs a CURSOR_SECRET in production (replicas share it); elsewhere one is generated per process', () => {
    const keys = JSON.stringify([{ key: 'k'.repeat(20), principal: 'p', roles: ['approver'] }]);
    expect(() => assertApiConfig(loadConfig({ NODE_ENV: 'production', API_KEYS: keys }))).toThrow(/CURSOR_SECRET is required/);
    expect(() => assertApiConfig(loadConfig({ NODE_ENV: 'production', API_KEYS: keys, CURSOR_SECRET: 'c'.repeat(32) }))).not.toThrow();
    expect(() => loadConfig({ CURSOR_SECRET: 'short' })).toThrow(/CURSOR_SECRET must be at least 32/);
    const [one, two] = [loadConfig({}), loadConfig({})];
    expect(one.http.cursorSecret).not.toBe(two.http.cursorSecret);
    expect(() => assertApiConfig(one)).not.toThrow();
  });
});
