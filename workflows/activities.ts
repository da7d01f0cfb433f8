/**
 * The workflow's typed views of the worker's activities: each with its timeouts and retries, in
 * one place. Workflow code only; the activities themselves are in activities/.
 */
import { ApplicationFailure, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { ToolCall, ToolInvocation } from '../src/domain/types';
import { LOCAL_ATTEMPT_TIMEOUT_MS, localAttempt, localFirst } from './local-first';
import type { Rules } from './rules';

type Activities = ReturnType<typeof createActivities>;

/** LLM extraction: long, heartbeating, retried except where the provider refused for good. */
export const { extractProblem } = proxyActivities<Activities>({
  startToCloseTimeout: '90s',
  heartbeatTimeout: '30s',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '30s',
    maximumAttempts: 5,
    nonRetryableErrorTypes: ['LlmRequestRejected', 'LlmRefusal', 'TokenBudgetExceeded'],
  },
});

const worker = proxyActivities<Activities>({
  startToCloseTimeout: '15s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 10 },
});

/** The policy as an activity: how problems started before recorded decisions loaded it. */
export const loadPolicyActivity = worker.loadPolicy;

/**
 * Sends a notification, labelled in the Web UI by its event (never by its recipients or content).
 * Best effort: once its retries are spent, or the receiver refuses it, the failure stays in
 * history and the problem carries on; a webhook outage must not fail a problem. With
 * `localFirstKey`, one local attempt first (local-first.ts), the activity after it sending under
 * the same idempotency key, so a receiver sees one notice however it was delivered.
 */
export const notify = (event: Parameters<Activities['notify']>[0], options: { localFirstKey?: string } = {}): Promise<void> => {
  const summary = `Notify: ${event.event}`;
  const { localFirstKey: key } = options;
  const sent = key
    ? localFirst(
        () => local.notify.executeWithOptions({ summary, ...localAttempt(LOCAL_ATTEMPT_TIMEOUT_MS) }, [event, key]),
        () => worker.notify.executeWithOptions({ summary }, [event, key]),
      )
    : worker.notify.executeWithOptions({ summary }, [event]);
  return sent.catch(() => undefined);
};

/**
 * Worker configuration and rules read into history: local activities, no task queue round trip.
 * The rules are pure and fast; a retry runs the same code on the same input.
 */
export const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '5s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 10 },
});

/** The rules of problems started by this build: planned and decided by the worker, recorded in history. */
export const recordedRules: Rules = {
  plan: (request) => local.planVerification.executeWithOptions({ summary: 'Plan verification' }, [request]),
  decide: (input) => local.decide.executeWithOptions({ summary: `Decide (${input.type}, policy ${input.policyVersion})` }, [input]),
  runOptions: (call: ToolCall) => {
    throw ApplicationFailure.nonRetryable(`step ${call.tool} was planned without its run options`, 'UnknownTool');
  },
};

type ToolActivities = Record<string, (call: ToolInvocation) => Promise<unknown>>;

/** Tools are activities named after the tool; options come from each step's run options. */
export const tools = proxyActivities<ToolActivities>({ startToCloseTimeout: '30s' });

/**
 * The same tools as local activities, for verification lookups: reads of a system of record,
 * short and safe to run again (a retried workflow task reads again), so they need no task queue
 * round trip. Options come from the runner (stages/tool-step.ts); effects stay activities.
 */
export const localTools = proxyLocalActivities<ToolActivities>({ startToCloseTimeout: '30s' });
