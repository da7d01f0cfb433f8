import { Client, Connection } from '@temporalio/client';
import { assertApiConfig, ConfigError, loadConfig } from '../config';
import { createLogger } from '../logger';
import { collectDefaultMetrics, register } from 'prom-client';
import { cachedCount, countPendingApprovals } from '../observability/pending-approvals';
import { setUpTracing } from '../observability/tracing';
import { createEncryptionCodec, dataConverterFor } from '../temporal/codec/data-converter';
import { connectionOptions } from '../temporal/connection';
import { createAuditService } from '../audit/audit-service';
import { catalog } from '../domain/registry';
import { buildApp } from './app';
import { createPolicyService } from './policy-service';
import { createProblemService } from './problem-service';
import { policyFromConfig } from '../policy-file';
import { createCommandSigner } from '../security/command-keys';
import { principalTokenBudget } from '../limits/principal-token-budget';

/** Listens on HOST:PORT; the Temporal connection is lazy, so the API starts (and says 503) while Temporal is down. */
async function main(): Promise<void> {
  const config = loadConfig();
  assertApiConfig(config);
  const log = createLogger({ level: config.logLevel, name: 'api', pretty: config.logPretty });
  const connection = Connection.lazy(connectionOptions(config.temporal));
  const warn = (obj: object, msg: string) => log.warn(obj, msg);
  const tracing = setUpTracing({ config: config.tracing, serviceName: 'problems-api', warn });
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter: dataConverterFor(config.encryption),
    ...(tracing ? { interceptors: tracing.clientInterceptors() } : {}),
  });
  collectDefaultMetrics();
  const pendingApprovals = cachedCount(countPendingApprovals(client), config.metrics.pendingApprovalsCacheMs, (err) => warn({ err }, 'approvals_pending: visibility count failed'));
  const observability = {
    metrics: { pendingApprovals, extraRegistries: [register] },
    ...(tracing ? { tracer: tracing.tracer } : {}),
    codec: { codec: createEncryptionCodec(config.encryption), namespace: config.temporal.namespace, corsOrigins: config.codecServer.corsOrigins },
  };
  const { signingKey } = config.commandSigning;
  if (!signingKey) throw new ConfigError('Invalid configuration:\n  COMMAND_SIGNING_KEYS is required when NODE_ENV=production: the API signs every approval and clarification');
  const service = createProblemService({
    client,
    taskQueue: config.temporal.taskQueue,
    extractionTaskQueue: config.temporal.extractionTaskQueue,
    namespace: config.temporal.namespace,
    signCommand: createCommandSigner(signingKey),
    cursorSecret: config.http.cursorSecret,
  });
  const principalTokens = principalTokenBudget(config);
  const limits = { submissionsPerMinute: config.limits.submissionsPerMinute, principalTokens };
  const audit = createAuditService({ client, catalog });
  const policy = createPolicyService({ client, catalog, policy: policyFromConfig(config, catalog), taskQueue: config.temporal.taskQueue });
  const app = await buildApp({ apiKeys: config.apiKeys, service, audit, policy, close: () => connection.close(), logger: log, requestLogLevel: config.logPretty ? 'debug' : 'info', rateLimitPerMinute: config.http.rateLimitPerMinute, limits, trustProxy: config.http.trustProxy, ...observability, console: { temporalUiUrl: config.temporal.uiUrl, namespace: config.temporal.namespace } });
  app.addHook('onClose', async () => tracing?.shutdown());
  app.addHook('onClose', async () => principalTokens?.ledger.close());
  const shutdown = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ host: config.http.host, port: config.http.port });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
