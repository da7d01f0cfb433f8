import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDevServer, type DevServer } from '../../scripts/lib/dev-server';
import { bundleWorkflowSources } from '../../src/temporal/workflow-bundle';

declare global {
  var __TEMPORAL_DEV_SERVER__: DevServer | undefined;
}

/**
 * Once per test run: a real Temporal dev server on free ports (never 7233, so a running
 * `npm start` is left alone) and one workflow bundle shared by every test file.
 */
export default async function globalSetup(): Promise<void> {
  // Each test harness is a worker deployment of its own (see harness.ts): more than the default 100 per namespace.
  const server = await startDevServer({ headless: true, extraArgs: ['--dynamic-config-value', 'matching.maxDeployments=2000'] });
  globalThis.__TEMPORAL_DEV_SERVER__ = server;
  const bundle = await bundleWorkflowSources();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'problems-test-'));
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, bundle.code);
  process.env.TEST_TEMPORAL_ADDRESS = server.address;
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.TEST_TMP_DIR = dir;
}
