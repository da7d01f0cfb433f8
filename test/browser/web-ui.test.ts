import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startDevServer, type DevServer } from '../../scripts/lib/dev-server';
import { launchChromium } from '../support/browser';
import { keys, startHarness, submit, waitForStatus, type Harness } from '../support/harness';

const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');
const SCREENSHOT = path.join(ARTIFACTS, 'web-ui-problem-list.png');

let server: DevServer;
let h: Harness;
let browser: BrowserContext;
let closeBrowser: (() => Promise<void>) | undefined;

beforeAll(async () => {
  // A dev server of our own, with the Web UI (the shared test server is headless).
  server = await startDevServer({ headless: false });
  h = await startHarness({ temporalAddress: server.address });
  ({ context: browser, close: closeBrowser } = await launchChromium({ width: 1400, height: 900 }));
});

afterAll(async () => {
  await closeBrowser?.();
  await h?.stop();
  await server?.stop();
});

/** Opens the Web UI's workflow list filtered by a visibility query. */
async function openList(page: Page, query: string): Promise<void> {
  await page.goto(`http://127.0.0.1:${server.uiPort}/namespaces/default/workflows?query=${encodeURIComponent(query)}`, { waitUntil: 'domcontentloaded' });
}

test('the Web UI lists a completed problem found by its ProblemType search attribute', async () => {
  const { id } = (await submit(h.app, keys.alice, { text: 'I was charged twice for MOB-299 on invoice INV-2002, account ACC-1002. Please refund Rs 299.' })).json();
  expect((await waitForStatus(h.app, keys.alice, id, ['completed', 'rejected', 'failed'])).status).toBe('completed');

  const page = await browser.newPage();
  await openList(page, 'ProblemType="billing_dispute" AND ProblemStatus="completed"');
  await page.getByText(id).first().waitFor({ state: 'visible', timeout: 60_000 });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10_000);

  // The filter really filters: another type's list does not show this problem.
  await openList(page, 'ProblemType="plan_change"');
  await page.getByText(/No Workflows|No results/i).first().waitFor({ state: 'visible', timeout: 60_000 });
  expect(await page.getByText(id).count()).toBe(0);
  await page.close();
});
