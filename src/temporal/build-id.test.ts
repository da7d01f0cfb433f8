import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config';
import { sourceBuildId } from './build-id';

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'build-id-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

const base = { 'workflows/index.ts': 'export {}', 'src/domain/rule.ts': 'export const limit = 500;', 'activities/index.ts': 'export {}' };

describe('sourceBuildId: the same code is the same build, changed code a new one', () => {
  test('stable for the same contents wherever the tree lies', () => {
    expect(sourceBuildId(tree(base))).toMatch(/^src-[0-9a-f]{12}$/);
    expect(sourceBuildId(tree(base))).toBe(sourceBuildId(tree(base)));
  });

  test.each([
    ['a rule', { 'src/domain/rule.ts': 'export const limit = 800;' }],
    ['the workflow', { 'workflows/index.ts': 'export const x = 1;' }],
    ['an activity', { 'activities/extra.ts': 'export {}' }],
    ['compiled code (dist/)', { 'workflows/index.js': 'exports.x = 1;' }],
  ])('changing %s changes it', (_what, change) => {
    expect(sourceBuildId(tree({ ...base, ...change }))).not.toBe(sourceBuildId(tree(base)));
  });

  test.each([
    ['a test', { 'src/domain/rule.test.ts': 'test("x", () => undefined);' }],
    ['the API', { 'src/api/app.ts': 'export {}' }],
    ['docs', { 'workflows/README.md': '# notes' }],
  ])('changing %s keeps it', (_what, change) => {
    expect(sourceBuildId(tree({ ...base, ...change }))).toBe(sourceBuildId(tree(base)));
  });

  test('a tree without workflow sources asks for APP_VERSION', () => {
    expect(() => sourceBuildId(tree({ 'README.md': '' }))).toThrow(/APP_VERSION/);
  });
});

describe('config.buildId and the worker deployment', () => {
  test('APP_VERSION wins; otherwise the hash of this checkout', () => {
    expect(loadConfig({ APP_VERSION: 'v1.4.2' }).buildId).toBe('v1.4.2');
    expect(loadConfig({}).buildId).toBe(sourceBuildId(path.resolve(__dirname, '../..')));
    expect(loadConfig({}).worker.deployment).toEqual({ name: 'problem-workflows', setCurrent: false, upgradePinned: false });
  });

  test('a bad APP_VERSION or deployment name refuses to start', () => {
    expect(() => loadConfig({ APP_VERSION: 'v1 beta' })).toThrow(/APP_VERSION/);
    expect(() => loadConfig({ WORKER_DEPLOYMENT_NAME: 'a.b' })).toThrow(/WORKER_DEPLOYMENT_NAME/);
  });
});
