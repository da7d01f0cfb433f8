import { z } from 'zod';
import type { DecisionInput, RecordedDecision } from '../domain/recorded-decision';
import type { Catalog } from '../domain/registry';
import type { Decision } from '../domain/types';
import type { History } from './history';
import { findRuleDrift, formatRuleDrift, recordedDecisionsOf } from './replay';

const json = (value: unknown) => ({ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(value)) });
const marker = (activityType: string, result: unknown) => ({
  markerRecordedEventAttributes: { markerName: 'core_local_activity', details: { data: { payloads: [json({ seq: 1, activity_type: activityType })] }, result: { payloads: [json(result)] } } },
});

const input: DecisionInput = { problemId: 'prb_1', type: 'billing_dispute', claims: {}, facts: {}, policyVersion: 'p1', policy: {}, scope: {} };
const approval: Decision = { kind: 'reject', action: 'reject', reasonCode: 'credit_needs_approval', ruleId: 'BD-11' };
const recorded: RecordedDecision = { input, decision: approval, buildId: 'src-aaaaaaaaaaaa' };
const history: History = { events: [marker('loadCommandKeys', []), marker('decide', recorded), { markerRecordedEventAttributes: { markerName: 'core_patch', details: {} } }] };

/** A catalog whose billing rule decides `today`. */
const catalogDeciding = (today: Decision) => ({ get: (name: string) => (name === 'billing_dispute' ? { name, policy: z.unknown(), decide: () => today } : undefined) }) as unknown as Catalog;

describe('recorded decisions against today\'s rules', () => {
  test('reads the decide local activity\'s markers only', () => {
    expect(recordedDecisionsOf(history)).toEqual([recorded]);
  });

  test('unchanged rules: no drift', () => {
    expect(findRuleDrift(catalogDeciding(approval), [{ file: '/repo/test/histories/a.json', workflowId: 'a', history }])).toEqual([]);
  });

  test('a rule change that decides a recorded problem differently fails with what to do', () => {
    const review: Decision = { ...approval, reasonCode: 'credit_needs_review', ruleId: 'BD-15' };
    const drift = findRuleDrift(catalogDeciding(review), [{ file: '/repo/test/histories/a.json', workflowId: 'a', history }]);
    expect(drift).toEqual([{ file: '/repo/test/histories/a.json', type: 'billing_dispute', buildId: 'src-aaaaaaaaaaaa', recorded: 'reject credit_needs_approval (BD-11)', today: 'reject credit_needs_review (BD-15)' }]);
    const message = formatRuleDrift(drift, '/repo');
    expect(message).toContain('test/histories/a.json: billing_dispute decided reject credit_needs_approval (BD-11) on build src-aaaaaaaaaaaa');
    expect(message).toContain('new build id (APP_VERSION)');
    expect(message).toContain('npm run histories:record');
  });

  test('a rule that now throws is drift too (decision_error)', () => {
    const throwing = { get: () => ({ policy: z.unknown(), decide: () => { throw new Error('boom'); } }) } as unknown as Catalog;
    expect(findRuleDrift(throwing, [{ file: 'a.json', workflowId: 'a', history }])[0]).toMatchObject({ today: 'decision_error' });
  });
});
