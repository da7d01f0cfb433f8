/**
 * A whole system on loopback for one drill: a Temporal dev server (its own SQLite file under a
 * temp dir), the demo systems, the API and worker processes, each a real process so that
 * `kill -9` and restarts are real. Everything is torn down by `stop()`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startDevServer, type DevServer } from '../../lib/dev-server';
import { freePort, startProcess, waitFor, type ManagedProcess } from '../../lib/processes';
import { loadConfig } from '../../../src/config';
import { waitForCurrentVersion } from '../../../src/temporal/deployment';
import { deploymentOf } from '../../../src/temporal/worker';
import { bundleWorkflowSources } from '../../../src/temporal/workflow-bundle';
import { systemsAdminToken } from './admin';

const ROOT = path.resolve(__dirname, '../../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

/** Options of a drill stack. */
export interface StackOptions {
  /** Worker processes to start (default 1). */
  workers?: number;
  /** API processes to start (default 1). */
  apis?: number;
  /** Prepares the demo systems' database before the systems process opens it. */
  seed?: (systemsDbFile: string) => void;
  /** Extra environment for the API and workers (e.g. LLM settings). */
  env?: Record<string, string>;
  /** Inherit child output (debugging). */
  verbose?: boolean;
  /** Use this Temporal server (and a task queue of its own) instead of starting a dev server. */
  temporalAddress?: string;
  /** A prebuilt workflow bundle; bundled into the temp dir when absent. */
  bundlePath?: string;
}

/** A running drill stack. */
export interface DrillStack {
  dir: string;
  /** The dev server started for this stack (undefined with `temporalAddress`). */
  server: DevServer | undefined;
  taskQueue: string;
  apiUrls: string[];
  systemsUrl: string;
  workers: ManagedProcess[];
  /** Starts one more worker process; resolves once it is spawned. */
  startWorker(): Promise<ManagedProcess>;
  /** Stops the dev server (SIGTERM, or SIGKILL with `crash`) and keeps its SQLite file. */
  stopServer(crash?: boolean): Promise<void>;
  /** Starts the dev server again on the same port and SQLite file. */
  startServer(): Promise<void>;
  /** SIGKILLs every process of the stack at once (dev server, systems, workers, APIs): a power cut. */
  crashAll(): Promise<void>;
  /** Starts everything again after `crashAll`, on the same ports and files; resolves once ready. */
  restartAll(): Promise<void>;
  /** Resident set size in KiB of each live process of a role (`worker` | `api`), summed over its process group. */
  rss(role: 'worker' | 'api'): number[];
  stop(): Promise<void>;
}

/** Process ids of the group led by `pgid` (a child started by `startProcess` and its children), from /proc. */
export function groupPids(pgid: number | undefined): number[] {
  if (!pgid) return [];
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) pids.push(Number(entry)); // field 5 of stat: process group id
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** RSS (KiB) of every process in the group led by `pgid`, from /proc. */
export function groupRssKiB(pgid: number | undefined): number {
  let total = 0;
  for (const pid of groupPids(pgid)) {
    try {
      total += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}

/**
 * Waits until `count` distinct workers poll the task queue for workflow tasks and, given the
 * workers' environment, until their deployment version is current (they make it so themselves).
 */
export async function waitForPollers(address: string, taskQueue: string, count: number, timeoutMs = 120_000, workerEnv?: NodeJS.ProcessEnv): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await waitFor(`${count} workers polling ${taskQueue}`, async () => {
      const res = await connection.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, taskQueueType: 1 });
      return new Set((res.pollers ?? []).map((p) => p.identity)).size >= count;
    }, timeoutMs, 300);
    if (workerEnv) {
      const { name, buildId } = deploymentOf(loadConfig(workerEnv));
      await waitForCurrentVersion(new Client({ connection }), { deploymentName: name, buildId }, timeoutMs);
    }
  } finally {
    await connection.close();
  }
}

/** Runs `body` on a freshly started stack and always stops the stack; resolves with the body's verdict. */
export async function withStack(options: StackOptions, body: (stack: DrillStack) => Promise<boolean>): Promise<boolean> {
  const stack = await startStack(options);
  try {
    return await body(stack);
  } finally {
    await stack.stop();
  }
}

/** A drill's entry point: exit 0 when it passed, 1 when it found a loss or threw. */
export function runDrill(main: () => Promise<boolean>): void {
  main().then(
    (passed) => process.exit(passed ? 0 : 1),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}

/** Starts a drill stack on free loopback ports. */
export async function startStack(options: StackOptions = {}): Promise<DrillStack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drill-'));
  options.seed?.(path.join(dir, 'systems.db'));
  let bundlePath = options.bundlePath;
  if (!bundlePath) {
    bundlePath = path.join(dir, 'workflow-bundle.js');
    const { code } = await bundleWorkflowSources();
    fs.writeFileSync(bundlePath, code);
  }

  const dbFile = path.join(dir, 'temporal.db');
  let server = options.temporalAddress ? undefined : await startDevServer({ dbFile, headless: true });
  const port = server?.port;
  const taskQueue = options.temporalAddress ? `drill-${path.basename(dir)}` : 'problems';
  const systemsPort = await freePort();
  const systemsUrl = `http://127.0.0.1:${systemsPort}`;
  const env = {
    ...process.env,
    NODE_ENV: 'development',
    TEMPORAL_ADDRESS: options.temporalAddress ?? server!.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    DATA_DIR: dir,
    SYSTEMS_PORT: String(systemsPort),
    SYSTEMS_URL: systemsUrl,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '1000000',
    SUBMISSIONS_PER_MINUTE: '1000000',
    SYSTEMS_ADMIN_TOKEN: systemsAdminToken(),
    WORKFLOW_BUNDLE_PATH: bundlePath,
    // Versioned workers: a deployment per task queue on a shared server; each worker makes its version current.
    ...(options.temporalAddress ? { WORKER_DEPLOYMENT_NAME: taskQueue } : {}),
    WORKER_SET_CURRENT: 'true',
    ...options.env,
  };
  const stdio = options.verbose ? 'inherit' : (['ignore', 'ignore', 'inherit'] as const);
  // DRILL_LOG_DIR keeps each child's output in <dir>/<name>.log for a post-mortem.
  const logDir = process.env.DRILL_LOG_DIR;
  if (logDir) fs.mkdirSync(logDir, { recursive: true });
  const spawn = (name: string, script: string, extra: Record<string, string> = {}) => {
    const out = logDir ? fs.openSync(path.join(logDir, `${name}.log`), 'a') : undefined;
    return startProcess(name, TSX, [path.join(ROOT, script)], { env: { ...env, ...extra }, cwd: ROOT, stdio: (out === undefined ? stdio : ['ignore', out, out]) as 'inherit' });
  };

  const processes: ManagedProcess[] = [spawn('systems', 'src/systems/server.ts')];
  const apiPorts: number[] = [];
  const workers: ManagedProcess[] = [];
  const apis: ManagedProcess[] = [];
  const apiUrls: string[] = [];
  // Each worker process gets metrics ports of its own (several share one host here).
  const metricsPorts = async () => ({ WORKER_METRICS_PORT: String(await freePort()), WORKER_APP_METRICS_PORT: String(await freePort()) });
  const startWorker = async () => {
    const worker = spawn(`worker-${workers.length + 1}`, 'src/temporal/worker-main.ts', await metricsPorts());
    workers.push(worker);
    return worker;
  };
  for (let i = 0; i < (options.workers ?? 1); i++) await startWorker();
  for (let i = 0; i < (options.apis ?? 1); i++) {
    const apiPort = await freePort();
    apiPorts.push(apiPort);
    apis.push(spawn(`api-${i + 1}`, 'src/api/server.ts', { PORT: String(apiPort) }));
    apiUrls.push(`http://127.0.0.1:${apiPort}`);
  }
  const stack: DrillStack = {
    dir,
    get server() {
      return server;
    },
    taskQueue,
    apiUrls,
    systemsUrl,
    workers,
    startWorker,
    async stopServer(crash = false) {
      if (!server) throw new Error('this stack does not own its Temporal server');
      if (crash) await server.process.kill();
      else await server.stop();
    },
    async startServer() {
      if (!port) throw new Error('this stack does not own its Temporal server');
      server = await startDevServer({ dbFile, port, headless: true });
    },
    async crashAll() {
      if (!server) throw new Error('this stack does not own its Temporal server');
      await Promise.all([server.process.kill(), ...[...apis, ...workers, ...processes].map((p) => p.kill())]);
    },
    async restartAll() {
      if (!port) throw new Error('this stack does not own its Temporal server');
      server = await startDevServer({ dbFile, port, headless: true });
      processes.splice(0, processes.length, spawn('systems', 'src/systems/server.ts'));
      const count = workers.length;
      workers.splice(0);
      for (let i = 0; i < count; i++) await startWorker();
      apis.splice(0, apis.length, ...apiPorts.map((p, i) => spawn(`api-${i + 1}`, 'src/api/server.ts', { PORT: String(p) })));
      await waitFor('demo systems', async () => (await fetch(`${systemsUrl}/healthz`)).ok, 60_000, 300);
      for (const url of apiUrls) await waitFor(`API ${url} ready`, async () => (await fetch(`${url}/readyz`)).ok, 120_000, 500);
      await waitForPollers(server.address, taskQueue, workers.length, undefined, env);
    },
    rss(role) {
      const list = role === 'worker' ? workers : apis;
      return list.filter((p) => p.child.exitCode === null && p.child.signalCode === null).map((p) => groupRssKiB(p.child.pid));
    },
    async stop() {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      for (const p of [...apis, ...workers, ...processes].reverse()) await p.stop(5000);
      await server?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  // A drill stopped by Ctrl-C or `timeout` still takes its processes down with it.
  const onSignal = (signal: NodeJS.Signals) => void stack.stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await waitFor('demo systems', async () => (await fetch(`${systemsUrl}/healthz`)).ok, 60_000, 300);
    for (const url of apiUrls) await waitFor(`API ${url} ready`, async () => (await fetch(`${url}/readyz`)).ok, 120_000, 500);
    await waitForPollers(options.temporalAddress ?? server!.address, taskQueue, workers.length, undefined, env);
    const dead = [...workers, ...processes].filter((p) => p.child.exitCode !== null || p.child.signalCode !== null);
    if (dead.length) throw new Error(`${dead.map((p) => p.name).join(', ')} exited during start-up`);
  } catch (err) {
    await stack.stop();
    throw err;
  }
  return stack;
}
