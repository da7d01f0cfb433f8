import { parseArgs } from 'node:util';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { collectDefaultMetrics, register } from 'prom-client';
import { startMetricsServer } from '../observability/metrics-server';
import { setUpTracing } from '../observability/tracing';
import { installWorkerRuntime } from '../observability/worker-runtime';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { activityDepsFromConfig } from './activity-deps';
import { connectionOptions } from './connection';
import { createExtractionWorker, createWorker } from './worker';

/**
 * Which workers this process runs:
 *   (default)               the orchestration worker (workflows and every activity) on TEMPORAL_TASK_QUEUE,
 *                           plus an extraction worker on EXTRACTION_TASK_QUEUE when that is set;
 *   --extraction-only       only the extraction worker (a model-hosting worker);
 *   --orchestration-only    only the orchestration worker (extraction is served by other processes).
 */
function workerRoles(argv: string[], extractionQueue: string | undefined): { orchestration: boolean; extraction: boolean } {
  const { values } = parseArgs({ args: argv, options: { 'extraction-only': { type: 'boolean', default: false }, 'orchestration-only': { type: 'boolean', default: false } } });
  if (values['extraction-only'] && values['orchestration-only']) throw new Error('--extraction-only and --orchestration-only exclude each other');
  if (values['extraction-only'] && !extractionQueue) throw new Error('--extraction-only needs EXTRACTION_TASK_QUEUE');
  return { orchestration: !values['extraction-only'], extraction: !values['orchestration-only'] && Boolean(extractionQueue) };
}

/** Runs the workers of one process against TEMPORAL_ADDRESS; SIGINT/SIGTERM drain them. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel, name: 'worker', pretty: config.logPretty });
  const roles = workerRoles(process.argv.slice(2), config.temporal.extractionTaskQueue);
  const { workerHost, workerRuntimePort, workerAppPort } = config.metrics;
  installWorkerRuntime({ log, shutdownSignals: ['SIGINT', 'SIGTERM'], ...(workerRuntimePort ? { metricsBindAddress: `${workerHost}:${workerRuntimePort}` } : {}) });
  collectDefaultMetrics();
  const metricsServer = workerAppPort ? await startMetricsServer({ host: workerHost, port: workerAppPort, registries: [register] }) : undefined;
  const warn = (obj: object, msg: string) => log.warn(obj, msg);
  const tracing = setUpTracing({ config: config.tracing, serviceName: 'problems-worker', warn });
  const deps = activityDepsFromConfig(config, log);
  const connection = await NativeConnection.connect(connectionOptions(config.temporal));
  const workers: Worker[] = [];
  if (roles.orchestration) workers.push((await createWorker({ config, deps, connection, tracing, log })).worker);
  if (roles.extraction) workers.push((await createExtractionWorker({ config, deps, connection, tracing, log })).worker);
  log.info({
    taskQueue: roles.orchestration ? config.temporal.taskQueue : 'off',
    extractionTaskQueue: roles.extraction ? config.temporal.extractionTaskQueue : 'off (extraction on taskQueue)',
    llmProvider: config.llm.provider,
    address: config.temporal.address,
    encryption: config.encryption ? { currentKeyId: config.encryption.currentKeyId } : 'off',
    sdkMetrics: workerRuntimePort ? `http://${workerHost}:${workerRuntimePort}/metrics` : 'off',
    appMetrics: metricsServer?.url ?? 'off',
    tracing: config.tracing.exporter,
  }, 'worker polling');
  try {
    // One worker failing stops the other, so the process exits and its supervisor restarts it whole.
    const stopAll = () => workers.forEach((w) => w.getState() === 'RUNNING' && w.shutdown());
    await Promise.all(workers.map((w) => w.run().catch((err: unknown) => (stopAll(), Promise.reject(err)))));
  } finally {
    await deps.llm.close?.();
    await tracing?.shutdown();
    await metricsServer?.close();
    await connection.close();
    log.info('worker stopped');
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
