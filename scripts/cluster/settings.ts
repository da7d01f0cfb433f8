/**
 * The one place that says how the Temporal cluster is configured, for `npm run cluster` and for
 * docker-compose.yml alike: both run `temporal-server start` with its embedded config template
 * (the one the temporalio/server image uses) rendered from these environment values.
 * test/unit/compose.test.ts fails when the compose file drifts from them.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Temporal server version, pinned in scripts/cluster/temporal-server.version (read by the Go build too). */
export const TEMPORAL_SERVER_VERSION = fs.readFileSync(path.join(__dirname, 'temporal-server.version'), 'utf8').trim();

/** The services, each its own process (or container). */
export const TEMPORAL_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];

/** Values that are the same wherever the cluster runs (a history shard count can never change). */
export const CLUSTER_CONSTANTS = {
  DB: 'postgres12',
  DBNAME: 'temporal',
  VISIBILITY_DBNAME: 'temporal_visibility',
  POSTGRES_USER: 'temporal',
  NUM_HISTORY_SHARDS: '4',
  LOG_LEVEL: 'warn',
  // No authorizer: the frontend is reachable on loopback (or the compose network) only.
  TEMPORAL_ALLOW_NO_AUTH: 'true',
} as const;

/** How long closed workflows stay in the namespace. */
export const NAMESPACE_RETENTION_HOURS = 72;

/** The dynamic config file both deployments load. */
export const DYNAMIC_CONFIG_FILE = 'deploy/temporal/dynamicconfig.yaml';

/** Schemas embedded in temporal-sql-tool, per database. */
export const SCHEMAS = [
  { database: CLUSTER_CONSTANTS.DBNAME, schemaName: 'postgresql/v12/temporal' },
  { database: CLUSTER_CONSTANTS.VISIBILITY_DBNAME, schemaName: 'postgresql/v12/visibility' },
] as const;

/** Ports of one service. */
export interface ServicePorts {
  grpc: number;
  membership: number;
  metrics: number;
  /** Frontend only: the HTTP API. */
  http?: number;
}

/** Where the local cluster listens. */
export interface ClusterPorts {
  postgres: number;
  services: Record<TemporalService, ServicePorts>;
}

const PORT_VARS: Record<TemporalService, { grpc: string; membership: string }> = {
  frontend: { grpc: 'FRONTEND_GRPC_PORT', membership: 'FRONTEND_MEMBERSHIP_PORT' },
  history: { grpc: 'HISTORY_GRPC_PORT', membership: 'HISTORY_MEMBERSHIP_PORT' },
  matching: { grpc: 'MATCHING_GRPC_PORT', membership: 'MATCHING_MEMBERSHIP_PORT' },
  worker: { grpc: 'WORKER_GRPC_PORT', membership: 'WORKER_MEMBERSHIP_PORT' },
};

/**
 * Environment of one `temporal-server start --service <service>` process of the local cluster:
 * the shared constants, loopback addresses, and ports chosen for this machine.
 */
export function temporalServerEnv(options: { root: string; service: TemporalService; ports: ClusterPorts; postgresPassword: string }): Record<string, string> {
  const { ports } = options;
  const env: Record<string, string> = {
    ...CLUSTER_CONSTANTS,
    POSTGRES_SEEDS: '127.0.0.1',
    DB_PORT: String(ports.postgres),
    // The template reads the visibility store's port from POSTGRES_PORT, not DB_PORT.
    POSTGRES_PORT: String(ports.postgres),
    POSTGRES_PWD: options.postgresPassword,
    BIND_ON_IP: '127.0.0.1',
    TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
    DYNAMIC_CONFIG_FILE_PATH: path.join(options.root, DYNAMIC_CONFIG_FILE),
    PROMETHEUS_ENDPOINT: `127.0.0.1:${ports.services[options.service].metrics}`,
    FRONTEND_HTTP_PORT: String(ports.services.frontend.http),
  };
  for (const service of TEMPORAL_SERVICES) {
    env[PORT_VARS[service].grpc] = String(ports.services[service].grpc);
    env[PORT_VARS[service].membership] = String(ports.services[service].membership);
  }
  return env;
}
