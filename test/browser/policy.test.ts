import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { ensureConsoleBuilt, launchChromium } from '../support/browser';
import { keys, startHarness, submit, waitForStatus, type Harness } from '../support/harness';

const ROOT = path.resolve(__dirname, '../..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'console');
/** `UPDATE_SCREENSHOTS=1` also refreshes docs/screenshots/console-policy.png. */
const DOCS_SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(ROOT, 'docs', 'screenshots') : null;

let h: Harness;
let base: string;
let context: BrowserContext;
let closeBrowser: (() => Promise<void>) | undefined;

async function signedIn(key: string, principal: string): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${base}/console/`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('principal').textContent()).resolves.toBe(principal);
  return page;
}

const ids: Record<'dup299' | 'credit999' | 'credit1500', string> = {} as never;

beforeAll(async () => {
  ensureConsoleBuilt();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  h = await startHarness();
  base = (await h.app.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
  const settle = async (key: string, text: string, status: 'completed' | 'awaiting_approval') => {
    const id = (await submit(h.app, key, { text })).json().id as string;
    await waitForStatus(h.app, keys.erin, id, [status]);
    return id;
  };
  ids.dup299 = await settle(keys.alice, 'I was charged twice for MOB-299 on invoice INV-2002, account ACC-1002. Please refund Rs 299.', 'completed');
  ids.credit999 = await settle(keys.alice, 'Account ACC-1001, invoice INV-2001: please credit Rs 999 for the fiber plan.', 'awaiting_approval');
  ids.credit1500 = await settle(keys.dave, 'ACC-1001 INV-2001 installation charge Rs 1500 was never done, please refund 1500 rupees', 'awaiting_approval');
  ({ context, close: closeBrowser } = await launchChromium({ width: 1280, height: 900 }));
});

afterAll(async () => {
  await closeBrowser?.();
  await h?.stop();
});

test('an admin edits a candidate policy and sees the one decision it changes; an invalid one names its failing path', async () => {
  const page = await signedIn(keys.erin, 'erin');
  await page.getByRole('link', { name: 'Policy' }).click();
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Policy');
  await expect(page.getByTestId('policy-version').textContent()).resolves.toBe('default-2026-11-01');

  const editor = page.getByLabel('Candidate policy (JSON)');
  const current = JSON.parse(await editor.inputValue());
  expect(current.types.billing_dispute).toMatchObject({ autoCreditMax: 500, autoCreditInvoiceMax: 500 });

  // An invalid threshold: the API's failing path is shown next to the editor.
  const invalid = { ...current, types: { ...current.types, billing_dispute: { ...current.types.billing_dispute, autoCreditMax: -1 } } };
  await editor.fill(JSON.stringify(invalid, null, 2));
  await page.getByRole('button', { name: 'Simulate over past problems' }).click();
  await expect(page.getByRole('list', { name: 'Policy errors' }).textContent()).resolves.toContain('types.billing_dispute.autoCreditMax');

  // Raise billing's automatic limits (single claim and per-invoice total) from 500 to 1000.
  const candidate = { ...current, version: 'candidate-auto-1000', types: { ...current.types, billing_dispute: { ...current.types.billing_dispute, autoCreditMax: 1000, autoCreditInvoiceMax: 1000 } } };
  await editor.fill(JSON.stringify(candidate, null, 2));
  await page.getByLabel('Problem type').selectOption('billing_dispute');
  await page.getByRole('button', { name: 'Simulate over past problems' }).click();
  await expect(page.getByTestId('sim-changed').textContent()).resolves.toBe('1');
  await expect(page.getByTestId('sim-money').textContent()).resolves.toBe('+₹999.00');
  const changedRow = page.locator('tr[data-changed="true"]');
  await expect(changedRow.count()).resolves.toBe(1);
  await expect(changedRow.textContent()).resolves.toContain(ids.credit999);
  await expect(changedRow.textContent()).resolves.toContain('automatic');
  await expect(page.locator('tr[data-changed="false"]').count()).resolves.toBe(2);

  const file = path.join(ARTIFACTS, 'console-policy.png');
  await page.screenshot({ path: file, fullPage: true });
  expect(fs.statSync(file).size).toBeGreaterThan(5_000);
  if (DOCS_SHOTS) fs.copyFileSync(file, path.join(DOCS_SHOTS, 'console-policy.png'));

  // Nothing waiting changed: the ₹999 problem still waits for its approval.
  await waitForStatus(h.app, keys.erin, ids.credit999, ['awaiting_approval']);
  await page.close();
});

test('an approver is told the Policy page needs the admin role', async () => {
  const page = await signedIn(keys.bob, 'bob');
  expect(await page.getByRole('link', { name: 'Policy' }).count()).toBe(0);
  await page.goto(`${base}/console/policy`);
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Not available');
  await page.close();
});
