import type { Catalog } from '../src/domain/registry';
import type { ResolvedPolicy } from '../src/domain/policy';
import type { CommandVerifyKey } from '../src/domain/signed-command';
import type { SystemsPort } from '../src/domain/types';
import type { ExtractionInput } from '../src/domain/extraction';
import type { LlmProvider } from '../src/llm/provider';
import type { PrincipalTokenBudget } from '../src/limits/principal-token-budget';
import type { NotificationEvent, Notifier } from '../src/notifications/notifier';
import type { ProblemInput } from '../workflows/definitions';
import { Context } from '@temporalio/activity';
import { admitProblem, type Admission } from './admission';
import { createDecisionActivities } from './decision';
import { extractProblem } from './extract-problem';
import { createToolActivities, type ToolActivity } from './tools';

/** Everything activities touch, injected by the worker (or by a test). */
export interface ActivityDeps {
  catalog: Catalog;
  /** The worker's build id (`APP_VERSION`), recorded with every decision. */
  buildId: string;
  llm: LlmProvider;
  systems: SystemsPort;
  policy: ResolvedPolicy;
  notifier: Notifier;
  repairAttempts: number;
  tokenBudget: number;
  /** Public keys of the API's command signatures, which workflows verify approvals and clarifications with. */
  commandKeys: CommandVerifyKey[];
  /** Each principal's daily LLM token allowance (LLM_TOKENS_PER_DAY); unlimited when absent. */
  principalTokens?: PrincipalTokenBudget;
}

/** Builds the worker's activities: extraction, policy, decisions, notifications, and one activity per tool. */
export function createActivities(deps: ActivityDeps) {
  const fixed = {
    /** LLM extraction behind the zod validation boundary. */
    extractProblem: (input: ExtractionInput) => extractProblem(deps, input),
    /** The policy in force, recorded in history so replays and audits see the same thresholds. */
    loadPolicy: async (): Promise<ResolvedPolicy> => deps.policy,
    /** The first step of a problem: the API's signature on its start checked, and the policy in force (admission.ts). */
    admitProblem: async (input: ProblemInput, startedAt: string): Promise<Admission> => admitProblem(deps, input, startedAt),
    /** The keys commands must be signed with, from the worker's configuration (never from a payload). */
    loadCommandKeys: async (): Promise<CommandVerifyKey[]> => deps.commandKeys,
    /**
     * Sends a notification, keyed so a retry does not notify twice: by the caller's key (the same
     * for a local attempt and the activity after it), else by workflow and activity.
     */
    notify: async (notification: NotificationEvent, idempotencyKey?: string): Promise<void> => {
      const info = Context.current().info;
      await deps.notifier.send(notification, idempotencyKey ?? `${info.workflowExecution?.workflowId ?? 'standalone'}/${info.activityId}`);
    },
  };
  const tools: Record<string, ToolActivity> = createToolActivities(deps.catalog, deps.systems);
  return { ...tools, ...fixed, ...createDecisionActivities(deps) };
}
export { createSimulationActivities, type SimulationActivities } from './policy-simulation';
