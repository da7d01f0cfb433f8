import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import type { ActionStep, FollowUp } from '../../src/domain/types';
import type { Rules } from '../rules';
import { runFollowUp } from './follow-up';
import { runSaga } from './saga';
import type { RunnableStep, RunTool } from './tool-step';
import { verifyClaims } from './verification';

/**
 * The stages' own logic, with the tool runner faked: no Temporal, no systems. What each stage
 * does with Temporal (timers, activities, replay) is covered by workflow-branches.test.ts.
 */
const step = (id: string, compensation?: string): ActionStep => ({
  id,
  tool: id,
  input: {},
  summary: id,
  ...(compensation ? { compensation: { id: compensation, tool: compensation, input: {}, summary: compensation } } : {}),
});

/** A tool failure as the workflow sees it: an ActivityFailure around the tool's ApplicationFailure. */
function toolFailure(type: string, reasonCode?: string): ActivityFailure {
  const cause = ApplicationFailure.create({ type, message: type, nonRetryable: true, ...(reasonCode ? { details: [{ reasonCode }] } : {}) });
  return new ActivityFailure('activity failed', 'tool', 'id', RetryState.NON_RETRYABLE_FAILURE, 'identity', cause);
}

/** A fake runner: answers by step id, records the order of calls and each call's `retry` number. */
function fakeTools(answers: Record<string, (step: RunnableStep, results: Record<string, unknown>) => unknown>): RunTool & { calls: string[] } {
  const calls: string[] = [];
  const run = (async (s: RunnableStep, results: Record<string, unknown> = {}, retry = 0) => {
    calls.push(retry ? `${s.id}~${retry}` : s.id);
    const answer = answers[s.id];
    if (!answer) throw new Error(`unexpected step ${s.id}`);
    return answer(s, results);
  }) as RunTool & { calls: string[] };
  run.calls = calls;
  return run;
}

describe('saga stage', () => {
  test('runs every step in order and returns each result by step id', async () => {
    const tools = fakeTools({ a: () => ({ n: 1 }), b: (_s, results) => ({ sawA: results.a }) });
    expect(await runSaga([step('a'), step('b')], tools, 0)).toEqual({
      kind: 'done',
      results: { a: { n: 1 }, b: { sawA: { n: 1 } } },
      steps: [{ id: 'a', tool: 'a', status: 'done', result: { n: 1 } }, { id: 'b', tool: 'b', status: 'done', result: { sawA: { n: 1 } } }],
    });
  });

  test('a failure undoes the completed steps in reverse order; later steps are skipped', async () => {
    const tools = fakeTools({ a: () => 1, b: () => 2, c: () => { throw toolFailure('ToolError', 'carrier_down'); }, undoA: () => 0, undoB: () => 0 });
    const result = await runSaga([step('a', 'undoA'), step('b', 'undoB'), step('c'), step('d')], tools, 0);
    expect(tools.calls).toEqual(['a', 'b', 'c', 'undoB', 'undoA']);
    expect(result).toMatchObject({ kind: 'failed', reasonCode: 'carrier_down', nothingApplied: true });
    expect(result.kind === 'failed' && result.steps.map((s) => s.status)).toEqual(['compensated', 'compensated', 'failed', 'skipped']);
  });

  test('a compensation that fails leaves the problem saying something was applied', async () => {
    const tools = fakeTools({ a: () => 1, b: () => { throw toolFailure('ToolError'); }, undoA: () => { throw toolFailure('ToolError', 'undo_refused'); } });
    const result = await runSaga([step('a', 'undoA'), step('b')], tools, 0);
    expect(result).toMatchObject({ kind: 'failed', reasonCode: 'tool_failed', nothingApplied: false, steps: [{ status: 'compensation_failed', error: 'undo_refused' }, { status: 'failed' }] });
  });

  test('a step without compensation stays done: nothing was undone, so something was applied', async () => {
    const tools = fakeTools({ a: () => 1, b: () => { throw toolFailure('ToolError'); } });
    expect(await runSaga([step('a'), step('b')], tools, 0)).toMatchObject({ kind: 'failed', nothingApplied: false });
  });

  test('a first step refused by the system of record is a business answer: refused, nothing ran', async () => {
    const tools = fakeTools({ a: () => { throw toolFailure('ToolRejected', 'amount_exceeds_remaining'); } });
    expect(await runSaga([step('a'), step('b')], tools, 0)).toMatchObject({ kind: 'refused', reasonCode: 'amount_exceeds_remaining' });
  });

  test('a first step refused for a stale concurrency token asks for a re-decision; a later one does not', async () => {
    const stale = () => { throw toolFailure('ToolRejected', 'ledger_version_conflict'); };
    expect(await runSaga([step('a')], fakeTools({ a: stale }), 2)).toEqual({ kind: 'stale' });
    expect(await runSaga([step('a'), step('b')], fakeTools({ a: () => 1, b: stale }), 0)).toMatchObject({ kind: 'failed', reasonCode: 'ledger_version_conflict' });
  });

  test('a re-decided execution passes its retry number to every step (new idempotency keys)', async () => {
    const tools = fakeTools({ a: () => 1, b: () => 2 });
    await runSaga([step('a'), step('b')], tools, 3);
    expect(tools.calls).toEqual(['a~3', 'b~3']);
  });
});

describe('verification stage', () => {
  const run = { timeoutMs: 1000, retry: { maximumAttempts: 1, initialIntervalMs: 1, backoffCoefficient: 1, maximumIntervalMs: 1 } };
  const lookup = (tool: string) => ({ tool, input: {}, summary: tool, run });
  const rulesPlanning = (...stages: Record<string, ReturnType<typeof lookup>>[]): Rules & { seen: Record<string, unknown>[] } => {
    const seen: Record<string, unknown>[] = [];
    return {
      seen,
      plan: async ({ facts }) => {
        seen.push({ ...facts });
        return { kind: 'lookups', claims: {}, lookups: stages.shift() ?? {} };
      },
      decide: async () => { throw new Error('not used'); },
      runOptions: () => { throw new Error('not used'); },
    };
  };

  test('runs the lookups stage by stage, each stage planned from the facts verified before it', async () => {
    const rules = rulesPlanning({ owner: lookup('lookUpOwner') });
    const tools = fakeTools({ 'verify-widget': () => ({ ownerId: 'O-1' }), 'verify-owner': () => ({ name: 'Olga' }) });
    const facts = await verifyClaims(rules, tools, { type: 'widget', claims: {} }, { lookups: { widget: lookup('lookUpWidget') } });
    expect(facts).toEqual({ widget: { ownerId: 'O-1' }, owner: { name: 'Olga' } });
    expect(rules.seen).toEqual([{ widget: { ownerId: 'O-1' } }, { widget: { ownerId: 'O-1' }, owner: { name: 'Olga' } }]);
  });

  test('after the last stage nothing more is planned', async () => {
    const rules = rulesPlanning({ owner: lookup('lookUpOwner') });
    const tools = fakeTools({ 'verify-widget': () => ({ ownerId: 'O-1' }) });
    const facts = await verifyClaims(rules, tools, { type: 'widget', claims: {} }, { lookups: { widget: lookup('lookUpWidget') }, last: true });
    expect(facts).toEqual({ widget: { ownerId: 'O-1' } });
    expect(rules.seen).toEqual([]);
  });

  test('a lookup that fails stops verification with its error', async () => {
    const tools = fakeTools({ 'verify-widget': () => { throw toolFailure('DownstreamUnavailable'); } });
    expect(await verifyClaims(rulesPlanning(), tools, { type: 'widget', claims: {} }, { lookups: { widget: lookup('lookUpWidget') } })).toBeInstanceOf(Error);
  });

  test('claims the rules no longer accept stop verification', async () => {
    const rules: Rules = { plan: async () => ({ kind: 'invalid' }), decide: async () => { throw new Error('no'); }, runOptions: () => { throw new Error('no'); } };
    expect(await verifyClaims(rules, fakeTools({}), { type: 'widget', claims: {} })).toBeInstanceOf(Error);
  });
});

describe('follow-up stage', () => {
  const followUp = (...ids: string[]): FollowUp => ({ afterMs: 1000, summary: 'Revoke', steps: ids.map((id) => step(id)) });

  test('runs its steps with the action results and adds its own', async () => {
    const results: Record<string, unknown> = { grant: { grantId: 'G-1' } };
    const tools = fakeTools({ revoke: (_s, r) => ({ revoked: (r.grant as { grantId: string }).grantId }) });
    expect(await runFollowUp(followUp('revoke'), tools, results)).toEqual({ status: 'done' });
    expect(results.revoke).toEqual({ revoked: 'G-1' });
  });

  test('a step that fails is surfaced with its reason code and stops the follow-up', async () => {
    const tools = fakeTools({ revoke: () => { throw toolFailure('ToolRejected', 'grant_not_found'); } });
    expect(await runFollowUp(followUp('revoke', 'notify'), tools, {})).toEqual({ status: 'failed', stepId: 'revoke', reasonCode: 'grant_not_found' });
    expect(tools.calls).toEqual(['revoke']);
  });
});
