import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { signingKeyFromSeed, verifyKeyOf, type CommandSigningKey } from './security/command-keys';
import type { CommandVerifyKey } from './domain/signed-command';
import { usePrettyLogs } from './logger';
import { sourceBuildId } from './temporal/build-id';

/** One API key and the principal it authenticates. */
export const apiKeyEntrySchema = z.object({
  key: z.string().min(16, 'API keys must be at least 16 characters').optional(),
  /** SHA-256 (hex) of the key, so the configuration need not hold the key itself; exactly one of `key` and `keySha256`. */
  keySha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'keySha256 must be 64 hex digits (sha256sum of the key)').transform((h) => h.toLowerCase()).optional(),
  principal: z.string().min(1),
  roles: z.array(z.enum(['submitter', 'approver', 'admin'])).min(1),
  /** Approver groups (e.g. `eng-managers`), used by per-type approval policies. */
  groups: z.array(z.string()).default([]),
  /** Accounts this principal may act for (e.g. a customer's own); absent = every account, as for support staff. */
  accounts: z.array(z.string().min(1).transform((id) => id.toUpperCase())).min(1).optional(),
  /** The person behind the key (e.g. `EMP-501`): never approves what benefits that person. */
  employeeId: z.string().min(1).transform((id) => id.toUpperCase()).optional(),
}).refine((e) => (e.key === undefined) !== (e.keySha256 === undefined), { message: 'each API key entry needs exactly one of "key" and "keySha256"' });
export type ApiKeyEntry = z.infer<typeof apiKeyEntrySchema>;

/** Keys printed at start in development; never used when `API_KEYS` is set. */
export const DEV_API_KEYS: (ApiKeyEntry & { key: string })[] = [
  { key: 'dev-submitter-key-0001', principal: 'alice', roles: ['submitter'], groups: [] },
  { key: 'dev-submitter-key-0002', principal: 'dave', roles: ['submitter'], groups: [] },
  { key: 'dev-customer-key-0001', principal: 'frank', roles: ['submitter'], groups: [], accounts: ['ACC-1001'] },
  { key: 'dev-approver-key-0001', principal: 'bob', roles: ['submitter', 'approver'], groups: ['billing-approvers', 'eng-managers'], employeeId: 'EMP-601' },
  { key: 'dev-approver-key-0002', principal: 'carol', roles: ['submitter', 'approver'], groups: ['billing-approvers', 'fin-managers'], employeeId: 'EMP-602' },
  { key: 'dev-admin-key-000001', principal: 'erin', roles: ['submitter', 'approver', 'admin'], groups: ['admins'], employeeId: 'EMP-603' },
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

/** `true`/`false` (also 1/0): `z.coerce.boolean()` would read "false" as true. */
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const port = z.coerce.number().int().min(0).max(65535);

/** Where `npm run model:install` links the default local model (Gemma 3 270M, GGUF Q4_K_M). */
export const DEFAULT_MODEL_PATH = '.tools/models/gemma-3-270m-q4_k_m.gguf';

/** OpenTelemetry's `key1=value1,key2=value2` lists (values percent-encoded), e.g. OTEL_EXPORTER_OTLP_HEADERS. */
const otelKeyValues = z.string().transform((raw, ctx) => {
  const out: Record<string, string> = {};
  for (const pair of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      ctx.addIssue({ code: 'custom', message: `"${pair}" is not key=value` });
      return z.NEVER;
    }
    try {
      out[decodeURIComponent(pair.slice(0, eq).trim())] = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${pair}" is not valid percent-encoding` });
      return z.NEVER;
    }
  }
  return out;
});

/** A fallback model endpoint, tried in order after the primary fails with a retryable error. */
const llmFallbackSchema = z.strictObject({
  baseURL: z.url().optional(),
  /** Name of the environment variable holding this endpoint's key (keys stay out of JSON config). */
  apiKeyEnv: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be an environment variable name').optional(),
  model: z.string().min(1),
  timeoutMs: z.number().int().positive().optional(),
});

/** One payload encryption key: `{"id","key"}` with the key as base64 of 32 random bytes. */
const encryptionKeySchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'key ids are 1..64 characters of A-Z a-z 0-9 . _ -'),
  key: z.string().transform((b64, ctx) => {
    const bytes = Buffer.from(b64, 'base64');
    if (bytes.length !== 32) {
      ctx.addIssue({ code: 'custom', message: `key must be base64 of 32 bytes (got ${bytes.length}); generate one with: openssl rand -base64 32` });
      return z.NEVER;
    }
    return bytes;
  }),
});

const keyId = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'key ids are 1..64 characters of A-Z a-z 0-9 . _ -');
const base64Of32Bytes = (what: string) => z.string().transform((b64, ctx) => {
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length !== 32) {
    ctx.addIssue({ code: 'custom', message: `${what} must be base64 of 32 bytes (got ${bytes.length}); generate one with: openssl rand -base64 32` });
    return z.NEVER;
  }
  return bytes;
});

/** One command signing key of the API: `{"id","privateKey"}`, the key as base64 of a 32-byte Ed25519 seed. */
const commandSigningKeySchema = z.object({ id: keyId, privateKey: base64Of32Bytes('privateKey') });
/** One key workers accept command signatures from: `{"id","publicKey"}`, base64 of the raw 32-byte Ed25519 public key. */
const commandVerifyKeySchema = z.object({ id: keyId, publicKey: base64Of32Bytes('publicKey') });

/**
 * Development-only command signing seed, used when no keys are configured outside production
 * (as the dev API keys are); `npm start` generates a fresh key per run instead.
 */
const DEV_COMMAND_SIGNING_SEED = Buffer.alloc(32, 7);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  HOST: z.string().default('127.0.0.1'),
  PORT: port.default(3000),
  DATA_DIR: z.string().default('.data'),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('problems'),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_UI_URL: z.url().optional(),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_TLS_CERT_PATH: z.string().optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().optional(),
  TEMPORAL_TLS_CA_PATH: z.string().optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  TEMPORAL_TLS: z.enum(['true', 'false']).optional(),
  SYSTEMS_URL: z.url().default('http://127.0.0.1:3100'),
  SYSTEMS_PORT: port.default(3100),
  LLM_PROVIDER: z.enum(['rules', 'openai', 'local', 'hybrid']).default('rules'),
  LLM_MODEL_PATH: z.string().default(DEFAULT_MODEL_PATH),
  LLM_LOCAL_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  LLM_LOCAL_THREADS: z.coerce.number().int().min(1).max(256).default(1),
  LLM_LOCAL_CONTEXT_SIZE: z.coerce.number().int().min(512).max(131_072).default(4096),
  LLM_LOCAL_PROMPT: z.enum(['staged', 'single']).default('staged'),
  EXTRACTION_TASK_QUEUE: z.string().optional(),
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().default('gpt-4o-mini'),
  LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  LLM_STRUCTURED_OUTPUT: z.enum(['json_schema', 'json_object']).default('json_schema'),
  LLM_REPAIR_ATTEMPTS: z.coerce.number().int().min(0).max(3).default(1),
  LLM_TOKEN_BUDGET: z.coerce.number().int().positive().default(20_000),
  LLM_FALLBACKS: jsonArray(llmFallbackSchema).optional(),
  API_KEYS: jsonArray(apiKeyEntrySchema).optional(),
  POLICY_FILE: z.string().optional(),
  NOTIFIER: z.enum(['log', 'webhook']).default('log'),
  NOTIFY_WEBHOOK_URL: z.url().optional(),
  NOTIFY_WEBHOOK_SECRET: z.string().min(16, 'NOTIFY_WEBHOOK_SECRET must be at least 16 characters').optional(),
  NOTIFY_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().positive().default(100),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().positive().default(40),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().positive().default(1000),
  WORKFLOW_BUNDLE_PATH: z.string().optional(),
  APP_VERSION: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'APP_VERSION is 1..63 characters of A-Z a-z 0-9 . _ - (e.g. a git sha or a release tag)').optional(),
  WORKER_DEPLOYMENT_NAME: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, 'WORKER_DEPLOYMENT_NAME is 1..63 characters of A-Z a-z 0-9 _ -').default('problem-workflows'),
  WORKER_SET_CURRENT: bool.default(false),
  WORKER_UPGRADE_PINNED: bool.default(false),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  SUBMISSIONS_PER_MINUTE: z.coerce.number().int().positive().default(30),
  LLM_TOKENS_PER_DAY: z.coerce.number().int().min(0).default(200_000),
  TRUST_PROXY: z.string().optional(),
  CURSOR_SECRET: z.string().min(32, 'CURSOR_SECRET must be at least 32 characters (openssl rand -base64 32)').optional(),
  SYSTEMS_ADMIN_TOKEN: z.string().min(16, 'SYSTEMS_ADMIN_TOKEN must be at least 16 characters').optional(),
  PAYLOAD_ENCRYPTION_KEYS: jsonArray(encryptionKeySchema).optional(),
  PAYLOAD_ENCRYPTION_KEY_ID: z.string().optional(),
  PAYLOAD_ENCRYPTION_STRICT: bool.default(false),
  CODEC_CORS_ORIGINS: z.string().optional(),
  WORKER_METRICS_HOST: z.string().default('127.0.0.1'),
  WORKER_METRICS_PORT: port.default(9464),
  WORKER_APP_METRICS_PORT: port.default(9465),
  PENDING_APPROVALS_CACHE_MS: z.coerce.number().int().min(0).default(15_000),
  // The OpenTelemetry SDK's standard variables; OTEL_EXPORTER is this project's older name.
  OTEL_TRACES_EXPORTER: z.enum(['none', 'console', 'otlp']).optional(),
  OTEL_EXPORTER: z.enum(['none', 'console', 'otlp']).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().default('http://127.0.0.1:4318'),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_HEADERS: otelKeyValues.optional(),
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: otelKeyValues.optional(),
  OTEL_SERVICE_NAME: z.string().optional(),
  OTEL_RESOURCE_ATTRIBUTES: otelKeyValues.optional(),
  COMMAND_SIGNING_KEYS: jsonArray(commandSigningKeySchema).optional(),
  COMMAND_SIGNING_KEY_ID: z.string().optional(),
  COMMAND_VERIFY_KEYS: jsonArray(commandVerifyKeySchema).optional(),
});

/** The API's key that signs commands, and the public keys workflows accept signatures from. */
export interface CommandSigningConfig {
  /**
   * Signs every command the API forwards: the current key of COMMAND_SIGNING_KEYS; the dev key
   * outside production when none is set; `null` in production without keys (the API refuses to start).
   */
  signingKey: CommandSigningKey | null;
  /**
   * Accepted by workflows: COMMAND_VERIFY_KEYS, else the public halves of the signing keys;
   * empty in production without either (the worker refuses to start).
   */
  verifyKeys: CommandVerifyKey[];
  usingDevKey: boolean;
}

type EnvValues = z.infer<typeof envSchema>;

/** Command signing keys with rotation: several accepted, one (the current) signs. */
function commandSigningConfig(e: EnvValues): CommandSigningConfig {
  const invalid = (line: string) => new ConfigError(`Invalid configuration:\n  ${line}`);
  const configured = e.COMMAND_SIGNING_KEYS ?? [];
  const ids = configured.map((k) => k.id);
  if (new Set(ids).size !== ids.length) throw invalid('COMMAND_SIGNING_KEYS: key ids must be unique');
  const usingDevKey = configured.length === 0 && e.NODE_ENV !== 'production';
  const keys = usingDevKey ? [signingKeyFromSeed('dev', DEV_COMMAND_SIGNING_SEED)] : configured.map((k) => signingKeyFromSeed(k.id, k.privateKey));
  let signingKey: CommandSigningKey | null = null;
  if (keys.length > 0) {
    const currentId = e.COMMAND_SIGNING_KEY_ID ?? (keys.length === 1 ? keys[0]!.id : undefined);
    if (!currentId) throw invalid('COMMAND_SIGNING_KEY_ID is required when COMMAND_SIGNING_KEYS has more than one key');
    signingKey = keys.find((k) => k.id === currentId) ?? null;
    if (!signingKey) throw invalid(`COMMAND_SIGNING_KEY_ID "${currentId}" is not in COMMAND_SIGNING_KEYS (${ids.join(', ')})`);
  }
  const verifyKeys = e.COMMAND_VERIFY_KEYS
    ? e.COMMAND_VERIFY_KEYS.map((k) => ({ id: k.id, publicKey: k.publicKey.toString('hex') }))
    : keys.map(verifyKeyOf);
  return { signingKey, verifyKeys, usingDevKey };
}

/** TLS to the Temporal frontend: any TLS setting, or an API key (Temporal Cloud), turns it on. */
export interface TemporalTlsConfig {
  /** mTLS client certificate and key (PEM files). */
  clientCert?: { certPath: string; keyPath: string };
  /** CA that signed the server's certificate (PEM file); the system roots when absent. */
  caPath?: string;
  /** Server name for SNI and certificate checks when it differs from the address's host. */
  serverName?: string;
}

function temporalTls(e: z.infer<typeof envSchema>): TemporalTlsConfig | undefined {
  const clientCert = e.TEMPORAL_TLS_CERT_PATH && e.TEMPORAL_TLS_KEY_PATH ? { certPath: e.TEMPORAL_TLS_CERT_PATH, keyPath: e.TEMPORAL_TLS_KEY_PATH } : undefined;
  const on = e.TEMPORAL_TLS === 'true' || Boolean(clientCert ?? e.TEMPORAL_TLS_CA_PATH ?? e.TEMPORAL_TLS_SERVER_NAME ?? e.TEMPORAL_API_KEY);
  if (!on || e.TEMPORAL_TLS === 'false') return undefined;
  return {
    ...(clientCert ? { clientCert } : {}),
    ...(e.TEMPORAL_TLS_CA_PATH ? { caPath: e.TEMPORAL_TLS_CA_PATH } : {}),
    ...(e.TEMPORAL_TLS_SERVER_NAME ? { serverName: e.TEMPORAL_TLS_SERVER_NAME } : {}),
  };
}

/** Keys that decrypt payloads and the id of the one that encrypts new payloads. */
export interface EncryptionConfig {
  keys: { id: string; key: Buffer }[];
  currentKeyId: string;
  /** Refuse plaintext payloads on decode (PAYLOAD_ENCRYPTION_STRICT). */
  strict?: boolean;
}

/** Encryption is on when keys are configured; the current key defaults to the only key. */
function encryptionConfig(keys: { id: string; key: Buffer }[] | undefined, currentKeyId: string | undefined, strict: boolean): EncryptionConfig | undefined {
  if (!keys || keys.length === 0) {
    if (currentKeyId) throw new ConfigError('Invalid configuration:\n  PAYLOAD_ENCRYPTION_KEY_ID is set but PAYLOAD_ENCRYPTION_KEYS is empty');
    if (strict) throw new ConfigError('Invalid configuration:\n  PAYLOAD_ENCRYPTION_STRICT=true needs PAYLOAD_ENCRYPTION_KEYS');
    return undefined;
  }
  const ids = keys.map((k) => k.id);
  if (new Set(ids).size !== ids.length) throw new ConfigError('Invalid configuration:\n  PAYLOAD_ENCRYPTION_KEYS: key ids must be unique');
  const current = currentKeyId ?? (keys.length === 1 ? keys[0]!.id : undefined);
  if (!current) throw new ConfigError('Invalid configuration:\n  PAYLOAD_ENCRYPTION_KEY_ID is required when PAYLOAD_ENCRYPTION_KEYS has more than one key');
  if (!ids.includes(current)) throw new ConfigError(`Invalid configuration:\n  PAYLOAD_ENCRYPTION_KEY_ID "${current}" is not in PAYLOAD_ENCRYPTION_KEYS (${ids.join(', ')})`);
  return { keys, currentKeyId: current, strict };
}

/**
 * TRUST_PROXY as Fastify's `trustProxy`: `true`/`false`, or a comma-separated list of proxy
 * addresses/CIDRs (e.g. the compose network of nginx). Unset: forwarded headers are ignored.
 */
function trustProxy(raw: string | undefined): boolean | string {
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  return raw;
}

/** Typed configuration, parsed once at start-up from the environment. */
export type Config = ReturnType<typeof loadConfig>;

/** Raised when the environment is invalid; the message lists every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * What the API process needs beyond {@link loadConfig}: in production a CURSOR_SECRET shared by
 * every replica (a per-process secret would break cursors across replicas and restarts).
 */
export function assertApiConfig(config: Config): void {
  if (config.env === 'production' && !config.http.cursorSecretSet) {
    throw new ConfigError('Invalid configuration:\n  CURSOR_SECRET is required for the API when NODE_ENV=production (openssl rand -base64 32)');
  }
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
  if (e.NOTIFIER === 'webhook' && (!e.NOTIFY_WEBHOOK_URL || !e.NOTIFY_WEBHOOK_SECRET)) {
    throw new ConfigError('Invalid configuration:\n  NOTIFIER=webhook needs NOTIFY_WEBHOOK_URL and NOTIFY_WEBHOOK_SECRET');
  }
  if (Boolean(e.TEMPORAL_TLS_CERT_PATH) !== Boolean(e.TEMPORAL_TLS_KEY_PATH)) {
    throw new ConfigError('Invalid configuration:\n  TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH go together (mTLS client certificate)');
  }
  if (e.NODE_ENV === 'production' && !e.API_KEYS) {
    throw new ConfigError('Invalid configuration:\n  API_KEYS is required when NODE_ENV=production');
  }
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    env: e.NODE_ENV,
    /**
     * The build id of this code: APP_VERSION (a release tag or git sha), else a content hash of
     * the workflow code, the rules and the activities (`src-…`, see src/temporal/build-id.ts),
     * so restarting unchanged code keeps its version. Workers poll as deployment version
     * WORKER_DEPLOYMENT_NAME + this id; recorded decisions carry it.
     */
    buildId: e.APP_VERSION ?? sourceBuildId(path.resolve(__dirname, '..')),
    logLevel: e.LOG_LEVEL,
    /** Readable log lines (a development terminal), with request logs at debug; JSON otherwise. */
    logPretty: usePrettyLogs(e.LOG_FORMAT, e.NODE_ENV),
    http: {
      host: e.HOST,
      port: e.PORT,
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
      /** Fastify `trustProxy`: whom to believe for X-Forwarded-For/Proto (false: the socket peer). */
      trustProxy: trustProxy(e.TRUST_PROXY),
      /** HMAC key of list and approval cursors; random per process unless set (the API requires it in production). */
      cursorSecret: e.CURSOR_SECRET ?? randomBytes(32).toString('base64'),
      cursorSecretSet: e.CURSOR_SECRET !== undefined,
    },
    /** Per-principal limits: problem submissions per minute, LLM tokens per UTC day (0 = no daily limit). */
    limits: { submissionsPerMinute: e.SUBMISSIONS_PER_MINUTE, llmTokensPerDay: e.LLM_TOKENS_PER_DAY, ledgerFile: path.join(dataDir, 'limits.db') },
    dataDir,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      /** Task queue of the model-hosting workers; unset = extraction runs on `taskQueue` like every activity. */
      extractionTaskQueue: e.EXTRACTION_TASK_QUEUE,
      uiPort: e.TEMPORAL_UI_PORT,
      /** Temporal Web UI base URL for links to workflows (the web console's audit view). */
      uiUrl: (e.TEMPORAL_UI_URL ?? `http://127.0.0.1:${e.TEMPORAL_UI_PORT}`).replace(/\/+$/, ''),
      apiKey: e.TEMPORAL_API_KEY,
      tls: temporalTls(e),
    },
    systems: { url: e.SYSTEMS_URL, port: e.SYSTEMS_PORT, dbFile: path.join(dataDir, 'systems.db'), adminToken: e.SYSTEMS_ADMIN_TOKEN },
    llm: {
      provider: e.LLM_PROVIDER,
      baseURL: e.OPENAI_BASE_URL,
      apiKey: e.OPENAI_API_KEY,
      model: e.LLM_MODEL,
      timeoutMs: e.LLM_TIMEOUT_MS,
      structuredOutput: e.LLM_STRUCTURED_OUTPUT,
      repairAttempts: e.LLM_REPAIR_ATTEMPTS,
      tokenBudget: e.LLM_TOKEN_BUDGET,
      /** `local` and `hybrid`: a GGUF model run in the worker (see docs/LLM.md). */
      local: {
        modelPath: path.resolve(e.LLM_MODEL_PATH),
        concurrency: e.LLM_LOCAL_CONCURRENCY,
        threads: e.LLM_LOCAL_THREADS,
        contextSize: e.LLM_LOCAL_CONTEXT_SIZE,
        prompt: e.LLM_LOCAL_PROMPT,
      },
      /** Fallback endpoints after the primary, in order; each key is read from the variable it names. */
      fallbacks: (e.LLM_FALLBACKS ?? []).map((f) => ({
        baseURL: f.baseURL ?? e.OPENAI_BASE_URL,
        apiKey: f.apiKeyEnv ? env[f.apiKeyEnv] : e.OPENAI_API_KEY,
        model: f.model,
        timeoutMs: f.timeoutMs ?? e.LLM_TIMEOUT_MS,
      })),
    },
    apiKeys: e.API_KEYS ?? DEV_API_KEYS,
    usingDevKeys: !e.API_KEYS,
    policyFile: e.POLICY_FILE,
    /** Notification sink: a log line per notification (default) or a signed webhook POST. */
    notifications: e.NOTIFIER === 'webhook'
      ? { sink: 'webhook' as const, url: e.NOTIFY_WEBHOOK_URL!, secret: e.NOTIFY_WEBHOOK_SECRET!, timeoutMs: e.NOTIFY_WEBHOOK_TIMEOUT_MS }
      : { sink: 'log' as const },
    /** Payload encryption (codec); undefined, i.e. off, unless PAYLOAD_ENCRYPTION_KEYS is set. */
    encryption: encryptionConfig(e.PAYLOAD_ENCRYPTION_KEYS, e.PAYLOAD_ENCRYPTION_KEY_ID, e.PAYLOAD_ENCRYPTION_STRICT),
    codecServer: {
      /** Browser origins (the Temporal Web UI) allowed to call /codec/* with CORS. */
      corsOrigins: e.CODEC_CORS_ORIGINS
        ? e.CODEC_CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean)
        : [`http://127.0.0.1:${e.TEMPORAL_UI_PORT}`, `http://localhost:${e.TEMPORAL_UI_PORT}`],
    },
    metrics: {
      /** Bind host of the worker's metrics endpoints; a port of 0 turns that endpoint off. */
      workerHost: e.WORKER_METRICS_HOST,
      workerRuntimePort: e.WORKER_METRICS_PORT,
      workerAppPort: e.WORKER_APP_METRICS_PORT,
      pendingApprovalsCacheMs: e.PENDING_APPROVALS_CACHE_MS,
    },
    commandSigning: commandSigningConfig(e),
    tracing: {
      exporter: e.OTEL_TRACES_EXPORTER ?? e.OTEL_EXPORTER ?? 'none',
      // As the SDK specifies: the traces endpoint is used as is, the general one gets /v1/traces.
      otlpTracesUrl: e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`,
      otlpHeaders: { ...e.OTEL_EXPORTER_OTLP_HEADERS, ...e.OTEL_EXPORTER_OTLP_TRACES_HEADERS },
      serviceName: e.OTEL_SERVICE_NAME,
      resourceAttributes: e.OTEL_RESOURCE_ATTRIBUTES ?? {},
    },
    worker: {
      maxConcurrentActivityTaskExecutions: e.WORKER_MAX_CONCURRENT_ACTIVITIES,
      maxConcurrentWorkflowTaskExecutions: e.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
      /** Prebuilt workflow bundle (`npm run bundle:workflows`); bundled at start-up when absent. */
      workflowBundlePath: e.WORKFLOW_BUNDLE_PATH,
      /** Worker Versioning (docs/OPERATIONS.md, *Deploying*): every worker polls as this deployment's version `buildId`. */
      deployment: {
        name: e.WORKER_DEPLOYMENT_NAME,
        /** Make this version current once its workers poll (new problems start on it). */
        setCurrent: e.WORKER_SET_CURRENT,
        /** Move problems pinned to other versions onto this one when their histories replay on this code. */
        upgradePinned: e.WORKER_UPGRADE_PINNED,
      },
    },
  };
}
