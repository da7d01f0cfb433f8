import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { digestOf } from '../domain/digest';
import { DECIDE_ACTIVITY, runDecision, type RecordedDecision } from '../domain/recorded-decision';
import type { Catalog } from '../domain/registry';
import type { Decision } from '../domain/types';
import type { History, Payload } from './history';

/** A committed history and the file it came from. */
export interface HistoryFile {
  file: string;
  workflowId: string;
  history: History;
}

/** One history that today's workflow code does not reproduce. */
export interface ReplayFailure {
  file: string;
  workflowId: string;
  error: string;
}

/** Loads every `*.json` history in `dir` (written by `npm run histories:record`), sorted by name. */
export function loadHistoryFiles(dir: string): HistoryFile[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      return { file, workflowId: path.basename(f, '.json'), history: historyFromJSON(JSON.parse(fs.readFileSync(file, 'utf8'))) };
    });
}

/**
 * Replays histories against the given workflow code with `Worker.runReplayHistories`; returns
 * the ones that fail (non-determinism or any other replay error), each named by its file.
 */
export async function replayHistoryFiles(options: ReplayWorkerOptions, files: HistoryFile[]): Promise<ReplayFailure[]> {
  const byId = new Map(files.map((f) => [f.workflowId, f]));
  if (byId.size !== files.length) throw new Error('history files must have distinct names');
  const failures: ReplayFailure[] = [];
  const results = Worker.runReplayHistories(options, files.map((f) => ({ workflowId: f.workflowId, history: f.history })));
  for await (const result of results) {
    if (!result.error) continue;
    const source = byId.get(result.workflowId);
    failures.push({ file: source?.file ?? result.workflowId, workflowId: result.workflowId, error: `${result.error.name}: ${result.error.message}` });
  }
  return failures;
}

/** A message a developer can act on: which recorded history broke, why, and what to do. */
export function formatReplayFailures(failures: ReplayFailure[], cwd = process.cwd()): string {
  if (failures.length === 0) return '';
  const lines = failures.map((f) => `  - ${path.relative(cwd, f.file)}\n      ${f.error.split('\n').join('\n      ')}`);
  return [
    `${failures.length} recorded workflow ${failures.length === 1 ? 'history does' : 'histories do'} not replay on the current workflow code:`,
    ...lines,
    'Problems already running would fail the same way after a deploy. Version the change, one of:',
    "  - guard it with patched('<change-id>') in the workflow (deprecatePatch() once no problem older than it runs),",
    '    so running problems replay as they ran and new ones take the new path; or',
    '  - ship it on a new build id (APP_VERSION): Worker Versioning keeps running problems pinned to the build that',
    '    started them, whose workers stay up until it drains (docs/OPERATIONS.md, "Deploying").',
    'Then re-record the histories of the new code: npm run histories:record (and commit test/histories/).',
  ].join('\n');
}

/** Marker name of a local activity's result in history (written by the SDK core). */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/** The decisions a history recorded: each `decide` local activity's result. */
export function recordedDecisionsOf(history: History): RecordedDecision[] {
  const decisions: RecordedDecision[] = [];
  for (const event of history.events ?? []) {
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName !== LOCAL_ACTIVITY_MARKER) continue;
    const data = jsonPayload(marker.details?.data?.payloads?.[0]) as { activity_type?: string } | undefined;
    if (data?.activity_type !== DECIDE_ACTIVITY) continue;
    const result = jsonPayload(marker.details?.result?.payloads?.[0]) as RecordedDecision | undefined;
    if (result?.input) decisions.push(result);
  }
  return decisions;
}

/** A JSON payload's value; undefined for any other encoding (e.g. encrypted). */
function jsonPayload(payload: Payload | undefined): unknown {
  const encoding = payload?.metadata?.encoding ? Buffer.from(payload.metadata.encoding).toString() : '';
  if (encoding !== 'json/plain' || !payload?.data) return undefined;
  return JSON.parse(Buffer.from(payload.data).toString('utf8')) as unknown;
}

/** A recorded decision that today's rules would make differently. */
export interface RuleDrift {
  file: string;
  type: string;
  buildId: string;
  recorded: string;
  today: string;
}

const summary = (d: Decision | null) => (d ? `${d.action} ${d.reasonCode} (${d.ruleId})` : 'decision_error');

/**
 * Runs today's rules over every decision recorded in the histories (the input is recorded with
 * it): a rule change that decides a recorded problem differently shows up here, although replay
 * itself reads the recorded decision and never re-runs the rule.
 */
export function findRuleDrift(catalog: Catalog, files: HistoryFile[]): RuleDrift[] {
  const drift: RuleDrift[] = [];
  for (const f of files) {
    for (const recorded of recordedDecisionsOf(f.history)) {
      const today = runDecision(catalog, recorded.input, recorded.buildId);
      if (digestOf(today.decision) === digestOf(recorded.decision)) continue;
      drift.push({ file: f.file, type: recorded.input.type, buildId: recorded.buildId, recorded: summary(recorded.decision), today: summary(today.decision) });
    }
  }
  return drift;
}

/** What a developer reads when a rule change would decide recorded problems differently. */
export function formatRuleDrift(drift: RuleDrift[], cwd = process.cwd()): string {
  if (drift.length === 0) return '';
  const lines = drift.map((d) => `  - ${path.relative(cwd, d.file)}: ${d.type} decided ${d.recorded} on build ${d.buildId}; today's rules: ${d.today}`);
  return [
    `${drift.length} recorded ${drift.length === 1 ? 'decision is' : 'decisions are'} decided differently by today's rules:`,
    ...lines,
    'A problem waiting now keeps the decision it recorded, but re-decides (after an approval or a clarification) with the',
    'rules of the build it runs on. Version the rule change, one of:',
    '  - ship it on a new build id (APP_VERSION): running problems stay pinned to the build that decided them, whose',
    '    workers stay up until it drains (docs/OPERATIONS.md, "Deploying"); or',
    '  - make the new behaviour a policy setting whose default keeps the recorded decisions (policies are versioned).',
    'Then re-record the histories of the new rules: npm run histories:record (and commit test/histories/).',
  ].join('\n');
}
