/**
 * `npm run whatif -- --policy candidate.json [--since 2026-11-01] [--until …] [--type billing_dispute] [--limit 1000] [--json]`
 *
 * The policy what-if of `POST /v1/policy/simulations` from a terminal: past problems' recorded
 * decisions replayed over the candidate, printed as a table and totals. Connects like the API
 * (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE, PAYLOAD_ENCRYPTION_KEYS); sets
 * larger than 200 problems run as a workflow, so a worker must be polling the task queue.
 * Read-only: nothing is started that acts, nothing waiting changes.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { ApiError } from '../src/api/errors';
import { createPolicyService } from '../src/api/policy-service';
import { simulationBody } from '../src/api/schemas';
import { renderSimulationTable } from '../src/audit/simulation-table';
import { loadConfig } from '../src/config';
import { catalog } from '../src/domain/registry';
import { policyFromConfig } from '../src/policy-file';
import { dataConverterFor } from '../src/temporal/codec/data-converter';
import { connectionOptions } from '../src/temporal/connection';

const USAGE = 'usage: npm run whatif -- --policy candidate.json [--since 2026-11-01] [--until 2026-12-01] [--type billing_dispute]... [--limit 1000] [--json]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      policy: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      type: { type: 'string', multiple: true },
      limit: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.policy) {
    console.error(USAGE);
    return 2;
  }
  const request = simulationBody.safeParse({
    policy: JSON.parse(fs.readFileSync(values.policy, 'utf8')),
    ...(values.since ? { since: values.since } : {}),
    ...(values.until ? { until: values.until } : {}),
    ...(values.type ? { types: values.type } : {}),
    ...(values.limit ? { limit: Number(values.limit) } : {}),
  });
  if (!request.success) {
    console.error(request.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('\n'));
    return 2;
  }
  const config = loadConfig();
  const connection = await Connection.connect(connectionOptions(config.temporal));
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: dataConverterFor(config.encryption) });
    const service = createPolicyService({ client, catalog, policy: policyFromConfig(config, catalog), taskQueue: config.temporal.taskQueue });
    const result = await service.simulate(request.data);
    process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : renderSimulationTable(result));
    return 0;
  } finally {
    await connection.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ApiError) console.error(`${err.code}: ${err.message}${err.details.map((d) => `\n  ${JSON.stringify(d)}`).join('')}`);
    else console.error(err instanceof Error ? err.message : err);
    process.exit(err instanceof ApiError ? 2 : 1);
  },
);
