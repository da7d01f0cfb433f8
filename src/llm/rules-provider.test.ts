import { z } from 'zod';
import { catalog, createCatalog } from '../domain/registry';
import type { ProblemType } from '../domain/types';
import { validateCandidate } from './candidate';
import { createRulesProvider } from './rules-provider';

const verdict = async (text: string, cat = catalog) => {
  const answer = await createRulesProvider(cat).extract({ texts: [text] });
  const v = validateCandidate(cat, answer.candidate);
  if (!v.ok) throw new Error(v.errors.join('; '));
  return v.result;
};

describe('rules provider', () => {
  test.each([
    ['Please grant EMP-501 viewer access to grafana for 7 days.', 'access_request', { employeeId: 'EMP-501', system: 'grafana', role: 'viewer', durationDays: 7 }],
    ['Can EMP-502 get read access on prod-db for a week?', 'access_request', { durationDays: 7 }],
    ['EMP-502 needs read access on prod-db for two weeks', 'access_request', { durationDays: 14 }],
    ['My fiber internet has been down since 2026-11-20, account ACC-1001, pincode 400001.', 'connectivity_issue', { service: 'fiber', pincode: '400001', since: '2026-11-20' }],
    ['Please upgrade account ACC-1001 from FIBER-100 to FIBER-300.', 'plan_change', { targetPlan: 'FIBER-300' }],
    ['I was charged 299 twice on invoice INV-2002, account ACC-1002. Please refund Rs 299.', 'billing_dispute', { amount: 299, currency: 'INR', reason: 'duplicate_charge' }],
  ])('%s → %s', async (text, type, claims) => {
    expect(await verdict(text)).toMatchObject({ kind: 'problem', type, claims });
  });

  test.each([
    'My fiber internet is down since Monday (ACC-1001), and also I was charged twice on INV-2001, please refund Rs 999.',
    'Grant EMP-501 viewer access to grafana for 7 days. Also my home broadband ACC-1004 keeps dropping.',
    'Switch ACC-1005 to MOB-599 and please give EMP-503 editor access on jenkins for 10 days.',
  ])('two requests in one message are reported as multiple issues: %s', async (text) => {
    expect(await verdict(text)).toMatchObject({ kind: 'clarify', reasonCode: 'multiple_issues' });
  });

  test('never guesses an amount: two different amounts leave it missing', async () => {
    expect(await verdict('ACC-1003 INV-2003 overcharged: billed Rs 1,299 instead of Rs 999')).toMatchObject({ kind: 'clarify', reasonCode: 'missing_fields', missingFields: ['amount'] });
  });

  test('text without any known intent is intent_unknown', async () => {
    expect(await verdict('What are your office hours on Sunday?')).toMatchObject({ kind: 'clarify', reasonCode: 'intent_unknown' });
  });

  test('is deterministic', async () => {
    const text = 'i was chrged twice acc-1002 inv 2002 rs 299';
    const a = await createRulesProvider(catalog).extract({ texts: [text] });
    const b = await createRulesProvider(catalog).extract({ texts: [text] });
    expect(a.candidate).toEqual(b.candidate);
    expect(a.usage).toMatchObject({ calls: 0, promptTokens: 0, completionTokens: 0 });
  });

  test('works for any registered type from its keywords and field hints alone', async () => {
    const parkingFine: ProblemType = {
      ...catalog.types[0]!,
      name: 'parking_fine',
      intentKeywords: ['parking (fine|ticket)'],
      fieldHints: { fineId: { kind: 'id', prefix: 'PF' }, amount: { kind: 'money' } },
      claims: z.object({ fineId: z.string().regex(/^PF-\d+$/), amount: z.number().positive() }),
      tools: [],
    };
    const cat = createCatalog([...catalog.types, parkingFine]);
    expect(await verdict('I got a parking ticket PF-7781 for ₹500 but I was not there', cat)).toEqual({ kind: 'problem', type: 'parking_fine', claims: { fineId: 'PF-7781', amount: 500 } });
  });
});
