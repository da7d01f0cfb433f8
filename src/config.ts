import path from 'node:path';
import { z } from 'zod';

/** One API key and the principal it authenticates. */
export const apiKeyEntrySchema = z.object({
  key: z.string().min(16, 'API keys must be at least 16 characters'),
  principal: z.string().min(1),
  roles: z.array(z.enum(['submitter', 'approver', 'admin'])).min(1),
  /** Approver groups (e.g. `eng-managers`), used by per-type approval policies. */
  groups: z.array(z.string()).default([]),
});
export type ApiKeyEntry = z.infer<typeof apiKeyEntrySchema>;

/** Keys printed at start in development; never used when `API_KEYS` is set. */
export const DEV_API_KEYS: ApiKeyEntry[] = [
  { key: 'dev-submitter-key-0001', principal: 'alice', roles: ['submitter'], groups: [] },
  { key: 'dev-submitter-key-0002', principal: 'dave', roles: ['submitter'], groups: [] },
  { key: 'dev-approver-key-0001', principal: 'bob', roles: ['submitter', 'approver'], groups: ['billing-approvers', 'eng-managers'] },
  { key: 'dev-approver-key-0002', principal: 'carol', roles: ['submitter', 'approver'], groups: ['billing-approvers', 'fin-managers'] },
  { key: 'dev-admin-key-000001', principal: 'erin', roles: ['submitter', 'approver', 'admin'], groups: ['admins'] },
];

const jsonArray = <T extends z.ZodType>(item: T) =>
  z.string().transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be valid JSON' });
      return z.NEVER;
    }
  }).pipe(z.array(item));

const port = z.coerce.number().int().min(0).max(65535);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().default('127.0.0.1'),
  PORT: port.default(3000),
  DATA_DIR: z.string().default('.data'),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('problems'),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_TLS_CERT_PATH: z.string().optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().optional(),
  SYSTEMS_URL: z.url().default('http://127.0.0.1:3100'),
  SYSTEMS_PORT: port.default(3100),
  LLM_PROVIDER: z.enum(['rules', 'openai']).default('rules'),
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().default('gpt-4o-mini'),
  LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  LLM_STRUCTURED_OUTPUT: z.enum(['json_schema', 'json_object']).default('json_schema'),
  LLM_REPAIR_ATTEMPTS: z.coerce.number().int().min(0).max(3).default(1),
  API_KEYS: jsonArray(apiKeyEntrySchema).optional(),
  POLICY_FILE: z.string().optional(),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().positive().default(100),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().positive().default(40),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().positive().default(1000),
  WORKFLOW_BUNDLE_PATH: z.string().optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
});

/** Typed configuration, parsed once at start-up from the environment. */
export type Config = ReturnType<typeof loadConfig>;

/** Raised when the environment is invalid; the message lists every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses and validates the environment. Throws {@link ConfigError} naming each invalid
 * variable, so a process refuses to start instead of failing later.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  // An empty variable (`FOO=` in a .env file) means "use the default".
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.LLM_PROVIDER === 'openai' && !e.OPENAI_API_KEY && !e.OPENAI_BASE_URL) {
    throw new ConfigError('Invalid configuration:\n  LLM_PROVIDER=openai needs OPENAI_API_KEY or OPENAI_BASE_URL');
  }
  if (e.NODE_ENV === 'production' && !e.API_KEYS) {
    throw new ConfigError('Invalid configuration:\n  API_KEYS is required when NODE_ENV=production');
  }
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    http: { host: e.HOST, port: e.PORT, rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE },
    dataDir,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      uiPort: e.TEMPORAL_UI_PORT,
      apiKey: e.TEMPORAL_API_KEY,
      tls: e.TEMPORAL_TLS_CERT_PATH && e.TEMPORAL_TLS_KEY_PATH
        ? { certPath: e.TEMPORAL_TLS_CERT_PATH, keyPath: e.TEMPORAL_TLS_KEY_PATH }
        : undefined,
    },
    systems: { url: e.SYSTEMS_URL, port: e.SYSTEMS_PORT, dbFile: path.join(dataDir, 'systems.db') },
    llm: {
      provider: e.LLM_PROVIDER,
      baseURL: e.OPENAI_BASE_URL,
      apiKey: e.OPENAI_API_KEY,
      model: e.LLM_MODEL,
      timeoutMs: e.LLM_TIMEOUT_MS,
      structuredOutput: e.LLM_STRUCTURED_OUTPUT,
      repairAttempts: e.LLM_REPAIR_ATTEMPTS,
    },
    apiKeys: e.API_KEYS ?? DEV_API_KEYS,
    usingDevKeys: !e.API_KEYS,
    policyFile: e.POLICY_FILE,
    worker: {
      maxConcurrentActivityTaskExecutions: e.WORKER_MAX_CONCURRENT_ACTIVITIES,
      maxConcurrentWorkflowTaskExecutions: e.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
      /** Prebuilt workflow bundle (`npm run bundle:workflows`); bundled at start-up when absent. */
      workflowBundlePath: e.WORKFLOW_BUNDLE_PATH,
    },
  };
}
