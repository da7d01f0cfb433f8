/**
 * Structure checks of docker-compose.yml that the Compose schema cannot express: pinned
 * images, a scalable worker, two API replicas, bind-mounted files that exist, app variables
 * that the config knows, dependencies that exist, and the Temporal cluster of
 * scripts/cluster/compose-checks.ts (the same as `npm run cluster`, every search attribute the
 * code sets registered). Exits non-zero listing every problem.
 *
 *   tsx scripts/validate-compose.ts [docker-compose.yml]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { checkTemporalCompose } from './cluster/compose-checks';

const ROOT = path.resolve(__dirname, '..');

interface Service {
  image?: string;
  build?: unknown;
  container_name?: string;
  ports?: unknown[];
  profiles?: string[];
  deploy?: { replicas?: number | string };
  environment?: Record<string, unknown> | string[];
  volumes?: (string | { type?: string; source?: string })[];
  depends_on?: string[] | Record<string, unknown>;
  command?: string | string[];
  entrypoint?: string | string[];
}

const REQUIRED = ['postgresql', 'temporal-schema', 'temporal-setup', 'temporal-ui', 'systems', 'api', 'worker', 'prometheus', 'grafana'];
const APP_SERVICES = ['api', 'worker', 'systems'];

/** Problems found in a parsed compose document. */
export function checkCompose(doc: { services?: Record<string, Service> }, root: string): string[] {
  const problems: string[] = [];
  const services = doc.services ?? {};
  const known = new Set(
    fs.readFileSync(path.join(root, '.env.example'), 'utf8').split('\n').map((l) => /^([A-Z0-9_]+)=/.exec(l)?.[1]).filter(Boolean) as string[],
  );
  for (const name of REQUIRED) if (!services[name]) problems.push(`service "${name}" is missing`);
  for (const [name, svc] of Object.entries(services)) {
    if (svc.image && !svc.build && (!/:[\w][\w.-]*$/.test(svc.image) || svc.image.endsWith(':latest'))) problems.push(`${name}: image "${svc.image}" is not pinned to a version`);
    for (const dep of Array.isArray(svc.depends_on) ? svc.depends_on : Object.keys(svc.depends_on ?? {})) {
      if (!services[dep]) problems.push(`${name}: depends on unknown service "${dep}"`);
    }
    for (const volume of svc.volumes ?? []) {
      const source = typeof volume === 'string' ? volume.split(':')[0]! : (volume.source ?? '');
      if (source.startsWith('./') && !fs.existsSync(path.join(root, source))) problems.push(`${name}: bind mount ${source} does not exist`);
    }
  }
  const worker = services.worker;
  if (worker?.container_name || worker?.ports?.length) problems.push('worker: container_name or ports prevent `--scale worker=N`');
  if (Number(services.api?.deploy?.replicas) !== 2) problems.push('api: deploy.replicas must be 2');
  if (services.api?.container_name) problems.push('api: container_name prevents replicas');
  for (const name of ['prometheus', 'grafana']) {
    if (services[name] && !services[name]!.profiles?.includes('observability')) problems.push(`${name}: must be in the "observability" profile`);
  }
  for (const name of APP_SERVICES) {
    const env = services[name]?.environment ?? {};
    const keys = Array.isArray(env) ? env.map((e) => e.split('=')[0]!) : Object.keys(env);
    if (!keys.includes('PAYLOAD_ENCRYPTION_KEYS')) problems.push(`${name}: payload encryption must be on (PAYLOAD_ENCRYPTION_KEYS)`);
    for (const key of keys) if (!known.has(key)) problems.push(`${name}: variable ${key} is not in .env.example (the config would ignore it)`);
  }
  problems.push(...checkTemporalCompose(services, root));
  return problems;
}

/** Parses a compose file (YAML merge keys resolved) and checks it; the problems found. */
export function validateComposeFile(file: string): string[] {
  const doc = parse(fs.readFileSync(file, 'utf8'), { merge: true }) as { services?: Record<string, Service> };
  return checkCompose(doc, path.dirname(file));
}

function main(): void {
  const file = path.resolve(process.argv[2] ?? path.join(ROOT, 'docker-compose.yml'));
  const doc = parse(fs.readFileSync(file, 'utf8'), { merge: true }) as { services?: Record<string, Service> };
  const problems = validateComposeFile(file);
  for (const extra of ['deploy/prometheus.yml', 'deploy/temporal/dynamicconfig.yaml']) parse(fs.readFileSync(path.join(ROOT, extra), 'utf8'));
  JSON.parse(fs.readFileSync(path.join(ROOT, 'deploy/grafana/dashboard.json'), 'utf8'));
  if (problems.length) {
    console.error(`${path.relative(ROOT, file)}:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`${path.relative(ROOT, file)}: structure OK (${Object.keys(doc.services ?? {}).length} services)`);
}

if (require.main === module) main();
