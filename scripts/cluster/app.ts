/**
 * The project's own processes against a Temporal cluster: the demo systems of record, N worker
 * and M API processes, all loading one prebuilt workflow bundle (the deployment's, with the
 * OpenTelemetry interceptors) and each watching this process's pipe, so none outlives it.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflows } from '../../src/temporal/workflow-bundle';
import { systemsAdminToken } from '../drills/lib/admin';
import { waitForPollers } from '../drills/lib/stack';
import { freePort, startNodeScript, waitFor, type ManagedProcess } from '../lib/processes';

const ROOT = path.resolve(__dirname, '../..');

/** Options of the app processes. */
export interface AppOptions {
  temporalAddress: string;
  /** Systems database, bundle, logs and the payload key live here. */
  dir: string;
  workers: number;
  apis: number;
  taskQueue?: string;
  /** Ports of the API processes (free ones when absent). */
  apiPorts?: number[];
  /** Prepares the demo systems' database before the systems process opens it. */
  seed?: (systemsDbFile: string) => void;
  env?: Record<string, string>;
}

/** The running app processes. */
export interface App {
  apiUrls: string[];
  systemsUrl: string;
  workers: ManagedProcess[];
  apis: ManagedProcess[];
  /** Starts worker `i` (0-based) again after it exited. */
  restartWorker(i: number): Promise<void>;
  stop(): Promise<void>;
}

/** A payload key kept with the cluster's state, so workflows stay readable across restarts. */
function payloadKeys(dir: string): string {
  const file = path.join(dir, 'payload-key');
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  return JSON.stringify([{ id: 'cluster-1', key: fs.readFileSync(file, 'utf8').trim() }]);
}

/** Starts systems, workers and APIs; resolves once the APIs are ready and the workers poll. */
export async function startApp(options: AppOptions): Promise<App> {
  const { dir } = options;
  fs.mkdirSync(dir, { recursive: true });
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, (await bundleWorkflows()).code);
  options.seed?.(path.join(dir, 'systems.db'));
  const taskQueue = options.taskQueue ?? 'problems';
  const systemsPort = await freePort();
  const systemsUrl = `http://127.0.0.1:${systemsPort}`;
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    TEMPORAL_ADDRESS: options.temporalAddress,
    TEMPORAL_TASK_QUEUE: taskQueue,
    DATA_DIR: dir,
    SYSTEMS_PORT: String(systemsPort),
    SYSTEMS_URL: systemsUrl,
    WORKFLOW_BUNDLE_PATH: bundlePath,
    PAYLOAD_ENCRYPTION_KEYS: payloadKeys(dir),
    RATE_LIMIT_PER_MINUTE: '1000000',
    SUBMISSIONS_PER_MINUTE: '1000000',
    // The drills read the ledger through the demo systems' admin routes, which need this token.
    SYSTEMS_ADMIN_TOKEN: systemsAdminToken(),
    // Each worker makes its (one) version current once it polls: new problems start on it.
    WORKER_SET_CURRENT: 'true',
    ...options.env,
  };
  const spawn = (name: string, script: string, extra: Record<string, string> = {}) => {
    const out = fs.openSync(path.join(dir, `${name}.log`), 'a');
    return startNodeScript(name, path.join(ROOT, script), [], { env: { ...env, ...extra }, cwd: ROOT, stdio: ['ignore', out, out] });
  };

  const systems = spawn('systems', 'src/systems/server.ts');
  const workers: ManagedProcess[] = [];
  const startWorker = async (i: number) => {
    workers[i] = spawn(`worker-${i + 1}`, 'src/temporal/worker-main.ts', { WORKER_METRICS_PORT: String(await freePort()), WORKER_APP_METRICS_PORT: String(await freePort()) });
  };
  for (let i = 0; i < options.workers; i++) await startWorker(i);
  const apis: ManagedProcess[] = [];
  const apiUrls: string[] = [];
  for (let i = 0; i < options.apis; i++) {
    const port = options.apiPorts?.[i] ?? (await freePort());
    apis.push(spawn(`api-${i + 1}`, 'src/api/server.ts', { PORT: String(port) }));
    apiUrls.push(`http://127.0.0.1:${port}`);
  }
  const stop = async () => {
    for (const p of [...apis, ...workers, systems]) await p.stop(15_000);
  };
  try {
    await waitFor('demo systems', async () => (await fetch(`${systemsUrl}/healthz`)).ok, 60_000, 300);
    for (const url of apiUrls) await waitFor(`API ${url} ready`, async () => (await fetch(`${url}/readyz`)).ok, 120_000, 500);
    await waitForPollers(options.temporalAddress, taskQueue, workers.length, undefined, env);
    const dead = [systems, ...workers, ...apis].filter((p) => p.child.exitCode !== null || p.child.signalCode !== null);
    if (dead.length) throw new Error(`${dead.map((p) => p.name).join(', ')} exited during start-up; see ${dir}/<name>.log`);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    apiUrls,
    systemsUrl,
    workers,
    apis,
    async restartWorker(i) {
      await startWorker(i);
    },
    stop,
  };
}
