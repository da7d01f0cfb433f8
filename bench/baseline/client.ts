import type { Client, WorkflowHandle } from '@temporalio/client';

/** Starts one bare-Temporal baseline workflow (bench/baseline/workflows.ts) for submission `i`, on `taskQueue`. */
export function startBaselineWorkflow(client: Client, taskQueue: string, workflowId: string, i: number): Promise<WorkflowHandle> {
  return client.workflow.start('baselineWorkflow', { taskQueue, workflowId, args: [{ text: `problem ${i}` }] });
}

/**
 * Starts one baseline workflow for submission `i`. Resolves once the server accepted the start;
 * `done` settles `true` when the workflow returned as it should.
 */
export async function startBaseline(client: Client, taskQueue: string, workflowId: string, i: number): Promise<{ done: Promise<boolean> }> {
  const handle = await startBaselineWorkflow(client, taskQueue, workflowId, i);
  return { done: handle.result().then((result) => result === 'done') };
}
