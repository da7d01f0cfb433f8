/**
 * docker-compose.yml runs the Temporal cluster of `npm run cluster`: these checks (run by
 * scripts/validate-compose.sh in CI) fail when the two drift apart.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { checkCompose, validateComposeFile } from '../../scripts/validate-compose';
import { searchAttributesInCode } from '../../scripts/cluster/compose-checks';
import { TEMPORAL_SERVER_VERSION } from '../../scripts/cluster/settings';

const ROOT = path.resolve(__dirname, '../..');
type Doc = { services: Record<string, { image?: string; environment?: Record<string, string>; command?: string[] }> };
const load = (): Doc => parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as Doc;

describe('docker-compose.yml and the local cluster', () => {
  test('the committed compose file passes every check', () => {
    expect(validateComposeFile(path.join(ROOT, 'docker-compose.yml'))).toEqual([]);
  });

  test('every search attribute the code defines is found', () => {
    expect(searchAttributesInCode(ROOT)).toEqual(expect.arrayContaining(['ProblemType', 'ProblemStatus', 'CustomerId', 'RequiresApproval', 'SubmittedBy']));
  });

  test.each<[string, (doc: Doc) => void, string]>([
    ['a search attribute the API sets is not registered', (d) => { d.services['temporal-setup']!.environment!.SEARCH_ATTRIBUTES = 'ProblemType=Keyword ProblemStatus=Keyword CustomerId=Keyword RequiresApproval=Bool'; }, 'SubmittedBy is set by the code but not registered'],
    ['a search attribute has another type', (d) => { d.services['temporal-setup']!.environment!.SEARCH_ATTRIBUTES = d.services['temporal-setup']!.environment!.SEARCH_ATTRIBUTES!.replace('RequiresApproval=Bool', 'RequiresApproval=Keyword'); }, 'SEARCH_ATTRIBUTES must be'],
    ['the server image drifts from the pinned version', (d) => { d.services['temporal-history']!.image = 'temporalio/server:1.27.2'; }, `is not temporalio/server:${TEMPORAL_SERVER_VERSION}`],
    ['the deprecated auto-setup image', (d) => { d.services['temporal-frontend']!.image = 'temporalio/auto-setup:1.27.2'; }, 'auto-setup is deprecated'],
    ['a failure hidden behind || true', (d) => { d.services['temporal-setup']!.command = ['temporal operator namespace create default || true']; }, '"|| true" hides failures'],
    ['another history shard count', (d) => { d.services['temporal-matching']!.environment!.NUM_HISTORY_SHARDS = '512'; }, 'NUM_HISTORY_SHARDS is "512"'],
    ['a service missing', (d) => { delete d.services['temporal-worker']; }, 'service "temporal-worker" is missing'],
    ['no schema migration', (d) => { d.services['temporal-schema']!.command = ['temporal-sql-tool create-database']; }, 'no update-schema step'],
    ['a writable Web UI', (d) => { delete d.services['temporal-ui']!.environment!.TEMPORAL_DISABLE_WRITE_ACTIONS; }, 'TEMPORAL_DISABLE_WRITE_ACTIONS'],
  ])('fails when %s', (_what, mutate, message) => {
    const doc = load();
    mutate(doc);
    expect(checkCompose(doc as never, ROOT).join('\n')).toContain(message);
  });
});
