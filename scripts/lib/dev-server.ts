import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { searchAttributeFlags } from '../../src/temporal/search-attributes';
import { freePort, portHolder, startGuardedCommand, waitFor, type ManagedProcess } from './processes';

const ROOT = path.resolve(__dirname, '../..');

/** Path of the Temporal CLI, installing it into .tools/ first if needed. */
export function temporalBinary(): string {
  return execFileSync(path.join(ROOT, 'scripts/install-temporal.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

/** Options of a dev server; ports default to free ones. */
export interface DevServerOptions {
  dbFile?: string;
  port?: number;
  uiPort?: number;
  /** Port of the server's Prometheus metrics (request counts per gRPC operation); a free one by default. */
  metricsPort?: number;
  headless?: boolean;
  namespace?: string;
  logLevel?: string;
  stdio?: 'inherit' | 'ignore';
  extraArgs?: string[];
}

/** A running Temporal dev server. */
export interface DevServer {
  address: string;
  port: number;
  uiPort: number | undefined;
  metricsPort: number;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` with the contract's search attributes registered and
 * waits until its frontend answers. It runs behind a guard, so it stops when this process dies.
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const binary = temporalBinary();
  const port = options.port ?? (await freePort());
  const uiPort = options.headless ? undefined : (options.uiPort ?? (await freePort()));
  const metricsPort = options.metricsPort ?? (await freePort());
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(port),
    '--http-port', String(await freePort()),
    '--metrics-port', String(metricsPort),
    '--namespace', options.namespace ?? 'default',
    '--log-level', options.logLevel ?? 'error',
    '--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true',
    // Eager activity dispatch: an activity the workflow schedules on its own task queue comes back
    // with the workflow task's completion when the worker has a free slot, instead of a round trip
    // through matching (off by default in the server; deploy/temporal/dynamicconfig.yaml sets it too).
    '--dynamic-config-value', 'system.enableActivityEagerExecution=true',
    // WAL with synchronous=NORMAL: a commit is written to the WAL without an fsync (checkpoints
    // still fsync), so a killed server loses nothing it acknowledged; only an OS crash or power
    // loss can drop the last commits. With the default FULL every commit waits for an fsync under
    // SQLite's single writer lock: ~30 per problem, the stack's throughput ceiling on a slow disk
    // (docs/BENCHMARKS.md, *Performance*).
    ...(options.dbFile ? ['--db-filename', options.dbFile, '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=NORMAL'] : []),
    ...(uiPort ? ['--ui-port', String(uiPort), '--ui-disable-news-fetch'] : ['--headless']),
    ...searchAttributeFlags.flatMap((flag) => ['--search-attribute', flag]),
    ...(options.extraArgs ?? []),
  ];
  const proc = startGuardedCommand('temporal', binary, args, { stdio: options.stdio ?? 'ignore', cwd: ROOT });
  const address = `127.0.0.1:${port}`;
  const ready = waitFor(`Temporal dev server on ${address}`, async () => {
    const connection = await Connection.connect({ address, connectTimeout: 1000 });
    try {
      await connection.withDeadline(Date.now() + 1000, () => connection.workflowService.getSystemInfo({}));
      return true;
    } finally {
      await connection.close();
    }
  }, 60_000, 300);
  const exitedEarly = proc.exited.then((code) => {
    const holder = portHolder(port);
    throw new Error(`Temporal dev server exited during start-up (code ${code})${holder ? `: port ${port} is held by ${holder}` : ''}`);
  });
  await Promise.race([ready, exitedEarly]).catch(async (err) => {
    await proc.stop(1000);
    throw err;
  });
  exitedEarly.catch(() => undefined);
  return { address, port, uiPort, metricsPort, process: proc, stop: () => proc.stop(10_000) };
}
