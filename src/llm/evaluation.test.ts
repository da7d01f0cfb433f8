import fs from 'node:fs';
import path from 'node:path';
import { catalog } from '../domain/registry';
import { corpusSchema, evaluateCorpus } from './evaluation';
import { createRulesProvider } from './rules-provider';

const corpus = corpusSchema.parse(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'extraction-corpus.json'), 'utf8')));

describe('extraction quality corpus', () => {
  test('has at least 60 items covering every registered type, several issues, unknown intents, typos, Hinglish, missing fields and injections', () => {
    expect(corpus.items.length).toBeGreaterThanOrEqual(60);
    const intents = new Set(corpus.items.map((i) => i.expected.intent));
    for (const t of catalog.types) expect(intents).toContain(t.name);
    expect(intents).toContain('multiple_issues');
    expect(intents).toContain('unknown');
    const tags = new Set(corpus.items.flatMap((i) => i.tags));
    for (const tag of ['typo', 'hinglish', 'multi', 'missing', 'injection']) expect(tags).toContain(tag);
    expect(new Set(corpus.items.map((i) => i.id)).size).toBe(corpus.items.length);
  });

  test('every labeled value satisfies its field schema (labels are claims a valid answer could carry)', () => {
    for (const item of corpus.items) {
      const type = catalog.get(item.expected.intent);
      if (!type) continue;
      const shape = type.claims.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
      for (const [field, value] of Object.entries(item.expected.entities ?? {})) {
        expect([item.id, field, shape[field]?.safeParse(value).success]).toEqual([item.id, field, true]);
      }
    }
  });

  // Floors at the figures recorded in docs/BENCHMARKS.md: a change to the rules or the boundary that lowers them fails CI.
  test('the rules provider keeps its recorded figures', async () => {
    const { summary } = await evaluateCorpus(createRulesProvider(catalog), catalog, corpus.items, 1);
    expect(summary.errors).toBe(0);
    expect(summary.intentCorrect).toBeGreaterThanOrEqual(55);
    expect(summary.finalInvalid).toBe(0);
    const fp = summary.fields.reduce((s, f) => s + f.fp, 0);
    const tp = summary.fields.reduce((s, f) => s + f.tp, 0);
    expect(tp).toBeGreaterThanOrEqual(139);
    // The rules never guess: at most one wrong value over the whole corpus.
    expect(fp).toBeLessThanOrEqual(1);
  });
});
