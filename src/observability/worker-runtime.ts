import type { LogLevel } from '@temporalio/common';
import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import type { Logger } from '../logger';

const TEMPORAL_LEVEL: Record<string, LogLevel> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR', fatal: 'ERROR', silent: 'ERROR' };
const PINO_METHOD: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/**
 * A Temporal logger writing to pino: the SDK's worker, workflow and activity log lines (which
 * carry `workflowId`, `runId`, `activityType`...) become JSON lines with the same redaction.
 */
export function temporalLoggerFor(log: Logger): DefaultLogger {
  return new DefaultLogger(TEMPORAL_LEVEL[log.level] ?? 'INFO', (entry: LogEntry) => {
    log[PINO_METHOD[entry.level]]({ ...entry.meta, sdk: 'temporal' }, entry.message);
  });
}

/** Options of the worker process's Temporal runtime. */
export interface WorkerRuntimeOptions {
  log: Logger;
  /** `host:port` for the SDK's Prometheus endpoint (WORKER_METRICS_PORT); none when undefined. */
  metricsBindAddress?: string;
  shutdownSignals?: NodeJS.Signals[];
}

/**
 * Installs the Core runtime once per process: pino logging and, when asked, Temporal SDK
 * metrics (task slots, latencies, polls, workflow and activity counts) as Prometheus.
 */
export function installWorkerRuntime(options: WorkerRuntimeOptions): Runtime {
  return Runtime.install({
    logger: temporalLoggerFor(options.log),
    ...(options.shutdownSignals ? { shutdownSignals: options.shutdownSignals } : {}),
    telemetryOptions: options.metricsBindAddress ? { metrics: { prometheus: { bindAddress: options.metricsBindAddress } } } : {},
  });
}
