/**
 * `npm run cluster`: the production topology on one machine. A Temporal cluster built from the
 * Go module proxy (history, matching, frontend, worker: four processes) on a private PostgreSQL,
 * and the project's demo systems, 3 worker and 2 API processes against it. Ctrl-C stops all;
 * state stays in .data/pg and .data/cluster for the next run.
 *
 *   npm run cluster                 # runs until Ctrl-C
 *   npm run cluster -- --smoke      # submits one problem, waits until it completes, stops
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDrillClient, drillKeys } from '../drills/lib/problems';
import { startApp, type App } from './app';
import { startCluster, type LocalCluster } from './cluster';
import { TEMPORAL_SERVER_VERSION } from './settings';

const SMOKE_TEXT = 'I was charged twice for MOB-299 on invoice INV-2002, account ACC-1002. Please refund Rs 299.';

/** Submits one problem and waits until it completes; returns its final status. */
async function smoke(app: App): Promise<string> {
  const client = createDrillClient(app.apiUrls);
  const res = await client.call('POST', '/v1/problems', drillKeys.submitter, { text: SMOKE_TEXT, channel: 'api' });
  if (res.status !== 202) return `submission answered ${res.status}`;
  const id = (res.body as { id: string }).id;
  const finals = await client.waitAllFinal([id], { timeoutMs: 120_000 });
  const final = finals.get(id);
  console.log(`smoke: problem ${id} is ${final?.status ?? 'unknown'} (${final?.decision?.reasonCode ?? final?.outcome?.reasonCode ?? 'no reason'})`);
  return final?.status ?? 'unknown';
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { smoke: { type: 'boolean', default: false }, workers: { type: 'string', default: '3' }, apis: { type: 'string', default: '2' } } });
  const started = Date.now();
  let cluster: LocalCluster | undefined;
  let app: App | undefined;
  let stopping: Promise<void> | undefined;
  const stopAll = () => (stopping ??= (async () => {
    console.log('\nStopping: APIs, workers (draining), systems, Temporal services, PostgreSQL…');
    await app?.stop();
    await cluster?.stop();
  })());
  process.once('SIGINT', () => void stopAll().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(0)));

  try {
    cluster = await startCluster();
    app = await startApp({ temporalAddress: cluster.address, dir: path.join(cluster.stateDir, 'app'), workers: Number(values.workers), apis: Number(values.apis) });
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    await stopAll();
    return 1;
  }
  console.log(`
Cluster ready in ${((Date.now() - started) / 1000).toFixed(0)} s (Temporal ${TEMPORAL_SERVER_VERSION} on PostgreSQL).
  Temporal frontend  ${cluster.address}   (TEMPORAL_ADDRESS for the CLI: temporal --address ${cluster.address} workflow list)
  APIs               ${app.apiUrls.join('  ')}
  Demo systems       ${app.systemsUrl}
  Logs and state     ${cluster.stateDir}/*.log, ${cluster.stateDir}/app/*.log
  Web UI             not started: the Temporal CLI's UI serves only its own dev server (docs/OPERATIONS.md)
`);
  if (values.smoke) {
    const status = await smoke(app);
    await stopAll();
    return status === 'completed' ? 0 : 1;
  }
  console.log('Press Ctrl-C to stop.');
  await new Promise<never>(() => undefined);
  return 0;
}

main().then((code) => process.exit(code), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
