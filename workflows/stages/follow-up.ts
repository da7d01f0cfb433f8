/**
 * Follow-up stage: the steps that run after the action's durable timer, e.g. revoking exactly the
 * access the action granted (its input taken from the action's results).
 */
import type { FollowUp } from '../../src/domain/types';
import { reasonOf } from '../failures';
import type { RunTool } from './tool-step';

/** How the follow-up ended: a step that failed is surfaced (e.g. access not revoked), never dropped. */
export type FollowUpResult = { status: 'done' } | { status: 'failed'; stepId: string; reasonCode: string };

/** Runs the follow-up's steps in order, each completing its input from `results`, which it extends. */
export async function runFollowUp(followUp: FollowUp, runTool: RunTool, results: Record<string, unknown>): Promise<FollowUpResult> {
  for (const step of followUp.steps) {
    try {
      results[step.id] = await runTool(step, results);
    } catch (err) {
      return { status: 'failed', stepId: step.id, reasonCode: reasonOf(err, 'follow_up_failed').reasonCode };
    }
  }
  return { status: 'done' };
}
