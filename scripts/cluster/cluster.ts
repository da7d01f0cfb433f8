/**
 * A real multi-service Temporal cluster on this machine: a private PostgreSQL, the default and
 * visibility schemas set up and migrated by temporal-sql-tool, history, matching, frontend and
 * worker as separate `temporal-server` processes (each behind a guard, so none outlives the
 * process that started it), the namespace and the project's search attributes registered.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { problemSearchAttributes } from '../../src/temporal/search-attributes';
import { freePort, freePortInRange, portInUse, startGuardedCommand, waitFor, type ManagedProcess } from '../lib/processes';
import { temporalBinaries, type TemporalBinaries } from './binaries';
import { ensurePostgresInstalled, privatePostgres, type PrivatePostgres } from './postgres';
import { CLUSTER_CONSTANTS, NAMESPACE_RETENTION_HOURS, SCHEMAS, TEMPORAL_SERVICES, temporalServerEnv, type ClusterPorts, type TemporalService } from './settings';

const ROOT = path.resolve(__dirname, '../..');
const { IndexedValueType } = temporal.api.enums.v1;

/** Options of a local cluster. */
export interface ClusterOptions {
  /** State directory: PostgreSQL in `<dataDir>/pg`, the rest in `<dataDir>/cluster` (default .data). */
  dataDir?: string;
  namespace?: string;
  log?: (line: string) => void;
}

/** A running local cluster. */
export interface LocalCluster {
  /** host:port of the frontend's gRPC API. */
  address: string;
  namespace: string;
  ports: ClusterPorts;
  postgres: PrivatePostgres;
  services: Record<TemporalService, ManagedProcess>;
  /** Directory with each service's log and the cluster's secrets. */
  stateDir: string;
  /** SIGKILLs one service process. */
  killService(service: TemporalService): Promise<void>;
  /** Starts a service again on its ports (after a kill or a stop). */
  startService(service: TemporalService): Promise<void>;
  /** Whether the frontend answers. */
  frontendUp(): Promise<boolean>;
  /** Stops every service, then PostgreSQL. */
  stop(): Promise<void>;
}

/** Reuses the ports of the previous run when all are still free, so TEMPORAL_ADDRESS stays stable. */
async function choosePorts(file: string): Promise<ClusterPorts> {
  try {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as ClusterPorts;
    const all = [saved.postgres, ...Object.values(saved.services).flatMap((s) => [s.grpc, s.membership, s.metrics, ...(s.http ? [s.http] : [])])];
    const membershipOk = Object.values(saved.services).every((s) => s.membership < 32768);
    if (membershipOk && all.every((p) => Number.isInteger(p)) && !(await Promise.all(all.map((p) => portInUse(p)))).some(Boolean)) return saved;
  } catch {
    // first run, or a file from an older layout
  }
  // Temporal keeps membership ports in a smallint column: they must be below 32768, where the
  // OS's ephemeral ports never are.
  const service = async (http = false) => ({ grpc: await freePort(), membership: await freePortInRange(20000, 32767), metrics: await freePort(), ...(http ? { http: await freePort() } : {}) });
  const ports: ClusterPorts = {
    postgres: await freePort(),
    services: { frontend: await service(true), history: await service(), matching: await service(), worker: await service() },
  };
  fs.writeFileSync(file, JSON.stringify(ports, null, 2));
  return ports;
}

/** Creates both databases (idempotent), sets up schema versioning and migrates to the embedded schemas. */
function setUpSchemas(binaries: TemporalBinaries, pg: PrivatePostgres, log: (line: string) => void): void {
  for (const { database, schemaName } of SCHEMAS) {
    const env = { ...process.env, SQL_PLUGIN: CLUSTER_CONSTANTS.DB, SQL_HOST: '127.0.0.1', SQL_PORT: String(pg.port), SQL_USER: CLUSTER_CONSTANTS.POSTGRES_USER, SQL_PASSWORD: pg.password, SQL_DATABASE: database };
    for (const args of [['create-database'], ['setup-schema', '-v', '0.0'], ['update-schema', '--schema-name', schemaName]]) {
      try {
        execFileSync(binaries.sqlTool, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (err) {
        const e = err as { stderr?: Buffer; stdout?: Buffer };
        throw new Error(`temporal-sql-tool ${args.join(' ')} on ${database} failed:\n${e.stderr?.toString() ?? ''}${e.stdout?.toString() ?? ''}`);
      }
    }
    log(`schema ${schemaName} up to date in database ${database}`);
  }
}

/** Registers the namespace when missing and every search attribute of the project; throws on any mismatch. */
export async function registerNamespace(address: string, namespace: string, log: (line: string) => void): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const service = connection.workflowService;
    const exists = await service.describeNamespace({ namespace }).then(() => true, (err: { code?: number }) => {
      if (err.code === 5) return false; // NOT_FOUND
      throw err;
    });
    if (!exists) {
      await service.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(`${NAMESPACE_RETENTION_HOURS} hours`) });
      log(`namespace ${namespace} registered`);
    }
    // A new namespace reaches every frontend's cache within seconds.
    await waitFor(`namespace ${namespace} to be usable`, async () => {
      await service.listWorkflowExecutions({ namespace, pageSize: 1 });
      return true;
    }, 60_000, 500);
    const wanted = Object.fromEntries(Object.values(problemSearchAttributes).map((key) => [key.name, IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}` as keyof typeof IndexedValueType]]));
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: wanted });
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const wrong = Object.entries(wanted).filter(([name, type]) => customAttributes?.[name] !== type);
    if (wrong.length) throw new Error(`search attributes not registered as the code defines them: ${wrong.map(([n]) => `${n} (is ${customAttributes?.[n] ?? 'missing'})`).join(', ')}`);
    log(`search attributes registered: ${Object.keys(wanted).join(', ')}`);
  } finally {
    await connection.close();
  }
}

/** Whether a frontend answers on `address`. */
export async function frontendAnswers(address: string, timeoutMs = 1000): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: timeoutMs }).catch(() => undefined);
  if (!connection) return false;
  try {
    await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  } finally {
    await connection.close();
  }
}

/** Starts the cluster (building the binaries and installing PostgreSQL on first use). */
export async function startCluster(options: ClusterOptions = {}): Promise<LocalCluster> {
  const log = options.log ?? ((line: string) => console.log(line));
  const namespace = options.namespace ?? 'default';
  const dataDir = path.resolve(ROOT, options.dataDir ?? '.data');
  const stateDir = path.join(dataDir, 'cluster');
  fs.mkdirSync(stateDir, { recursive: true });

  const buildStarted = Date.now();
  const binaries = temporalBinaries();
  const buildSeconds = (Date.now() - buildStarted) / 1000;
  if (buildSeconds > 5) log(`temporal-server built in ${buildSeconds.toFixed(0)} s`);
  const binDir = ensurePostgresInstalled(log);
  const ports = await choosePorts(path.join(stateDir, 'ports.json'));
  const postgres = privatePostgres({ binDir, dir: path.join(dataDir, 'pg'), secretsDir: stateDir, port: ports.postgres, log });
  const services = {} as Record<TemporalService, ManagedProcess>;
  const address = `127.0.0.1:${ports.services.frontend.grpc}`;

  const startService = async (service: TemporalService) => {
    const env = { ...process.env, ...temporalServerEnv({ root: ROOT, service, ports, postgresPassword: postgres.password }) };
    const out = fs.openSync(path.join(stateDir, `${service}.log`), 'a');
    const proc = startGuardedCommand(service, binaries.server, ['start', '--service', service], { env, stdio: ['ignore', out, out] });
    services[service] = proc;
    // The worker service serves no gRPC; its membership (ringpop) port shows it has joined.
    const port = service === 'worker' ? ports.services.worker.membership : ports.services[service].grpc;
    const ready = waitFor(`Temporal ${service} on port ${port}`, async () => (service === 'frontend' ? frontendAnswers(address) : portInUse(port)), 90_000, 300);
    const died = proc.exited.then((code) => {
      throw new Error(`Temporal ${service} exited during start-up (code ${code}); see ${path.join(stateDir, `${service}.log`)}`);
    });
    await Promise.race([ready, died]);
    died.catch(() => undefined);
  };

  const stop = async () => {
    for (const service of [...TEMPORAL_SERVICES].reverse()) await services[service]?.stop(20_000);
    await postgres.stop('fast').catch((err: unknown) => log(`PostgreSQL stop: ${(err as Error).message}`));
    await postgres.process?.stop(10_000);
  };

  try {
    await postgres.start();
    log(`PostgreSQL ${path.basename(path.dirname(binDir))} on 127.0.0.1:${ports.postgres} (data ${postgres.dir})`);
    setUpSchemas(binaries, postgres, log);
    for (const service of TEMPORAL_SERVICES) {
      await startService(service);
      log(`temporal ${service} up (${service === 'worker' ? 'membership' : 'gRPC'} ${service === 'worker' ? ports.services.worker.membership : ports.services[service].grpc}, metrics http://127.0.0.1:${ports.services[service].metrics}/metrics)`);
    }
    await registerNamespace(address, namespace, log);
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    address,
    namespace,
    ports,
    postgres,
    services,
    stateDir,
    killService: (service) => services[service].kill(),
    startService,
    frontendUp: () => frontendAnswers(address),
    stop,
  };
}
