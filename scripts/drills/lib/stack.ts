/**
 * A whole system on loopback for one drill: a Temporal dev server (its own SQLite file under a
 * temp dir), the demo systems, the API and worker processes, each a real process so that
 * `kill -9` and restarts are real. Everything is torn down by `stop()`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startDevServer, type DevServer } from '../../lib/dev-server';
import { freePort, startProcess, waitFor, type ManagedProcess } from '../../lib/processes';
import { WORKFLOWS_PATH } from '../../../src/temporal/worker';

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
}

/** A running drill stack. */
export interface DrillStack {
  dir: string;
  server: DevServer;
  apiUrls: string[];
  systemsUrl: string;
  workers: ManagedProcess[];
  /** Starts one more worker process; resolves once it is spawned. */
  startWorker(): ManagedProcess;
  /** Stops the dev server (SIGTERM, or SIGKILL with `crash`) and keeps its SQLite file. */
  stopServer(crash?: boolean): Promise<void>;
  /** Starts the dev server again on the same port and SQLite file. */
  startServer(): Promise<void>;
  /** Resident set size in KiB of each live process of a role (`worker` | `api`), summed over its process group. */
  rss(role: 'worker' | 'api'): number[];
  stop(): Promise<void>;
}

const quietBundleLogger = { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} };

/** RSS (KiB) of every process in the group led by `pid`, from /proc. */
export function groupRssKiB(pid: number | undefined): number {
  if (!pid) return 0;
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pid) continue; // field 5 of stat: process group id
      const status = fs.readFileSync(`/proc/${entry}/status`, 'utf8');
      total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}

/** Starts a drill stack on free loopback ports. */
export async function startStack(options: StackOptions = {}): Promise<DrillStack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drill-'));
  options.seed?.(path.join(dir, 'systems.db'));
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundleLogger });
  fs.writeFileSync(bundlePath, code);

  const dbFile = path.join(dir, 'temporal.db');
  let server = await startDevServer({ dbFile, headless: true });
  const port = server.port;
  const systemsPort = await freePort();
  const systemsUrl = `http://127.0.0.1:${systemsPort}`;
  const env = {
    ...process.env,
    NODE_ENV: 'development',
    TEMPORAL_ADDRESS: server.address,
    DATA_DIR: dir,
    SYSTEMS_PORT: String(systemsPort),
    SYSTEMS_URL: systemsUrl,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '1000000',
    WORKFLOW_BUNDLE_PATH: bundlePath,
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
  const workers: ManagedProcess[] = [];
  const apis: ManagedProcess[] = [];
  const apiUrls: string[] = [];
  const startWorker = () => {
    const worker = spawn(`worker-${workers.length + 1}`, 'src/temporal/worker-main.ts');
    workers.push(worker);
    return worker;
  };
  for (let i = 0; i < (options.workers ?? 1); i++) startWorker();
  for (let i = 0; i < (options.apis ?? 1); i++) {
    const apiPort = await freePort();
    apis.push(spawn(`api-${i + 1}`, 'src/api/server.ts', { PORT: String(apiPort) }));
    apiUrls.push(`http://127.0.0.1:${apiPort}`);
  }
  const stack: DrillStack = {
    dir,
    get server() {
      return server;
    },
    apiUrls,
    systemsUrl,
    workers,
    startWorker,
    async stopServer(crash = false) {
      if (crash) await server.process.kill();
      else await server.stop();
    },
    async startServer() {
      server = await startDevServer({ dbFile, port, headless: true });
    },
    rss(role) {
      const list = role === 'worker' ? workers : apis;
      return list.filter((p) => p.child.exitCode === null && p.child.signalCode === null).map((p) => groupRssKiB(p.child.pid));
    },
    async stop() {
      for (const p of [...apis, ...workers, ...processes].reverse()) await p.stop(5000);
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitFor('demo systems', async () => (await fetch(`${systemsUrl}/healthz`)).ok, 60_000, 300);
    for (const url of apiUrls) await waitFor(`API ${url} ready`, async () => (await fetch(`${url}/readyz`)).ok, 120_000, 500);
  } catch (err) {
    await stack.stop();
    throw err;
  }
  return stack;
}
