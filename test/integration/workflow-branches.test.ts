import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { createActivities } from '../../activities';
import type { ResolvedPolicy } from '../../src/domain/policy';
import type { DecisionInput, RecordedDecision } from '../../src/domain/recorded-decision';
import type { Decision, ToolInvocation } from '../../src/domain/types';
import type { VerificationPlan } from '../../src/domain/verification-plan';
import { problemWorkflow } from '../../workflows';
import type { ProblemState } from '../../workflows/state';

/**
 * The workflow's branches with every activity mocked, on the shared dev server: no systems, no
 * model, no API. Each test scripts what the worker's rules and tools answer and checks where the
 * problem comes to rest; the stack tests cover the same paths across processes.
 */
type Activities = ReturnType<typeof createActivities>;

const run = { timeoutMs: 5_000, retry: { maximumAttempts: 1, initialIntervalMs: 100, backoffCoefficient: 1, maximumIntervalMs: 100 } };
const policy: ResolvedPolicy = {
  version: 'test-1',
  approvalTiming: { remindAfterMs: 60_000, escalateAfterMs: 120_000, expireAfterMs: 180_000, escalationGroup: 'admins' },
  clarificationRounds: 1,
  clarificationTimeoutMs: 60_000,
  types: { widget: { limit: 10 } },
};
const usage = { provider: 'mock', model: 'mock', calls: 0, repairAttempts: 0, promptTokens: 0, completionTokens: 0, latencyMs: 0 };
const lookup = (tool: string, input: Record<string, unknown> = {}) => ({ tool, input, summary: tool, run });

/** What one test scripts: the verification stages, the rules' decision, and the tools' answers. */
interface Script {
  /** The first stage, as the extraction activity plans it (absent: the workflow plans it). */
  extracted?: Extract<VerificationPlan, { kind: 'lookups' }>;
  stages?: VerificationPlan[];
  decide?: (input: DecisionInput) => Decision | null;
  tools?: Record<string, (call: ToolInvocation) => unknown>;
}

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  const address = process.env.TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('run with `npm test` (the jest globalSetup starts the dev server)');
  env = await TestWorkflowEnvironment.createFromExistingServer({ address });
});
afterAll(async () => env?.teardown());

/** Runs one problem to rest on a worker whose activities follow `script`; returns its result and the calls seen. */
async function runProblem(script: Script): Promise<{ state: ProblemState; decideInputs: DecisionInput[]; toolCalls: string[]; plans: number }> {
  const taskQueue = `branches-${randomUUID()}`;
  let plans = 0;
  const decideInputs: DecisionInput[] = [];
  const toolCalls: string[] = [];
  const stages = [...(script.stages ?? [])];
  const activities: Partial<Activities> & Record<string, unknown> = {
    extractProblem: async () => ({ kind: 'problem', type: 'widget', claims: { widgetId: 'W-1' }, usage, ...(script.extracted ? { plan: script.extracted } : {}) }),
    loadPolicy: async () => policy,
    admitProblem: async () => ({ refused: null, policy }),
    loadCommandKeys: async () => [],
    notify: async () => undefined,
    planVerification: async ({ claims }) => {
      plans += 1;
      return stages.shift() ?? { kind: 'lookups', claims: claims as Record<string, unknown>, lookups: {} };
    },
    decide: async (input): Promise<RecordedDecision> => {
      decideInputs.push(input);
      return { input, decision: script.decide ? script.decide(input) : null, buildId: 'test-build' };
    },
  };
  for (const [name, fn] of Object.entries(script.tools ?? {})) {
    activities[name] = async (call: ToolInvocation) => {
      toolCalls.push(name);
      return fn(call);
    };
  }
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! },
    activities,
  });
  const problemId = `prb_${randomUUID().replace(/-/g, '').slice(0, 26).toUpperCase()}`;
  const state = await worker.runUntil(
    env.client.workflow.execute(problemWorkflow, {
      taskQueue,
      workflowId: problemId,
      args: [{ problemId, text: 'widget W-1 is broken', channel: 'api', submittedBy: 'alice', requestDigest: 'd' }],
    }),
  );
  return { state, decideInputs, toolCalls, plans };
}

const execute = (steps: Extract<Decision, { kind: 'execute' }>['steps']): Decision => ({ kind: 'execute', action: 'fix_widget', reasonCode: 'widget_fixable', ruleId: 'W-10', steps });

describe('problemWorkflow branches, activities mocked', () => {
  test('claims the type refuses end the problem failed with extraction_invalid, before any tool or rule', async () => {
    const { state, decideInputs, toolCalls } = await runProblem({ stages: [{ kind: 'invalid' }] });
    expect(state).toMatchObject({ status: 'failed', outcome: { reasonCode: 'extraction_invalid' } });
    expect(decideInputs).toEqual([]);
    expect(toolCalls).toEqual([]);
  });

  test('verification runs in stages: a later lookup is planned from an earlier fact, and decide() sees them all', async () => {
    const claims = { widgetId: 'W-1' };
    const { state, decideInputs, toolCalls } = await runProblem({
      stages: [
        { kind: 'lookups', claims, lookups: { widget: lookup('lookUpWidget') } },
        { kind: 'lookups', claims, lookups: { owner: lookup('lookUpOwner') } },
      ],
      decide: () => ({ kind: 'reject', action: 'reject', reasonCode: 'widget_fine', ruleId: 'W-01' }),
      tools: { lookUpWidget: () => ({ ownerId: 'O-1' }), lookUpOwner: () => ({ name: 'Olga' }) },
    });
    expect(toolCalls).toEqual(['lookUpWidget', 'lookUpOwner']);
    expect(decideInputs).toHaveLength(1);
    expect(decideInputs[0]).toMatchObject({ type: 'widget', claims, facts: { widget: { ownerId: 'O-1' }, owner: { name: 'Olga' } }, policyVersion: 'test-1', policy: { limit: 10 } });
    expect(state).toMatchObject({ status: 'rejected', outcome: { reasonCode: 'widget_fine' }, decision: { ruleId: 'W-01', buildId: 'test-build', verifiedFacts: ['owner', 'widget'] } });
  });

  test("the extraction's plan of a one-stage type: its lookups run and the problem is decided without planVerification", async () => {
    const claims = { widgetId: 'W-1' };
    const { state, decideInputs, toolCalls, plans } = await runProblem({
      extracted: { kind: 'lookups', claims, lookups: { widget: lookup('lookUpWidget') }, last: true },
      decide: () => ({ kind: 'reject', action: 'reject', reasonCode: 'widget_fine', ruleId: 'W-01' }),
      tools: { lookUpWidget: () => ({ ownerId: 'O-1' }) },
    });
    expect(plans).toBe(0);
    expect(toolCalls).toEqual(['lookUpWidget']);
    expect(decideInputs[0]).toMatchObject({ claims, facts: { widget: { ownerId: 'O-1' } } });
    expect(state).toMatchObject({ status: 'rejected', outcome: { reasonCode: 'widget_fine' } });
  });

  test("a stage that is not the last is followed by planning the next from its facts; a plan without 'last' (recorded before it existed) too", async () => {
    const claims = { widgetId: 'W-1' };
    for (const extracted of [{ kind: 'lookups' as const, claims, lookups: { widget: lookup('lookUpWidget') }, last: false }, { kind: 'lookups' as const, claims, lookups: { widget: lookup('lookUpWidget') } }]) {
      const { decideInputs, toolCalls, plans } = await runProblem({
        extracted,
        stages: [{ kind: 'lookups', claims, lookups: { owner: lookup('lookUpOwner') }, last: true }],
        decide: () => ({ kind: 'reject', action: 'reject', reasonCode: 'widget_fine', ruleId: 'W-01' }),
        tools: { lookUpWidget: () => ({ ownerId: 'O-1' }), lookUpOwner: () => ({ name: 'Olga' }) },
      });
      expect(plans).toBe(1);
      expect(toolCalls).toEqual(['lookUpWidget', 'lookUpOwner']);
      expect(decideInputs[0]).toMatchObject({ facts: { widget: { ownerId: 'O-1' }, owner: { name: 'Olga' } } });
    }
  });

  test('a lookup the system of record refuses ends the problem failed with verification_failed, with no decision', async () => {
    const { state, decideInputs } = await runProblem({
      stages: [{ kind: 'lookups', claims: {}, lookups: { widget: lookup('lookUpWidget') } }],
      tools: { lookUpWidget: () => { throw ApplicationFailure.nonRetryable('gone', 'ToolRejected', { reasonCode: 'widget_unknown' }); } },
    });
    expect(state).toMatchObject({ status: 'failed', outcome: { reasonCode: 'verification_failed' }, decision: null });
    expect(decideInputs).toEqual([]);
  });

  test('rules that throw (recorded as no decision) end the problem failed with decision_error: never a stuck task', async () => {
    const { state } = await runProblem({ decide: () => null });
    expect(state).toMatchObject({ status: 'failed', outcome: { reasonCode: 'decision_error' }, decision: null });
  });

  test('a saga: the second step fails, the first is compensated, the problem fails saying so', async () => {
    const { state, toolCalls } = await runProblem({
      decide: () => execute([
        { id: 'reserve', tool: 'reserve', input: {}, summary: 'Reserve', run, compensation: { id: 'release', tool: 'release', input: {}, summary: 'Release', run } },
        { id: 'ship', tool: 'ship', input: {}, summary: 'Ship', run },
      ]),
      tools: {
        reserve: () => ({ reservationId: 'R-1' }),
        ship: () => { throw ApplicationFailure.nonRetryable('carrier down', 'ToolError'); },
        release: () => ({ released: true }),
      },
    });
    expect(toolCalls).toEqual(['reserve', 'ship', 'release']);
    expect(state).toMatchObject({
      status: 'failed',
      outcome: { nothingApplied: true, steps: [{ id: 'reserve', status: 'compensated' }, { id: 'ship', status: 'failed' }] },
    });
  });

  test('a step takes its input from an earlier step and the idempotency key names the problem and step', async () => {
    const calls: ToolInvocation[] = [];
    const { state } = await runProblem({
      decide: () => execute([
        { id: 'open', tool: 'openTicket', input: {}, summary: 'Open', run },
        { id: 'assign', tool: 'assignTicket', input: { team: 'field' }, inputFrom: { ticketId: { step: 'open', key: 'ticketId' } }, summary: 'Assign', run },
      ]),
      tools: { openTicket: () => ({ ticketId: 'T-9' }), assignTicket: (call) => {
        calls.push(call);
        return { ok: true };
      } },
    });
    expect(state.status).toBe('completed');
    expect(calls[0]).toMatchObject({ input: { team: 'field', ticketId: 'T-9' }, idempotencyKey: `${state.id}/assign` });
  });
});
