import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker, type ReplayWorkerOptions, type WorkerOptions } from '@temporalio/worker';
import type { WorkerDeploymentVersion } from '@temporalio/common';

/** Worker Versioning of one build: the deployment's name and this code's build id. */
export interface DeploymentSettings {
  name: string;
  buildId: string;
}

/**
 * Worker options of a versioned worker. Every workflow type here is PINNED: a problem waits up
 * to 7 days for an approval and 90 for a revocation, and finishes on the code that started it,
 * unless moved by {@link upgradePinned} after its history replayed on the new code; a policy
 * simulation evaluates all its pages with one build's rules.
 */
export function workerDeploymentOptions(settings: DeploymentSettings): NonNullable<WorkerOptions['workerDeploymentOptions']> {
  return { version: { deploymentName: settings.name, buildId: settings.buildId }, useWorkerVersioning: true, defaultVersioningBehavior: 'PINNED' };
}

/** `name:buildId`, as the CLI and the `TemporalWorkerDeploymentVersion` search attribute spell a version. */
export const versionString = (v: WorkerDeploymentVersion): string => `${v.deploymentName}:${v.buildId}`;

const FAILED_PRECONDITION = 9;
const NOT_FOUND = 5;
const grpcCode = (err: unknown): number | undefined => (err as { code?: number }).code;

/**
 * Makes `version` the deployment's current version: new problems start on it. A version exists
 * only once its workers have polled, and may not drop a task queue the current version serves,
 * so this retries until they have (or `timeoutMs` passes). Idempotent.
 */
export async function setCurrentVersion(client: Client, version: WorkerDeploymentVersion, options: { timeoutMs?: number; identity?: string } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    try {
      await client.workflowService.setWorkerDeploymentCurrentVersion({
        namespace: client.options.namespace,
        deploymentName: version.deploymentName,
        buildId: version.buildId,
        identity: options.identity ?? 'set-current-version',
      });
      return;
    } catch (err) {
      const notYet = grpcCode(err) === FAILED_PRECONDITION || grpcCode(err) === NOT_FOUND;
      if (!notYet || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** One version of a deployment as `describe` shows it. */
export interface VersionSummary {
  buildId: string;
  status: string;
  /** `draining` while pinned problems still run on it, `drained` once none do (checked every few minutes). */
  drainage: string | null;
}

const enumName = (names: Record<number, string>, value: number | null | undefined, prefix: string): string =>
  (names[value ?? 0] ?? String(value)).replace(prefix, '').toLowerCase();

/** The deployment's current build id and every version with its status and drainage. */
export async function describeDeployment(client: Client, deploymentName: string): Promise<{ current: string | null; versions: VersionSummary[] }> {
  const res = await client.workflowService.describeWorkerDeployment({ namespace: client.options.namespace, deploymentName });
  const info = res.workerDeploymentInfo;
  const statuses = temporal.api.enums.v1.WorkerDeploymentVersionStatus;
  const drainages = temporal.api.enums.v1.VersionDrainageStatus;
  return {
    current: info?.routingConfig?.currentDeploymentVersion?.buildId ?? null,
    versions: (info?.versionSummaries ?? []).map((s) => ({
      buildId: s.deploymentVersion?.buildId ?? '',
      status: enumName(statuses, s.status, 'WORKER_DEPLOYMENT_VERSION_STATUS_'),
      drainage: s.drainageStatus ? enumName(drainages, s.drainageStatus, 'VERSION_DRAINAGE_STATUS_') : null,
    })),
  };
}

/** What {@link upgradePinned} did with the problems pinned to other versions. */
export interface UpgradeReport {
  /** Replayed on this code and now pinned to `version`. */
  upgraded: { workflowId: string; from: string }[];
  /** Their histories do not replay on this code: they need workers of their own version. */
  stranded: { workflowId: string; from: string; error: string }[];
}

/**
 * The rule for problems pinned to a version whose workers are gone (e.g. `npm start` restarted
 * on changed code): each running workflow of the deployment pinned elsewhere is replayed on this
 * code; if its history replays, it is pinned to `version` (a versioning override); if it does
 * not, it stays where it is and is reported, to be served by workers of its own build. A history
 * that replays means this code reproduces every decision and command so far, and the recorded
 * decisions are read from history, so nothing already decided changes; what happens next runs on
 * this code. With `dryRun`, only reports.
 */
export async function upgradePinned(
  client: Client,
  version: WorkerDeploymentVersion,
  replay: ReplayWorkerOptions,
  options: { dryRun?: boolean; identity?: string; limit?: number } = {},
): Promise<UpgradeReport> {
  const query = `TemporalWorkerDeployment = '${version.deploymentName}' AND ExecutionStatus = 'Running' AND TemporalWorkerDeploymentVersion != '${versionString(version)}'`;
  const report: UpgradeReport = { upgraded: [], stranded: [] };
  let seen = 0;
  for await (const wf of client.workflow.list({ query })) {
    if (++seen > (options.limit ?? 10_000)) break;
    const described = await client.workflowService.describeWorkflowExecution({ namespace: client.options.namespace, execution: { workflowId: wf.workflowId, runId: wf.runId } });
    const info = described.workflowExecutionInfo?.versioningInfo;
    const pinnedTo = info?.versioningOverride?.pinned?.version ?? info?.deploymentVersion;
    if (!pinnedTo || pinnedTo.buildId === version.buildId || pinnedTo.deploymentName !== version.deploymentName) continue;
    const from = pinnedTo.buildId ?? '';
    const history = await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
    try {
      await Worker.runReplayHistory(replay, history, wf.workflowId);
    } catch (err) {
      report.stranded.push({ workflowId: wf.workflowId, from, error: err instanceof Error ? `${err.name}: ${err.message.split('\n')[0]}` : String(err) });
      continue;
    }
    if (!options.dryRun) {
      await client.workflowService.updateWorkflowExecutionOptions({
        namespace: client.options.namespace,
        workflowExecution: { workflowId: wf.workflowId, runId: wf.runId },
        workflowExecutionOptions: {
          versioningOverride: { pinned: { behavior: temporal.api.workflow.v1.VersioningOverride.PinnedOverrideBehavior.PINNED_OVERRIDE_BEHAVIOR_PINNED, version } },
        },
        updateMask: { paths: ['versioning_override'] },
        identity: options.identity ?? 'upgrade-pinned',
      });
    }
    report.upgraded.push({ workflowId: wf.workflowId, from });
  }
  return report;
}

/** Waits until `version` is its deployment's current version (set by its workers with WORKER_SET_CURRENT). */
export async function waitForCurrentVersion(client: Client, version: WorkerDeploymentVersion, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await describeDeployment(client, version.deploymentName).then((d) => d.current, () => null);
    if (current === version.buildId) return;
    if (Date.now() > deadline) throw new Error(`version ${versionString(version)} did not become current within ${timeoutMs} ms (current: ${current ?? 'none'})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
