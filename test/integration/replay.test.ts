import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { EventType } from '../../src/audit/history';
import { problemTypes } from '../../src/domain/registry';
import { formatReplayFailures, loadHistoryFiles, replayHistoryFiles, type HistoryFile } from '../../src/audit/replay';

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
    expect(message).toContain('patched()');
  });
});
