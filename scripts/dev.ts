/**
 * `npm start`: the whole system on one machine. Temporal dev server (SQLite in .data/, Web UI),
 * demo systems of record, one worker and the API. Ctrl-C stops everything, workers drain first.
 * Every child watches a pipe from this process and stops when it dies, even by SIGKILL, so
 * nothing keeps the ports after a closed terminal or an OOM kill.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../src/config';
import { waitForCurrentVersion } from '../src/temporal/deployment';
import { deploymentOf } from '../src/temporal/worker';
import { startDevServer, type DevServer } from './lib/dev-server';
import { portHolder, portInUse, startNodeScript, waitFor, type ManagedProcess } from './lib/processes';

const ROOT = path.resolve(__dirname, '..');

/**
 * The command signing key of this demo's data: generated on first start and kept beside the
 * problems it signs for, so problems waiting across restarts still accept approvals.
 */
function devCommandSigningKeys(dataDir: string): string {
  const file = path.join(dataDir, 'command-signing-keys.json');
  if (!fs.existsSync(file)) {
    const keys = [{ id: `dev-${new Date().toISOString().slice(0, 10)}`, privateKey: randomBytes(32).toString('base64') }];
    fs.writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8');
}

async function main(): Promise<void> {
  const config = loadConfig();
  fs.mkdirSync(config.dataDir, { recursive: true });
  const temporalPort = Number(config.temporal.address.split(':').pop());
  for (const [what, port] of [['API', config.http.port], ['Temporal', temporalPort], ['Temporal Web UI', config.temporal.uiPort], ['demo systems', config.systems.port]] as const) {
    if (await portInUse(port)) {
      const holder = portHolder(port);
      throw new Error(`port ${port} (${what}) is already in use${holder ? ` by ${holder}` : ''}: stop it or set the matching variable (see .env.example)`);
    }
  }

  const children: ManagedProcess[] = [];
  let server: DevServer | undefined;
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping: API, worker (draining in-flight tasks), demo systems, Temporal…');
    for (const child of [...children].reverse()) await child.stop();
    await server?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  console.log('Starting Temporal dev server…');
  server = await startDevServer({ dbFile: path.join(config.dataDir, 'temporal.db'), port: temporalPort, uiPort: config.temporal.uiPort, stdio: 'ignore' });
  const signing = process.env.COMMAND_SIGNING_KEYS ? {} : { COMMAND_SIGNING_KEYS: devCommandSigningKeys(config.dataDir) };
  // The worker makes its build current, then moves problems pinned to an earlier build of this
  // demo onto it when their histories replay on this code (docs/OPERATIONS.md, *Deploying*).
  const versioning = { WORKER_SET_CURRENT: 'true', WORKER_UPGRADE_PINNED: process.env.WORKER_UPGRADE_PINNED ?? 'true' };
  const env = { ...process.env, ...signing, ...versioning, TEMPORAL_ADDRESS: server.address };
  const run = (name: string, script: string) => {
    const child = startNodeScript(name, path.join(ROOT, script), [], { env, cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    void child.exited.then((code) => {
      if (!stopping) {
        console.error(`${name} exited unexpectedly (code ${code}); stopping everything`);
        void stopAll(1);
      }
    });
    children.push(child);
  };
  run('systems', 'src/systems/server.ts');
  run('worker', 'src/temporal/worker-main.ts');
  run('api', 'src/api/server.ts');

  const base = `http://${config.http.host}:${config.http.port}`;
  const deployment = deploymentOf(config);
  try {
    await waitFor('the API to be ready', async () => (await fetch(`${base}/readyz`)).ok, 120_000, 500);
    const connection = await Connection.connect({ address: server.address });
    try {
      await waitForCurrentVersion(new Client({ connection }), { deploymentName: deployment.name, buildId: deployment.buildId }, 120_000);
    } finally {
      await connection.close();
    }
  } catch (err) {
    console.error((err as Error).message);
    return stopAll(1);
  }
  const submitter = config.apiKeys.find((k) => k.roles.includes('submitter'));
  const approver = config.apiKeys.find((k) => k.roles.includes('approver') && k.principal !== submitter?.principal);
  console.log(`
Ready.
  API          ${base}
  Web console  ${base}/console/  (sign in with a key below)
  OpenAPI docs ${base}/docs  (spec: ${base}/openapi.json)
  Temporal UI  http://127.0.0.1:${config.temporal.uiPort}
  Workers      deployment ${deployment.name}, build ${deployment.buildId} (current)
  Data         ${config.dataDir} (delete it to reset the demo)
${config.usingDevKeys ? `  Dev API keys ${config.apiKeys.map((k) => `${k.principal} [${k.roles.join(',')}]: ${k.key}`).join('\n               ')}\n` : ''}
Try it:
  curl -s -X POST ${base}/v1/problems -H 'Authorization: Bearer ${submitter?.key ?? '<key>'}' \\
    -H 'Content-Type: application/json' \\
    -d '{"text":"I was charged twice for MOB-299 on invoice INV-2002, account ACC-1002. Please refund Rs 299."}'
  curl -s ${base}/v1/problems/<id> -H 'Authorization: Bearer ${submitter?.key ?? '<key>'}'
${approver ? `  Approvals: curl -s ${base}/v1/approvals -H 'Authorization: Bearer ${approver.key ?? '<key>'}'\n` : ''}
Press Ctrl-C to stop.`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
