import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { collectDefaultMetrics, register } from 'prom-client';
import { startMetricsServer } from '../observability/metrics-server';
import { setUpTracing } from '../observability/tracing';
import { installWorkerRuntime } from '../observability/worker-runtime';
import { loadConfig, type Config } from '../config';
import { createLogger, type Logger } from '../logger';
import { activityDepsFromConfig } from './activity-deps';
import { dataConverterFor } from './codec/data-converter';
import { connectionOptions } from './connection';
import { describeDeployment, setCurrentVersion, upgradePinned } from './deployment';
import { createExtractionWorker, createWorker, deploymentOf, workflowSource } from './worker';

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

/**
 * Once this process's workers poll: WORKER_SET_CURRENT makes their version current (new problems
 * start on it), then WORKER_UPGRADE_PINNED moves problems pinned to other versions onto it when
 * their histories replay on this code (the rule of `npm start`, see docs/OPERATIONS.md). A
 * failure is logged, never fatal: the workers keep serving their own version's problems.
 */
async function takeOverDeployment(config: Config, log: Logger): Promise<void> {
  const { setCurrent, upgradePinned: upgrade } = config.worker.deployment;
  if (!setCurrent && !upgrade) return;
  const connection = await Connection.connect(connectionOptions(config.temporal));
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: dataConverterFor(config.encryption) });
  const { name, buildId } = deploymentOf(config);
  const version = { deploymentName: name, buildId };
  try {
    if (setCurrent) {
      await setCurrentVersion(client, version, { identity: `worker-${process.pid}` });
      log.info({ deployment: name, buildId, versions: (await describeDeployment(client, name)).versions }, 'worker version is current');
    }
    if (upgrade) {
      const replay = { ...workflowSource({ config }), dataConverter: dataConverterFor(config.encryption) };
      const report = await upgradePinned(client, version, replay, { identity: `worker-${process.pid}` });
      if (report.upgraded.length > 0) log.info({ buildId, upgraded: report.upgraded.length, from: [...new Set(report.upgraded.map((u) => u.from))] }, 'pinned problems replayed on this build and moved to it');
      for (const s of report.stranded) {
        log.warn({ workflowId: s.workflowId, buildId: s.from, error: s.error }, `problem ${s.workflowId} is pinned to build ${s.from} and does not replay on this code: run workers of that build (APP_VERSION=${s.from}) until it drains`);
      }
    }
  } catch (err) {
    log.error({ err, deployment: name, buildId }, 'could not take over the worker deployment');
  } finally {
    await connection.close();
  }
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
    deployment: `${config.worker.deployment.name}:${config.buildId}`,
  }, 'worker polling');
  try {
    // One worker failing stops the other, so the process exits and its supervisor restarts it whole.
    const stopAll = () => workers.forEach((w) => w.getState() === 'RUNNING' && w.shutdown());
    const running = Promise.all(workers.map((w) => w.run().catch((err: unknown) => (stopAll(), Promise.reject(err)))));
    void takeOverDeployment(config, log);
    await running;
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
