import { catalog } from '../domain/registry';
import { validateCandidate } from './candidate';

const envelope = (entities: Record<string, unknown>, over: Record<string, unknown> = {}) => ({ type: 'billing_dispute', confidence: 0.9, issueCount: 1, entities, ...over });
const good = { accountId: 'ACC-1001', invoiceId: 'INV-2001', amount: 999, currency: null, reason: 'overcharge' };

describe('validateCandidate: the validation boundary', () => {
  test('a valid answer becomes claims of its type, with nulls dropped and defaults applied', () => {
    expect(validateCandidate(catalog, envelope(good))).toEqual({
      ok: true,
      result: { kind: 'problem', type: 'billing_dispute', claims: { accountId: 'ACC-1001', invoiceId: 'INV-2001', amount: 999, currency: 'INR', reason: 'overcharge' } },
    });
  });

  test.each([
    ['an extra field in the envelope', { ...envelope(good), approve: true }],
    ['an extra entity field', envelope({ ...good, refundNow: true })],
    ['a wrong enum value', envelope({ ...good, reason: 'angry' })],
    ['a negative amount', envelope({ ...good, amount: -999 })],
    ['an amount as a string', envelope({ ...good, amount: '999' })],
    ['more than two decimals', envelope({ ...good, amount: 9.999 })],
    ['an unregistered type', envelope(good, { type: 'refund_everything' })],
    ['a malformed id', envelope({ ...good, accountId: 'acc 1001' })],
    ['confidence above 1', envelope(good, { confidence: 7 })],
    ['no entities', { type: 'billing_dispute', confidence: 0.9, issueCount: 1 }],
    ['not an object', 'billing_dispute'],
    ['another type\'s fields under this type', envelope({ employeeId: 'EMP-501', system: 'grafana', role: 'admin', durationDays: 3 })],
  ])('%s is rejected with errors, never a partial result', (_label, raw) => {
    const v = validateCandidate(catalog, raw);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.errors.length).toBeGreaterThan(0);
  });

  test('missing required fields ask for them by name', () => {
    expect(validateCandidate(catalog, envelope({ accountId: 'ACC-1001', invoiceId: null, amount: null }))).toMatchObject({
      ok: true,
      result: { kind: 'clarify', reasonCode: 'missing_fields', missingFields: ['invoiceId', 'amount'], candidateType: 'billing_dispute' },
    });
  });

  test('an absent enum field is asked for, not treated as invalid output', () => {
    const raw = { type: 'connectivity_issue', confidence: 0.9, issueCount: 1, entities: { accountId: 'ACC-1004', service: null, since: '2026-11-18' } };
    expect(validateCandidate(catalog, raw)).toMatchObject({ ok: true, result: { kind: 'clarify', reasonCode: 'missing_fields', missingFields: ['service'] } });
  });

  test.each([
    ['unknown type', envelope({}, { type: 'unknown', confidence: 0, issueCount: 0 }), 'intent_unknown'],
    ['low confidence', envelope(good, { confidence: 0.3 }), 'intent_unknown'],
    ['several issues in one message', envelope(good, { issueCount: 2 }), 'multiple_issues'],
  ])('%s asks instead of acting', (_label, raw, reasonCode) => {
    expect(validateCandidate(catalog, raw)).toMatchObject({ ok: true, result: { kind: 'clarify', reasonCode } });
  });
});
