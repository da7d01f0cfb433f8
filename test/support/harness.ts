import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger, type Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { register } from 'prom-client';
import { cachedCount, countPendingApprovals } from '../../src/observability/pending-approvals';
import type { Tracing } from '../../src/observability/tracing';
import { createEncryptionCodec, dataConverterFor } from '../../src/temporal/codec/data-converter';
import { createAuditService } from '../../src/audit/audit-service';
import { buildApp } from '../../src/api/app';
import { createPolicyService } from '../../src/api/policy-service';
import { createProblemService } from '../../src/api/problem-service';
import type { ActivityDeps } from '../../activities';
import { DEV_API_KEYS, loadConfig, type ApiKeyEntry, type Config } from '../../src/config';
import { resolvePolicy, type PolicyFile } from '../../src/domain/policy';
import { catalog as defaultCatalog, type Catalog } from '../../src/domain/registry';
import type { PrincipalTokenBudget } from '../../src/limits/principal-token-budget';
import type { LlmProvider } from '../../src/llm/provider';
import { createRulesProvider } from '../../src/llm/rules-provider';
import type { Notifier } from '../../src/notifications/notifier';
import { buildSystemsApp } from '../../src/systems/app';
import { createSystemsClient } from '../../src/systems/client';
import { openSystemsDb, type SystemsDb } from '../../src/systems/db';
import { createFaultInjector, type FaultInjector } from '../../src/systems/faults';
import { setCurrentVersion } from '../../src/temporal/deployment';
import { createWorker, deploymentOf } from '../../src/temporal/worker';
import { createCommandSigner, type CommandSigner } from '../../src/security/command-keys';
import type { ProblemState, ProblemStatus } from '../../workflows/state';

let runtimeInstalled = false;
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // already installed by another harness in this process
  }
}

/** Dev keys by principal, for readable tests. */
export const keys = Object.fromEntries(DEV_API_KEYS.map((k) => [k.principal, k.key])) as Record<'alice' | 'dave' | 'bob' | 'carol' | 'erin', string>;

/** Options of a test harness; everything defaults to the production wiring. */
export interface HarnessOptions {
  llm?: LlmProvider;
  catalog?: Catalog;
  policy?: PolicyFile;
  apiKeys?: ApiKeyEntry[];
  notifier?: Notifier;
  /** A workflow bundle built with another registry (extension test). */
  workflowBundlePath?: string;
  tokenBudget?: number;
  repairAttempts?: number;
  /** Another Temporal dev server than the shared one (e.g. one with the Web UI). */
  temporalAddress?: string;
  /** Extra environment for the configuration, e.g. PAYLOAD_ENCRYPTION_KEYS to turn payload encryption on. */
  env?: Record<string, string>;
  /** OpenTelemetry tracing for the client and worker (the workflow bundle must include the interceptor module). */
  tracing?: Tracing;
  /** Per-principal daily LLM tokens, shared by the API and the worker as in production. */
  principalTokens?: PrincipalTokenBudget;
}

/**
 * The activities' dependencies of an extra worker a test starts beside the harness's (a rotated
 * key, another build): rules extraction, the harness's demo systems, default policy, no notifications.
 */
export function extraWorkerDeps(config: Config, systemsUrl: string, catalog: Catalog = defaultCatalog): ActivityDeps {
  return {
    catalog,
    llm: createRulesProvider(catalog),
    systems: createSystemsClient({ baseUrl: systemsUrl, timeoutMs: 5000 }),
    policy: resolvePolicy(catalog),
    notifier: { send: async () => undefined },
    repairAttempts: 1,
    tokenBudget: 20_000,
    commandKeys: config.commandSigning.verifyKeys,
    buildId: config.buildId,
  };
}

/** A real stack for one test file: demo systems, worker and API on the shared dev server. */
export interface Harness {
  app: FastifyInstance;
  client: Client;
  taskQueue: string;
  systems: { url: string; db: SystemsDb; faults: FaultInjector; app: FastifyInstance };
  notifications: unknown[];
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts systems, a worker on a task queue of its own, and the API (use `app.inject`). */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  quietRuntime();
  const address = options.temporalAddress ?? process.env.TEST_TEMPORAL_ADDRESS;
  const bundlePath = options.workflowBundlePath ?? process.env.TEST_WORKFLOW_BUNDLE;
  if (!address || !bundlePath) throw new Error('integration tests need the jest globalSetup (run them with `npm test`)');
  const taskQueue = `test-${randomUUID()}`;
  // A worker deployment per harness, as per task queue: test files never route each other's problems.
  const config = loadConfig({ ...process.env, TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: taskQueue, WORKER_DEPLOYMENT_NAME: taskQueue, LOG_LEVEL: 'silent', NODE_ENV: 'test', ...options.env });
  const catalog = options.catalog ?? defaultCatalog;

  const db = openSystemsDb(path.join(process.env.TEST_TMP_DIR ?? '/tmp', `systems-${randomUUID()}.db`));
  const faults = createFaultInjector();
  const systemsApp = buildSystemsApp({ db, faults });
  const systemsUrl = await systemsApp.listen({ host: '127.0.0.1', port: 0 });

  const notifications: unknown[] = [];
  const notifier: Notifier = options.notifier ?? { send: async (n) => void notifications.push(n) };
  const nativeConnection = await NativeConnection.connect({ address });
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  const startWorker = async () => {
    ({ worker } = await createWorker({
      config,
      connection: nativeConnection,
      workflowBundle: { codePath: bundlePath },
      tracing: options.tracing,
      deps: {
        catalog,
        llm: options.llm ?? createRulesProvider(catalog),
        systems: createSystemsClient({ baseUrl: systemsUrl, timeoutMs: 5000 }),
        policy: resolvePolicy(catalog, options.policy),
        notifier,
        repairAttempts: options.repairAttempts ?? 1,
        tokenBudget: options.tokenBudget ?? 20_000,
        commandKeys: config.commandSigning.verifyKeys,
        buildId: config.buildId,
        ...(options.principalTokens ? { principalTokens: options.principalTokens } : {}),
      },
    }));
    running = worker.run();
    // A versioned worker gets new problems once its version is current (as `npm start` does it).
    const { name, buildId } = deploymentOf(config);
    await setCurrentVersion(client, { deploymentName: name, buildId });
  };
  const stopWorker = async () => {
    worker?.shutdown();
    await running;
    worker = undefined;
  };
  const connection = await Connection.connect({ address });
  const client = new Client({
    connection,
    namespace: 'default',
    dataConverter: dataConverterFor(config.encryption),
    ...(options.tracing ? { interceptors: options.tracing.clientInterceptors() } : {}),
  });
  const observability = {
    metrics: { pendingApprovals: cachedCount(countPendingApprovals(client), 0, () => undefined), extraRegistries: [register] },
    codec: { codec: createEncryptionCodec(config.encryption), namespace: 'default', corsOrigins: config.codecServer.corsOrigins },
    ...(options.tracing ? { tracer: options.tracing.tracer } : {}),
  };
  const service = createProblemService({ client, taskQueue, namespace: 'default', rpcTimeoutMs: 10_000, signCommand: createCommandSigner(config.commandSigning.signingKey!) });
  let app: FastifyInstance;
  try {
    const audit = createAuditService({ client, catalog });
    const policy = createPolicyService({ client, catalog, policy: resolvePolicy(catalog, options.policy), taskQueue });
    app = await buildApp({ apiKeys: options.apiKeys ?? DEV_API_KEYS, service, audit, policy, logger: false, catalog, rateLimitPerMinute: 100_000, limits: { principalTokens: options.principalTokens }, ...observability });
    await app.ready();
    await startWorker();
  } catch (err) {
    await stopWorker();
    await Promise.all([connection.close(), nativeConnection.close(), systemsApp.close()]);
    db.close();
    throw err;
  }

  return {
    app,
    client,
    taskQueue,
    systems: { url: systemsUrl, db, faults, app: systemsApp },
    notifications,
    startWorker,
    stopWorker,
    async stop() {
      await app.close();
      await stopWorker();
      await connection.close();
      await nativeConnection.close();
      await systemsApp.close();
      db.close();
    },
  };
}

/** Submits a problem over HTTP as `key`; returns the response. */
export async function submit(app: FastifyInstance, key: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: '/v1/problems', headers: { authorization: `Bearer ${key}`, ...headers }, payload: body });
}

/** Polls `GET /v1/problems/:id` until its status is one of `statuses`. */
export async function waitForStatus(app: FastifyInstance, key: string, id: string, statuses: ProblemStatus[], timeoutMs = 60_000): Promise<ProblemState> {
  const deadline = Date.now() + timeoutMs;
  let last: ProblemState | undefined;
  while (Date.now() < deadline) {
    const res = await app.inject({ method: 'GET', url: `/v1/problems/${id}`, headers: { authorization: `Bearer ${key}` } });
    if (res.statusCode === 200) {
      last = res.json() as ProblemState;
      if (statuses.includes(last.status)) return last;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`problem ${id} did not reach ${statuses.join('|')} in ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}

/** Statuses after which a problem's decision no longer changes. */
export const FINAL_STATUSES: ProblemStatus[] = ['completed', 'rejected', 'failed'];

/** Submits `text` as `key` (202 expected) and waits until the problem reaches a final status. */
export async function submitAndSettle(app: FastifyInstance, key: string, text: string): Promise<{ id: string; done: ProblemState }> {
  const res = await submit(app, key, { text });
  if (res.statusCode !== 202) throw new Error(`submit answered ${res.statusCode}: ${res.body}`);
  const { id } = res.json() as { id: string };
  return { id, done: await waitForStatus(app, key, id, FINAL_STATUSES) };
}

/** The demo systems' side-effect ledger. */
export function ledger(db: SystemsDb): { kind: string; idempotencyKey: string; ref: string }[] {
  return db.prepare('SELECT kind, idempotency_key AS idempotencyKey, ref FROM ledger ORDER BY seq').all() as { kind: string; idempotencyKey: string; ref: string }[];
}

/** Signs commands as the API does in tests (the dev key, which test workers accept), at `now`. */
export function testCommandSigner(now?: () => Date): CommandSigner {
  return createCommandSigner(loadConfig({ NODE_ENV: 'test' }).commandSigning.signingKey!, now);
}
