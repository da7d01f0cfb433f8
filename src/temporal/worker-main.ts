import { Runtime } from '@temporalio/worker';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { activityDepsFromConfig } from './activity-deps';
import { createWorker } from './worker';

/** Runs one worker process against TEMPORAL_ADDRESS; SIGINT/SIGTERM drain it. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel, name: 'worker' });
  Runtime.install({ shutdownSignals: ['SIGINT', 'SIGTERM'] });
  const { worker, connection } = await createWorker({ config, deps: activityDepsFromConfig(config, log) });
  log.info({ taskQueue: config.temporal.taskQueue, address: config.temporal.address }, 'worker polling');
  try {
    await worker.run();
  } finally {
    await connection.close();
    log.info('worker stopped');
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
