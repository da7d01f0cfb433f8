import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const SCHEMA_FILE = path.join(ROOT, 'console/src/api-schema.ts');

// openapi-typescript is ESM-only underneath, so the generator runs as the npm script does, in its own process.
const check = (file = SCHEMA_FILE) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/generate-console-types.ts', '--check', file], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

describe('console types generated from /openapi.json', () => {
  test('the committed console/src/api-schema.ts is what the API publishes today', () => {
    const run = check();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  test('a drifted file fails the check with what to do', () => {
    const drifted = path.join(mkdtempSync(path.join(tmpdir(), 'console-types-')), 'api-schema.ts');
    writeFileSync(drifted, readFileSync(SCHEMA_FILE, 'utf8').replace('"needs_clarification" | ', ''));
    const run = check(drifted);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('npm run contract:console-types');
  });
});
