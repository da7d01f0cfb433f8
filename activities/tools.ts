import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Catalog } from '../src/domain/registry';
import type { SystemsPort, ToolDefinition, ToolInvocation } from '../src/domain/types';
import { DownstreamError } from '../src/systems/client';

/** An activity that runs one tool. */
export type ToolActivity = (call: ToolInvocation) => Promise<unknown>;

/**
 * Maps a systems-of-record failure onto Temporal's retry semantics: transient failures retry
 * (honouring Retry-After), business refusals (4xx) are final and carry the system's code.
 */
export function classifyToolError(tool: string, err: unknown): ApplicationFailure {
  if (err instanceof DownstreamError) {
    if (err.retryable) {
      return ApplicationFailure.create({
        type: 'DownstreamUnavailable',
        message: err.message,
        details: [{ reasonCode: 'downstream_unavailable', status: err.status }],
        ...(err.retryAfterMs !== undefined ? { nextRetryDelay: err.retryAfterMs } : {}),
      });
    }
    return ApplicationFailure.nonRetryable(err.message, 'ToolRejected', { reasonCode: err.code ?? `downstream_http_${err.status}`, status: err.status, tool });
  }
  if (err instanceof ApplicationFailure) return err;
  return ApplicationFailure.create({ type: 'ToolError', message: `${tool}: ${(err as Error).message ?? String(err)}` });
}

async function runTool(tool: ToolDefinition, systems: SystemsPort, call: ToolInvocation): Promise<unknown> {
  const input = tool.input.safeParse(call.input);
  if (!input.success) {
    throw ApplicationFailure.nonRetryable(`${tool.name}: invalid input: ${input.error.issues.map((i) => i.message).join('; ')}`, 'ToolInputInvalid', { reasonCode: 'tool_input_invalid' });
  }
  let output: unknown;
  try {
    output = await tool.run({ systems, idempotencyKey: call.idempotencyKey, signal: Context.current().cancellationSignal }, input.data);
  } catch (err) {
    throw classifyToolError(tool.name, err);
  }
  const parsed = tool.output.safeParse(output);
  if (!parsed.success) throw ApplicationFailure.create({ type: 'ToolOutputInvalid', message: `${tool.name}: unexpected answer from system of record` });
  return parsed.data;
}

/** One activity per registered tool, named after the tool. */
export function createToolActivities(catalog: Catalog, systems: SystemsPort): Record<string, ToolActivity> {
  return Object.fromEntries(catalog.tools().map((tool) => [tool.name, (call: ToolInvocation) => runTool(tool, systems, call)]));
}
