/**
 * The console's API types, generated from the OpenAPI document the API serves:
 *   npm run contract:console-types            regenerates console/src/api-schema.ts
 *   npm run contract:console-types -- --check [file]   exits 1 when the committed file (or `file`) differs
 */
import { readFileSync, writeFileSync } from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';
import { publishedDocument } from './lib/openapi-document';

/** Where the console's generated API types live (committed; test/unit/console-types.test.ts fails when they drift). */
const CONSOLE_SCHEMA_FILE = 'console/src/api-schema.ts';

/** The console's API types, generated from the published document by openapi-typescript. */
async function consoleSchemaSource(): Promise<string> {
  const ast = await openapiTS(JSON.stringify(await publishedDocument()), { alphabetize: true, defaultNonNullable: false });
  return [
    '// Generated from the API\'s /openapi.json by `npm run contract:console-types`; do not edit.',
    '// test/unit/console-types.test.ts fails when this file and the API drift apart.',
    '',
    astToString(ast),
  ].join('\n');
}

const check = process.argv.indexOf('--check');
const checked = check < 0 ? null : (process.argv[check + 1] ?? CONSOLE_SCHEMA_FILE);

void consoleSchemaSource().then((source) => {
  if (checked === null) {
    writeFileSync(CONSOLE_SCHEMA_FILE, source);
    console.log(`wrote ${CONSOLE_SCHEMA_FILE}`);
  } else if (readFileSync(checked, 'utf8') !== source) {
    console.error(`${checked} drifted from /openapi.json: run \`npm run contract:console-types\` and commit the result`);
    process.exitCode = 1;
  }
});
