import { proxyActivities } from '@temporalio/workflow';
import type { createBaselineActivities } from './activities';

const acts = proxyActivities<ReturnType<typeof createBaselineActivities>>({ startToCloseTimeout: '30s' });

/**
 * The bare-Temporal baseline: the same number of sequential activities as an auto-credited
 * billing dispute (policy, extraction, lookup, credit, notification), doing no work.
 */
export async function baselineWorkflow(input: { text: string }): Promise<string> {
  await acts.step('policy');
  await acts.step(input.text.slice(0, 16));
  await acts.step('lookup');
  await acts.step('credit');
  await acts.step('notify');
  return 'done';
}
