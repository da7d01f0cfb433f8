import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import type { History } from './history';

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
