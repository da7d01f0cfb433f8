import { catalog } from '../domain/registry';
import type { ExtractionResult } from '../domain/extraction';
import { runExtraction } from './extraction-loop';
import { createHybridProvider, mergeEntities } from './hybrid-provider';
import { createLocalProvider, type LocalModelSteps } from './local-provider';
import type { GenerateRequest, ModelHost } from './local/model-host';
import { createRulesProvider } from './rules-provider';
import { SEVERAL, UNKNOWN } from './small-model-prompt';

const billing = catalog.get('billing_dispute')!;

/** Model steps that answer from a script and count their calls. */
function scriptedModel(label: string, entities: Record<string, unknown> | undefined) {
  const calls = { classify: 0, extractAs: [] as string[] };
  const steps: LocalModelSteps = {
    async classify(_texts, usage) {
      calls.classify += 1;
      usage.calls += 1;
      return label;
    },
    async extractAs(type, _texts, usage) {
      calls.extractAs.push(type.name);
      usage.calls += 1;
      return entities;
    },
  };
  return { steps, calls };
}

const extract = async (text: string, model: LocalModelSteps): Promise<ExtractionResult> => {
  const llm = createHybridProvider(catalog, { rules: createRulesProvider(catalog), model, modelName: 'scripted' });
  return runExtraction({ catalog, llm, repairAttempts: 1, tokenBudget: 100_000 }, { problemId: 'p', texts: [text], tokensUsedSoFar: 0 });
};

describe('hybrid merge rules', () => {
  test('the rules values stand; the model fills only empty id, date and number fields, with values the text writes as such and the field accepts', () => {
    const text = ['acc 1002: charged 299 twice, inv2002 and INV-2002, duplicate_charge, USD'];
    const merged = mergeEntities(billing, { accountId: 'ACC-1002', amount: 299 }, { accountId: 'acc 1002', amount: 299, invoiceId: 'INV-2002', currency: 'USD', reason: 'duplicate_charge' }, text);
    // Words (a currency code, a reason) are the rules' alone, even when the text contains them.
    expect(merged.entities).toEqual({ accountId: 'ACC-1002', amount: 299, invoiceId: 'INV-2002' });
    expect(merged.filled).toEqual(['invoiceId']);
    expect(mergeEntities(billing, {}, { invoiceId: 'INV2002' }, text).entities).toEqual({});
    expect(merged.conflicts).toEqual([]);
  });

  test('the model fills nothing it inferred rather than read: a currency from "Rs", a reason from a story, one amount of several', () => {
    const read = { invoiceId: 'INV-2003', currency: 'INR', reason: 'overcharge', amount: 300 };
    const text = ['ACC-1003 invoice INV-2003: billed Rs 1,299 instead of 999, refund the extra Rs 300'];
    expect(mergeEntities(billing, { accountId: 'ACC-1003' }, read, text)).toEqual({ entities: { accountId: 'ACC-1003', invoiceId: 'INV-2003' }, filled: ['invoiceId'], conflicts: [] });
    expect(mergeEntities(billing, {}, { amount: 300 }, ['ACC-1003 INV-2003: please refund Rs 300']).filled).toEqual(['amount']);
  });

  test('a field both read differently is trusted by neither', () => {
    const merged = mergeEntities(billing, { accountId: 'ACC-1002', amount: 299 }, { accountId: 'ACC-1001', amount: 598 }, ['ACC-1002 ACC-1001 299 598']);
    expect(merged.entities).toEqual({});
    expect(merged.conflicts).toEqual(['accountId', 'amount']);
  });

  test('never changes a value the rules read (the hybrid cannot lower the rules precision on a field)', () => {
    const ruleValues = [{}, { accountId: 'ACC-1001' }, { accountId: 'ACC-1001', invoiceId: 'INV-2001', amount: 1500, currency: 'INR', reason: 'overcharge' }];
    const modelValues = [{}, { accountId: 'ACC-1009' }, { accountId: 'ACC-1001', invoiceId: 'INV-9', amount: 'x' }, { amount: 1500.5, reason: 'other', currency: 'USD', extra: 1 }];
    for (const r of ruleValues) {
      for (const m of modelValues) {
        const { entities, filled } = mergeEntities(billing, r, m, ['ACC-1001 ACC-1009 INV-2001 INV-9 1500 1500.5 other USD x']);
        for (const [field, value] of Object.entries(entities)) {
          if (field in r) expect(value).toBe((r as Record<string, unknown>)[field]);
          else expect(filled).toContain(field);
        }
        expect(Object.keys(entities)).not.toContain('extra');
      }
    }
  });
});

describe('hybrid provider', () => {
  test('does not call the model when the rules read every field', async () => {
    const { steps, calls } = scriptedModel('plan_change', {});
    const result = await extract('Charged twice for MOB-299 on invoice INV-2002, account ACC-1002: refund Rs 299 duplicate charge', steps);
    expect(result).toMatchObject({ kind: 'problem', type: 'billing_dispute', claims: { accountId: 'ACC-1002', invoiceId: 'INV-2002', amount: 299 } });
    expect(calls).toEqual({ classify: 0, extractAs: [] });
    expect(result.usage.calls).toBe(0);
  });

  test('the model fills a field the rules left empty, for the rules type, without classifying', async () => {
    const { steps, calls } = scriptedModel('access_request', { employeeId: 'EMP-501', system: 'grafana', role: 'viewer', durationDays: 14 });
    const result = await extract('Please grant EMP-501 viewer access to grafana, 14 din ke liye', steps);
    expect(result).toMatchObject({ kind: 'problem', type: 'access_request', claims: { employeeId: 'EMP-501', durationDays: 14 } });
    expect(calls).toEqual({ classify: 0, extractAs: ['access_request'] });
    expect(result.usage).toMatchObject({ provider: 'hybrid', calls: 1 });
  });

  test('a field the rules and the model read differently asks the submitter (extraction_conflict)', async () => {
    const { steps } = scriptedModel('access_request', { employeeId: 'EMP-502', system: 'grafana', role: 'viewer', durationDays: 14 });
    const result = await extract('Please grant EMP-501 viewer access to grafana, 14 din ke liye', steps);
    expect(result).toMatchObject({ kind: 'clarify', reasonCode: 'extraction_conflict', candidateType: 'access_request' });
    expect(result.kind === 'clarify' && result.missingFields).toEqual(['employeeId']);
    expect(JSON.stringify(result)).not.toContain('EMP-502');
  });

  test('the rules seeing several problems is final', async () => {
    const { steps, calls } = scriptedModel('billing_dispute', {});
    const result = await extract('My fiber is down for ACC-1001, and also I was charged twice on INV-2001, refund Rs 999.', steps);
    expect(result).toMatchObject({ kind: 'clarify', reasonCode: 'multiple_issues' });
    expect(calls.classify + calls.extractAs.length).toBe(0);
  });

  test('when the rules find no type, the model type counts only with every required field read from the text', async () => {
    const text = 'ACC-1002 ko MOB-599 pe daal do';
    const complete = await extract(text, scriptedModel('plan_change', { accountId: 'ACC-1002', targetPlan: 'MOB-599' }).steps);
    expect(complete).toMatchObject({ kind: 'problem', type: 'plan_change', claims: { accountId: 'ACC-1002', targetPlan: 'MOB-599' } });
    // A required word field (the service) is never the model's to fill, so this reading is never complete.
    const words = await extract(text, scriptedModel('connectivity_issue', { accountId: 'ACC-1002', service: 'mobile' }).steps);
    expect(words).toMatchObject({ kind: 'clarify', reasonCode: 'intent_unknown' });
    const partial = await extract(text, scriptedModel('billing_dispute', { accountId: 'ACC-1002' }).steps);
    expect(partial).toMatchObject({ kind: 'clarify', reasonCode: 'intent_unknown' });
    const labelOnly = await extract(text, scriptedModel('plan_change', {}).steps);
    expect(labelOnly).toMatchObject({ kind: 'clarify', reasonCode: 'intent_unknown' });
    const unknown = await extract(text, scriptedModel(UNKNOWN, undefined).steps);
    expect(unknown).toMatchObject({ kind: 'clarify', reasonCode: 'intent_unknown' });
    const several = await extract(text, scriptedModel(SEVERAL, undefined).steps);
    expect(several).toMatchObject({ kind: 'clarify', reasonCode: 'multiple_issues' });
  });
});

describe('local provider grounding (scripted model host)', () => {
  /** A host that answers each prompt kind from a script and records the prompts. */
  function scriptedHost(answers: Record<string, string>): ModelHost & { prompts: GenerateRequest[] } {
    const prompts: GenerateRequest[] = [];
    return {
      prompts,
      ready: async () => ({ name: 'scripted', sizeBytes: 0, contextSize: 0, sequences: 1, threads: 1 }),
      close: async () => undefined,
      async generate(request) {
        prompts.push(request);
        const text = answers[request.cacheKey ?? ''];
        if (text === undefined) throw new Error(`no scripted answer for ${request.cacheKey}`);
        return { text, promptTokens: 100, completionTokens: 10, stopReason: 'eogToken' };
      },
    };
  }

  test('an id the model copied from an example is dropped before validation, so the problem asks for it', async () => {
    const host = scriptedHost({
      classify: '"billing_dispute"',
      // INV-2002 and ACC-1002 are in the few-shot examples, not in the text.
      'extract:billing_dispute': '{"accountId":"ACC-1002","invoiceId":"INV-2002","amount":299,"currency":"INR","reason":"duplicate_charge"}',
    });
    const llm = createLocalProvider(catalog, { host, model: 'scripted', prompt: 'staged' });
    const result = await runExtraction({ catalog, llm, repairAttempts: 1, tokenBudget: 100_000 }, { problemId: 'p', texts: ['I was charged 299 twice for my plan, please refund'], tokensUsedSoFar: 0 });
    expect(result).toMatchObject({ kind: 'clarify', reasonCode: 'missing_fields', candidateType: 'billing_dispute' });
    expect(result.kind === 'clarify' && result.missingFields.sort()).toEqual(['accountId', 'invoiceId']);
    expect(result.usage).toMatchObject({ provider: 'local', calls: 2, promptTokens: 200, completionTokens: 20 });
    // The examples carry those ids; the text under test appears once, at the end of each prompt.
    expect(host.prompts[1]!.prompt).toContain('INV-2002');
    expect(host.prompts.every((p) => p.prompt.trimEnd().endsWith(':') && p.prompt.split('I was charged 299 twice for my plan').length === 2)).toBe(true);
  });
});
