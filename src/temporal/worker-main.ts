import { collectDefaultMetrics, register } from 'prom-client';
import { startMetricsServer } from '../observability/metrics-server';
import { setUpTracing } from '../observability/tracing';
import { installWorkerRuntime } from '../observability/worker-runtime';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { activityDepsFromConfig } from './activity-deps';
import { createWorker } from './worker';

/** Runs one worker process against TEMPORAL_ADDRESS; SIGINT/SIGTERM drain it. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel, name: 'worker', pretty: config.logPretty });
  const { workerHost, workerRuntimePort, workerAppPort } = config.metrics;
  installWorkerRuntime({ log, shutdownSignals: ['SIGINT', 'SIGTERM'], ...(workerRuntimePort ? { metricsBindAddress: `${workerHost}:${workerRuntimePort}` } : {}) });
  collectDefaultMetrics();
  const metricsServer = workerAppPort ? await startMetricsServer({ host: workerHost, port: workerAppPort, registries: [register] }) : undefined;
  const warn = (obj: object, msg: string) => log.warn(obj, msg);
  const tracing = setUpTracing({ config: config.tracing, serviceName: 'problems-worker', warn });
  const { worker, connection } = await createWorker({ config, deps: activityDepsFromConfig(config, log), tracing, log });
  log.info({
    taskQueue: config.temporal.taskQueue,
    address: config.temporal.address,
    encryption: config.encryption ? { currentKeyId: config.encryption.currentKeyId } : 'off',
    sdkMetrics: workerRuntimePort ? `http://${workerHost}:${workerRuntimePort}/metrics` : 'off',
    appMetrics: metricsServer?.url ?? 'off',
    tracing: config.tracing.exporter,
  }, 'worker polling');
  try {
    await worker.run();
  } finally {
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
