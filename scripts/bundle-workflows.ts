/**
 * Bundles the workflow code once, ahead of time (the Docker image runs it at build time), so
 * workers start without webpack: `WORKFLOW_BUNDLE_PATH=<file>` makes them load this file.
 * The bundle carries the OpenTelemetry workflow interceptors (see src/temporal/workflow-bundle.ts).
 *
 *   npm run bundle:workflows -- dist/workflow-bundle.js
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflows } from '../src/temporal/workflow-bundle';

async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  const { code } = await bundleWorkflows({ verbose: true });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, code);
  console.log(`workflow bundle written to ${out} (${(code.length / 1024).toFixed(0)} KiB)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
