import { NativeConnection, Worker } from '@temporalio/worker';
import { createBaselineActivities } from './activities';

/** Worker process for the baseline workflow: TEMPORAL_ADDRESS, BASELINE_TASK_QUEUE. */
async function main(): Promise<void> {
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
  const worker = await Worker.create({
    connection,
    taskQueue: process.env.BASELINE_TASK_QUEUE ?? 'baseline',
    workflowsPath: require.resolve('./workflows'),
    activities: createBaselineActivities(),
  });
  process.once('SIGTERM', () => worker.shutdown());
  process.once('SIGINT', () => worker.shutdown());
  await worker.run();
  await connection.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
