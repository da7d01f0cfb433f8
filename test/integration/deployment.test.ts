import fs from 'node:fs';
import path from 'node:path';
import { NativeConnection, bundleWorkflowCode, type Worker } from '@temporalio/worker';
import { loadConfig } from '../../src/config';
import { describeDeployment, setCurrentVersion, upgradePinned } from '../../src/temporal/deployment';
import { createWorker } from '../../src/temporal/worker';
import { extraWorkerDeps, keys, startHarness, submit, waitForStatus, type Harness } from '../support/harness';

jest.setTimeout(120_000);

let h: Harness;
let connection: NativeConnection;
let worker: Worker | undefined;
let running: Promise<void> | undefined;
const bundle = () => ({ workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! } });

beforeAll(async () => {
  h = await startHarness({ env: { APP_VERSION: 'build-a' } });
  connection = await NativeConnection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! });
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await h?.stop();
  await connection?.close();
});

/** Where a problem is pinned: its override's version, else the version that started it. */
async function pinnedBuild(id: string): Promise<string | null | undefined> {
  const d = await h.client.workflowService.describeWorkflowExecution({ namespace: 'default', execution: { workflowId: id } });
  const info = d.workflowExecutionInfo?.versioningInfo;
  return (info?.versioningOverride?.pinned?.version ?? info?.deploymentVersion)?.buildId;
}

test('problems pinned to a build whose workers are gone move to the new build only when their histories replay on its code', async () => {
  const text = 'Account ACC-1001, invoice INV-2001: please credit Rs 999 for the fiber plan.';
  const ids = await Promise.all([1, 2].map(async () => (await submit(h.app, keys.alice, { text })).json().id as string));
  for (const id of ids) await waitForStatus(h.app, keys.alice, id, ['awaiting_approval']);
  expect(await pinnedBuild(ids[0]!)).toBe('build-a');

  // Deploy build-b (the same workflow code) and stop build-a's worker: its pinned problems are stranded.
  await h.stopWorker();
  const config = loadConfig({ ...process.env, TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS, TEMPORAL_TASK_QUEUE: h.taskQueue, WORKER_DEPLOYMENT_NAME: h.taskQueue, APP_VERSION: 'build-b', LOG_LEVEL: 'silent', NODE_ENV: 'test' });
  ({ worker } = await createWorker({
    config,
    connection,
    ...bundle(),
    deps: extraWorkerDeps(config, h.systems.url),
  }));
  running = worker.run();
  const versionB = { deploymentName: h.taskQueue, buildId: 'build-b' };
  await setCurrentVersion(h.client, versionB);
  expect((await describeDeployment(h.client, h.taskQueue)).current).toBe('build-b');
  expect(await pinnedBuild(ids[0]!)).toBe('build-a');

  // Code whose histories differ: nothing moves, each problem is reported with the reason.
  const dir = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR ?? '/tmp', 'changed-'));
  const changed = path.join(dir, 'bundle.js');
  const quiet = { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} };
  fs.writeFileSync(changed, (await bundleWorkflowCode({ workflowsPath: path.resolve(__dirname, '../fixtures/changed-workflow'), logger: quiet })).code);
  const refused = await upgradePinned(h.client, versionB, { workflowBundle: { codePath: changed } });
  expect(refused.upgraded).toEqual([]);
  expect(refused.stranded.map((s) => s.workflowId).sort()).toEqual([...ids].sort());
  expect(refused.stranded[0]).toMatchObject({ from: 'build-a', error: expect.stringMatching(/determinism/i) });
  expect(await pinnedBuild(ids[0]!)).toBe('build-a');

  // The same code: both replay, move to build-b, and the approval is served by build-b's worker.
  const dry = await upgradePinned(h.client, versionB, bundle(), { dryRun: true });
  expect(dry.upgraded).toHaveLength(2);
  expect(await pinnedBuild(ids[0]!)).toBe('build-a');
  const moved = await upgradePinned(h.client, versionB, bundle());
  expect(moved).toEqual({ upgraded: expect.arrayContaining(ids.map((workflowId) => ({ workflowId, from: 'build-a' }))), stranded: [] });
  expect(await pinnedBuild(ids[0]!)).toBe('build-b');

  const waiting = await waitForStatus(h.app, keys.alice, ids[0]!, ['awaiting_approval']);
  const approved = await h.app.inject({ method: 'POST', url: `/v1/problems/${ids[0]}/approvals`, headers: { authorization: `Bearer ${keys.bob}` }, payload: { decision: 'approve', actionDigest: waiting.approval!.actionDigest } });
  expect(approved.statusCode).toBe(200);
  expect((await waitForStatus(h.app, keys.alice, ids[0]!, ['completed', 'rejected', 'failed'])).status).toBe('completed');
  const builds = new Set((await h.client.workflow.getHandle(ids[0]!).fetchHistory()).events!
    .map((e) => e.workflowTaskCompletedEventAttributes?.deploymentVersion?.buildId)
    .filter(Boolean));
  expect(builds).toEqual(new Set(['build-a', 'build-b']));
  // A second run finds nothing left to move.
  expect(await upgradePinned(h.client, versionB, bundle())).toEqual({ upgraded: [], stranded: [] });
});
