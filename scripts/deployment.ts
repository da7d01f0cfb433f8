/**
 * `npm run deployment -- <command>`: the worker deployment of this configuration
 * (TEMPORAL_ADDRESS, WORKER_DEPLOYMENT_NAME; the build id is APP_VERSION or this code's hash).
 *
 *   status                      the current version and every version's status and drainage
 *   set-current [--build-id X]  make a version current (default: this code's); waits until its workers poll
 *   upgrade-pinned [--dry-run]  move running problems pinned to other versions onto this code's
 *                               version where their histories replay on this code; lists the others
 *
 * See docs/OPERATIONS.md, *Deploying*.
 */
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../src/config';
import { dataConverterFor } from '../src/temporal/codec/data-converter';
import { connectionOptions } from '../src/temporal/connection';
import { describeDeployment, setCurrentVersion, upgradePinned } from '../src/temporal/deployment';
import { deploymentOf, workflowSource } from '../src/temporal/worker';

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { 'build-id': { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, 'timeout-s': { type: 'string', default: '60' } } });
  const config = loadConfig();
  const { name, buildId: ownBuildId } = deploymentOf(config);
  const connection = await Connection.connect(connectionOptions(config.temporal));
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: dataConverterFor(config.encryption) });
  try {
    switch (positionals[0]) {
      case 'status': {
        const d = await describeDeployment(client, name);
        console.log(`deployment ${name}: current ${d.current ?? 'none'}; this code is ${ownBuildId}`);
        for (const v of d.versions) console.log(`  ${v.buildId}  ${v.status}${v.drainage ? `  ${v.drainage}` : ''}`);
        return 0;
      }
      case 'set-current': {
        const buildId = values['build-id'] ?? ownBuildId;
        await setCurrentVersion(client, { deploymentName: name, buildId }, { timeoutMs: Number(values['timeout-s']) * 1000, identity: 'npm run deployment' });
        console.log(`deployment ${name}: ${buildId} is current`);
        return 0;
      }
      case 'upgrade-pinned': {
        const replay = { ...workflowSource({ config }), dataConverter: dataConverterFor(config.encryption) };
        const report = await upgradePinned(client, { deploymentName: name, buildId: ownBuildId }, replay, { dryRun: values['dry-run'], identity: 'npm run deployment' });
        const verb = values['dry-run'] ? 'would move' : 'moved';
        console.log(`${verb} ${report.upgraded.length} problem(s) to ${ownBuildId}; ${report.stranded.length} do not replay on this code`);
        for (const u of report.upgraded) console.log(`  ${verb}  ${u.workflowId}  from ${u.from}`);
        for (const s of report.stranded) console.log(`  stays  ${s.workflowId}  on ${s.from}: ${s.error}`);
        return report.stranded.length > 0 ? 2 : 0;
      }
      default:
        console.error('usage: npm run deployment -- status | set-current [--build-id X] | upgrade-pinned [--dry-run]');
        return 64;
    }
  } finally {
    await connection.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
