import fs from 'node:fs';
import path from 'node:path';
import { DefaultLogger, Runtime, bundleWorkflowCode } from '@temporalio/worker';
import { patchedCopy, V2_PATCH } from '../../scripts/drills/lib/patched-copy';
import { EventType } from '../../src/audit/history';
import { catalog, problemTypes } from '../../src/domain/registry';
import { findRuleDrift, formatReplayFailures, formatRuleDrift, loadHistoryFiles, replayHistoryFiles, type HistoryFile } from '../../src/audit/replay';

const HISTORIES = path.resolve(__dirname, '../histories');
const bundle = () => ({ workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! } });

beforeAll(() => {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: 'ERROR', forward: {} } } });
  } catch {
    // a runtime is already installed in this process
  }
});

describe('recorded histories replay on the current workflow code', () => {
  const files = loadHistoryFiles(HISTORIES);

  test('every registered problem type has committed histories (re-record with npm run histories:record)', () => {
    const names = files.map((f) => path.basename(f.file));
    for (const type of problemTypes) expect(names.some((n) => n.startsWith(`${type.name}-`))).toBe(true);
    expect(names).toEqual(expect.arrayContaining(['billing_dispute-auto-credit.json', 'billing_dispute-one-approval.json', 'billing_dispute-clarification.json', 'billing_dispute-approval-expired.json', 'plan_change-compensated.json']));
  });

  test('Worker.runReplayHistories: no history breaks determinism', async () => {
    const failures = await replayHistoryFiles(bundle(), files);
    if (failures.length > 0) throw new Error(formatReplayFailures(failures));
  });

  test("today's rules decide every recorded decision as recorded (a rule change must be versioned)", () => {
    const drift = findRuleDrift(catalog, files);
    if (drift.length > 0) throw new Error(formatRuleDrift(drift));
  });

  test('a rule change alone (a renamed reason code) fails with what to do, though replay reads the recorded decision', () => {
    const billing = catalog.get('billing_dispute')!;
    const renamed: typeof catalog = {
      ...catalog,
      get: (name) => (name === billing.name ? { ...billing, decide: (x, p) => ({ ...billing.decide(x, p), reasonCode: 'credit_auto' }) } : catalog.get(name)),
    };
    const drift = findRuleDrift(renamed, files);
    expect(drift.length).toBeGreaterThan(0);
    expect(drift.every((d) => d.type === 'billing_dispute' && d.today.includes('credit_auto'))).toBe(true);
    const message = formatRuleDrift(drift);
    expect(message).toMatch(/test\/histories\/billing_dispute-.*\.json: billing_dispute decided /);
    expect(message).toContain('new build id (APP_VERSION)');
    expect(message).toContain('npm run histories:record');
  });

  test('a workflow change that breaks determinism fails with a message naming the history file', async () => {
    // Simulate a code change by editing a history: the recorded first activity becomes one the code never schedules.
    const original = files.find((f) => f.file.endsWith('billing_dispute-auto-credit.json'))!;
    const tampered: HistoryFile = structuredClone({ ...original, file: path.join(HISTORIES, 'tampered-auto-credit.json'), workflowId: 'tampered-auto-credit' });
    const scheduled = tampered.history.events!.find((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)!;
    scheduled.activityTaskScheduledEventAttributes!.activityType = { name: 'somethingElse' };
    const failures = await replayHistoryFiles(bundle(), [tampered]);
    expect(failures).toHaveLength(1);
    const message = formatReplayFailures(failures);
    expect(message).toContain('test/histories/tampered-auto-credit.json');
    expect(message).toMatch(/DeterminismViolationError|nondetermin/i);
    expect(message).toContain("patched('<change-id>')");
    expect(message).toContain('new build id (APP_VERSION)');
    expect(message).toContain('npm run histories:record');
  });

  test('an unversioned change of the workflow (the deploy drill\'s v2.patch: a new step) fails with what to do', async () => {
    // The same patch `npm run drill:deploy` ships as version 2; it must keep applying to today's code.
    const dir = patchedCopy(fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR ?? '/tmp', 'v2-')), V2_PATCH);
    const quiet = { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} };
    const bundlePath = path.join(dir, 'bundle.js');
    fs.writeFileSync(bundlePath, (await bundleWorkflowCode({ workflowsPath: path.join(dir, 'workflows'), logger: quiet })).code);
    // Histories that reached a decision: each recorded something else where the new step is scheduled.
    const decided = files.filter((f) => /billing_dispute-(auto-credit|one-approval)\.json$|plan_change-compensated\.json$/.test(f.file));
    expect(decided).toHaveLength(3);
    const failures = await replayHistoryFiles({ workflowBundle: { codePath: bundlePath } }, decided);
    expect(failures.map((f) => f.file)).toEqual(decided.map((f) => f.file));
    const message = formatReplayFailures(failures);
    expect(message).toMatch(/nondetermin/i);
    expect(message).toContain("patched('<change-id>')");
    expect(message).toContain('npm run histories:record');
  }, 120_000);
});
