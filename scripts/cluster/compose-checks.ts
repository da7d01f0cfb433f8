/**
 * Checks that docker-compose.yml runs the same Temporal cluster as `npm run cluster`: image
 * versions, the server's environment, the schema job, the namespace job's search attributes (every
 * one the code sets), a read-only Web UI, and no failure hidden behind `|| true`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { searchAttributeFlags } from '../../src/temporal/search-attributes';
import { CLUSTER_CONSTANTS, NAMESPACE_RETENTION_HOURS, SCHEMAS, TEMPORAL_SERVER_VERSION, TEMPORAL_SERVICES } from './settings';

/** A compose service, as far as these checks read it. */
export interface ComposeService {
  image?: string;
  environment?: Record<string, unknown> | string[];
  command?: string | string[];
  entrypoint?: string | string[];
}

const envOf = (svc: ComposeService | undefined): Record<string, string> => {
  const env = svc?.environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((e) => [e.split('=')[0]!, e.slice(e.indexOf('=') + 1)]));
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
};

const textOf = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join('\n') : (v ?? ''));

/** Names of every search attribute key defined in the project's sources (`defineSearchAttributeKey('Name', ...)`). */
export function searchAttributesInCode(root: string): string[] {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        for (const m of fs.readFileSync(full, 'utf8').matchAll(/defineSearchAttributeKey\(\s*['"]([A-Za-z0-9_]+)['"]/g)) names.add(m[1]!);
      }
    }
  };
  for (const dir of ['src', 'workflows', 'activities']) if (fs.existsSync(path.join(root, dir))) walk(path.join(root, dir));
  return [...names].sort();
}

/** Problems with the Temporal part of a parsed compose document. */
export function checkTemporalCompose(services: Record<string, ComposeService>, root: string): string[] {
  const problems: string[] = [];
  for (const [name, svc] of Object.entries(services)) {
    if (svc.image?.startsWith('temporalio/auto-setup')) problems.push(`${name}: temporalio/auto-setup is deprecated; use temporalio/server with the temporal-schema job`);
    for (const repo of ['temporalio/server', 'temporalio/admin-tools']) {
      if (svc.image?.startsWith(`${repo}:`) && svc.image !== `${repo}:${TEMPORAL_SERVER_VERSION}`) problems.push(`${name}: ${svc.image} is not ${repo}:${TEMPORAL_SERVER_VERSION} (scripts/cluster/temporal-server.version)`);
    }
    if (/\|\|\s*true\b/.test(textOf(svc.command)) || /\|\|\s*true\b/.test(textOf(svc.entrypoint))) problems.push(`${name}: "|| true" hides failures`);
  }
  for (const service of TEMPORAL_SERVICES) {
    const svc = services[`temporal-${service}`];
    if (!svc) {
      problems.push(`service "temporal-${service}" is missing`);
      continue;
    }
    const env = envOf(svc);
    if (env.TEMPORAL_SERVICES !== service) problems.push(`temporal-${service}: TEMPORAL_SERVICES must be "${service}"`);
    for (const [key, value] of Object.entries(CLUSTER_CONSTANTS)) {
      if (env[key] !== value) problems.push(`temporal-${service}: ${key} is "${env[key] ?? ''}", the cluster uses "${value}" (scripts/cluster/settings.ts)`);
    }
    if (env.DB_PORT !== env.POSTGRES_PORT) problems.push(`temporal-${service}: POSTGRES_PORT (visibility) differs from DB_PORT`);
  }
  const schemaJob = textOf(services['temporal-schema']?.command);
  for (const { database, schemaName } of SCHEMAS) {
    if (!schemaJob.includes(path.basename(schemaName)) || !schemaJob.includes(database)) problems.push(`temporal-schema: does not set up ${database} with ${schemaName}`);
  }
  for (const step of ['create-database', 'setup-schema', 'update-schema']) if (!schemaJob.includes(step)) problems.push(`temporal-schema: no ${step} step`);
  const setup = envOf(services['temporal-setup']);
  const registered = (setup.SEARCH_ATTRIBUTES ?? '').split(/\s+/).filter(Boolean);
  const expected = searchAttributeFlags.join(' ');
  if (registered.join(' ') !== expected) problems.push(`temporal-setup: SEARCH_ATTRIBUTES must be "${expected}" (src/temporal/search-attributes.ts)`);
  const registeredNames = new Set(registered.map((a) => a.split('=')[0]));
  for (const name of searchAttributesInCode(root)) if (!registeredNames.has(name)) problems.push(`temporal-setup: search attribute ${name} is set by the code but not registered`);
  if (setup.NAMESPACE_RETENTION !== `${NAMESPACE_RETENTION_HOURS}h`) problems.push(`temporal-setup: NAMESPACE_RETENTION must be ${NAMESPACE_RETENTION_HOURS}h`);
  if (envOf(services['temporal-ui']).TEMPORAL_DISABLE_WRITE_ACTIONS !== 'true') problems.push('temporal-ui: TEMPORAL_DISABLE_WRITE_ACTIONS must be "true"');
  return problems;
}
