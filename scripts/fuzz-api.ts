/**
 * Starts a throwaway stack (dev server, demo systems, worker, API on free loopback ports),
 * then runs schemathesis (installed by scripts/fuzz-api.sh into .tools/venv-fuzz) against its
 * /openapi.json with an admin key. Fails on any 5xx or response that does not match the spec.
 *
 *   scripts/fuzz-api.sh [--max-examples 25] [--seed 1]     (FUZZ_API_URL=<url> to fuzz a running API)
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { drillKeys } from './drills/lib/problems';
import { startStack, type DrillStack } from './drills/lib/stack';

const ROOT = path.resolve(__dirname, '..');
const SCHEMATHESIS = path.join(ROOT, '.tools/venv-fuzz/bin/schemathesis');

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { 'max-examples': { type: 'string', default: '25' }, seed: { type: 'string', default: '1' }, 'max-time': { type: 'string', default: '600' } } });
  let stack: DrillStack | undefined;
  let url = process.env.FUZZ_API_URL;
  if (!url) {
    stack = await startStack({ env: { RATE_LIMIT_PER_MINUTE: '1000000', SUBMISSIONS_PER_MINUTE: '1000000' } });
    url = stack.apiUrls[0]!;
  }
  const key = process.env.FUZZ_API_KEY ?? drillKeys.admin;
  const args = [
    'run', `${url}/openapi.json`,
    '--header', `Authorization: Bearer ${key}`,
    '--checks', 'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance',
    '--max-examples', values['max-examples']!,
    '--seed', values.seed!,
    '--max-time', values['max-time']!,
    '--generation-database', 'none',
    '--request-timeout', '20',
    '--workers', '1', // several threads trip a CPython 3.11 ast.parse race inside hypothesis
    '--report', 'junit',
    '--report-dir', path.join(ROOT, 'test-artifacts/fuzz'),
    '--no-color',
  ];
  try {
    return await new Promise<number>((resolve) => {
      const child = spawn(SCHEMATHESIS, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SCHEMATHESIS_HOOKS: '' } });
      relay(child.stdout, process.stdout);
      relay(child.stderr, process.stderr);
      child.once('close', (code) => resolve(code ?? 1));
      child.once('error', (err) => {
        console.error(`cannot run ${SCHEMATHESIS}: ${err.message} (run scripts/fuzz-api.sh)`);
        resolve(1);
      });
    });
  } finally {
    await stack?.stop();
  }
}

/**
 * Copies schemathesis's output line by line behind a prefix, its `=====` banners rewritten:
 * its closing banner (`=== 2 warnings in 150.04s ===`) reads as the closing line of a pytest run
 * that executed no test, and CI would then take the whole run for one that ran none.
 */
function relay(from: Readable, to: NodeJS.WritableStream): void {
  createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => {
    to.write(`fuzz | ${unbanner(line)}\n`);
  });
}

/** `=== 2 warnings in 150.04s ===` → `[2 warnings; 150.04 s]`; other lines unchanged. */
function unbanner(line: string): string {
  const banner = /^\s*={3,}\s*(.*?)\s*={3,}\s*$/.exec(line);
  if (!banner) return line;
  return `[${banner[1]!.replace(/ in ([\d.]+)s$/, '; $1 s')}]`;
}

main().then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(1);
});
