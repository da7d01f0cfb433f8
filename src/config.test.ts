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

  test('local and hybrid run the model of npm run model:install unless LLM_MODEL_PATH names another; extraction stays on the main queue by default', () => {
    const c = loadConfig({ LLM_PROVIDER: 'hybrid' });
    expect(c.llm.provider).toBe('hybrid');
    expect(c.llm.local).toEqual({ modelPath: expect.stringMatching(/\/\.tools\/models\/gemma-3-270m-q4_k_m\.gguf$/), concurrency: 2, threads: 1, contextSize: 4096, prompt: 'staged' });
    expect(c.temporal.extractionTaskQueue).toBeUndefined();
    const custom = loadConfig({ LLM_PROVIDER: 'local', LLM_MODEL_PATH: '/models/qwen-7b.gguf', LLM_LOCAL_PROMPT: 'single', EXTRACTION_TASK_QUEUE: 'problems-extraction' });
    expect(custom.llm.local).toMatchObject({ modelPath: '/models/qwen-7b.gguf', prompt: 'single' });
    expect(custom.temporal.extractionTaskQueue).toBe('problems-extraction');
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
    [{ LLM_LOCAL_CONCURRENCY: '0' }, 'LLM_LOCAL_CONCURRENCY'],
    [{ LLM_LOCAL_THREADS: 'many' }, 'LLM_LOCAL_THREADS'],
    [{ LLM_LOCAL_PROMPT: 'long' }, 'LLM_LOCAL_PROMPT'],
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

describe('command signing keys', () => {
  const seed = (n: number) => Buffer.alloc(32, n).toString('base64');
  const prodKeys = JSON.stringify([{ key: 'production-key-0000000001', principal: 'svc', roles: ['admin'] }]);

  test('production has no signing key and no accepted key unless configured (the processes then refuse to start)', () => {
    const c = loadConfig({ NODE_ENV: 'production', API_KEYS: prodKeys });
    expect(c.commandSigning).toMatchObject({ signingKey: null, verifyKeys: [], usingDevKey: false });
  });

  test('rotation: several keys accepted, the current one signs; verify keys default to their public halves', () => {
    const c = loadConfig({ COMMAND_SIGNING_KEYS: JSON.stringify([{ id: 'old', privateKey: seed(1) }, { id: 'new', privateKey: seed(2) }]), COMMAND_SIGNING_KEY_ID: 'new' });
    expect(c.commandSigning.signingKey?.id).toBe('new');
    expect(c.commandSigning.verifyKeys.map((k) => k.id)).toEqual(['old', 'new']);
    expect(c.commandSigning.verifyKeys[0]!.publicKey).toMatch(/^[0-9a-f]{64}$/);
  });

  test.each([
    ['two keys and no current id', { COMMAND_SIGNING_KEYS: JSON.stringify([{ id: 'a', privateKey: seed(1) }, { id: 'b', privateKey: seed(2) }]) }, /COMMAND_SIGNING_KEY_ID is required/],
    ['a current id that is not a key', { COMMAND_SIGNING_KEYS: JSON.stringify([{ id: 'a', privateKey: seed(1) }]), COMMAND_SIGNING_KEY_ID: 'b' }, /"b" is not in COMMAND_SIGNING_KEYS/],
    ['duplicate ids', { COMMAND_SIGNING_KEYS: JSON.stringify([{ id: 'a', privateKey: seed(1) }, { id: 'a', privateKey: seed(2) }]) }, /must be unique/],
    ['a seed of the wrong size', { COMMAND_SIGNING_KEYS: JSON.stringify([{ id: 'a', privateKey: 'c2hvcnQ=' }]) }, /base64 of 32 bytes/],
  ])('refuses %s', (_, env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
