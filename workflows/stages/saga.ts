/**
 * Saga stage: the action's steps in order; when one fails, the completed ones are compensated in
 * reverse. A first step refused because its facts moved (a stale concurrency token) changes
 * nothing and asks for a re-decision instead.
 */
import type { ActionStep } from '../../src/domain/types';
import { STALE_FACTS_CODES } from '../effect-guard';
import { reasonOf } from '../failures';
import type { StepRecord } from '../state';
import type { RunTool } from './tool-step';

/** How the steps ended. */
export type SagaResult =
  | { kind: 'done'; results: Record<string, unknown>; steps: StepRecord[] }
  /** The first step's facts had moved: nothing ran; re-verify and re-decide. */
  | { kind: 'stale' }
  /** A system of record refused the first step: a business answer, nothing ran. */
  | { kind: 'refused'; reasonCode: string; steps: StepRecord[] }
  | { kind: 'failed'; reasonCode: string; steps: StepRecord[]; nothingApplied: boolean };

/** Runs the steps as a saga; `retry` numbers a re-decided execution (its keys are new). */
export async function runSaga(steps: ActionStep[], runTool: RunTool, retry: number): Promise<SagaResult> {
  const records: StepRecord[] = steps.map((s) => ({ id: s.id, tool: s.tool, status: 'skipped' }));
  const results: Record<string, unknown> = {};
  for (const [i, step] of steps.entries()) {
    const record = records[i]!;
    try {
      results[step.id] = record.result = await runTool(step, results, retry);
      record.status = 'done';
    } catch (err) {
      const reason = reasonOf(err, 'tool_failed');
      if (reason.rejected && i === 0 && STALE_FACTS_CODES.includes(reason.reasonCode)) return { kind: 'stale' };
      record.status = 'failed';
      record.error = reason.reasonCode;
      await compensate(steps.slice(0, i), records, runTool);
      if (reason.rejected && i === 0) return { kind: 'refused', reasonCode: reason.reasonCode, steps: records };
      const nothingApplied = records.every((s) => s.status !== 'done' && s.status !== 'compensation_failed');
      return { kind: 'failed', reasonCode: reason.reasonCode, steps: records, nothingApplied };
    }
  }
  return { kind: 'done', results, steps: records };
}

/** Undoes completed steps in reverse order; a compensation keeps retrying by its tool's policy. */
async function compensate(done: ActionStep[], records: StepRecord[], runTool: RunTool): Promise<void> {
  for (const step of [...done].reverse()) {
    const record = records.find((r) => r.id === step.id)!;
    if (!step.compensation) continue;
    try {
      await runTool(step.compensation);
      record.status = 'compensated';
    } catch (err) {
      record.status = 'compensation_failed';
      record.error = reasonOf(err, 'compensation_failed').reasonCode;
    }
  }
}
