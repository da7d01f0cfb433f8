import type { Catalog } from '../domain/registry';
import type { FieldHint, ProblemType } from '../domain/types';
import type { Candidate } from './candidate';
import type { LlmProvider, ProviderAnswer } from './provider';

const CURRENCY_MARKERS: [RegExp, string][] = [
  [/^(₹|rs\.?|inr|rupees?|\/-)$/i, 'INR'],
  [/^(\$|usd|dollars?)$/i, 'USD'],
  [/^(€|eur|euros?)$/i, 'EUR'],
];
const MARKER = '(₹|rs\\.?|inr|rupees?|\\$|usd|dollars?|€|eur|euros?)';
const NUMBER = '(\\d{1,3}(?:,\\d{2,3})+|\\d+)(?:\\.(\\d{1,2}))?';
const MONEY_BEFORE = new RegExp(`${MARKER}\\s*${NUMBER}(?!\\d|\\.\\d)`, 'gi');
const MONEY_AFTER = new RegExp(`(?<![\\w.])${NUMBER}\\s*${MARKER}(?![a-z])`, 'gi');
const MONEY_AFTER_VERB = new RegExp(`\\b(?:charged(?: me)?|refund(?: of)?|credit(?: of)?|amount(?: of)?|paid|billed(?: me)?)\\s+${NUMBER}(?!\\d|\\.\\d|\\s*(?:times|x)\\b)`, 'gi');

/** Counts written as words ("a week", "two days"); larger counts are written as digits in practice. */
const NUMBER_WORDS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, ten: 10, fifteen: 15 };

/** A money mention: amount in rupees (or other currency) and its currency if stated. */
interface Money {
  amount: number;
  currency?: string;
}

const toNumber = (int: string, frac: string | undefined) => Number(`${int.replace(/,/g, '')}.${frac ?? '0'}`);
const currencyOf = (marker: string) => CURRENCY_MARKERS.find(([re]) => re.test(marker))?.[1];

function moneyMentions(text: string): Money[] {
  const found: Money[] = [];
  for (const m of text.matchAll(MONEY_BEFORE)) found.push({ amount: toNumber(m[2]!, m[3]), currency: currencyOf(m[1]!) });
  for (const m of text.matchAll(MONEY_AFTER)) found.push({ amount: toNumber(m[1]!, m[2]), currency: currencyOf(m[3]!) });
  if (found.length === 0) for (const m of text.matchAll(MONEY_AFTER_VERB)) found.push({ amount: toNumber(m[1]!, m[2]) });
  return found;
}

/** Returns the single value all mentions agree on; two different values are ambiguous, so none. */
function unique<T>(values: T[]): T | undefined {
  const distinct = [...new Set(values)];
  return distinct.length === 1 ? distinct[0] : undefined;
}

function extractField(text: string, hint: FieldHint): unknown {
  const lower = text.toLowerCase();
  switch (hint.kind) {
    case 'id': {
      const re = new RegExp(`\\b${hint.prefix}[-\\s_]?(\\d{3,10})\\b`, 'gi');
      return unique([...text.matchAll(re)].map((m) => `${hint.prefix}-${m[1]}`));
    }
    case 'money':
      return unique(moneyMentions(text).map((m) => m.amount));
    case 'currency':
      return unique(moneyMentions(text).flatMap((m) => (m.currency ? [m.currency] : [])));
    case 'pincode':
      return unique([...text.matchAll(/(?<![\d-])(\d{6})(?![\d-])/g)].map((m) => m[1]!));
    case 'date':
      return unique([...text.matchAll(/\b(\d{4}-\d{2}-\d{2})\b/g)].map((m) => m[1]!));
    case 'duration_days': {
      const m = new RegExp(`\\b(\\d{1,3}|${Object.keys(NUMBER_WORDS).join('|')})\\s*(day|week|month)s?\\b`, 'i').exec(text);
      if (!m) return undefined;
      const factor = { day: 1, week: 7, month: 30 }[m[2]!.toLowerCase() as 'day' | 'week' | 'month'];
      const count = NUMBER_WORDS[m[1]!.toLowerCase()] ?? Number(m[1]);
      return count * factor;
    }
    case 'enum':
      return Object.entries(hint.synonyms).find(([, words]) => words.some((w) => lower.includes(w.toLowerCase())))?.[0];
    case 'pattern':
      return unique([...text.matchAll(new RegExp(hint.source, 'gi'))].flatMap((m) => (m[1] ? [hint.normalize === 'upper' ? m[1].toUpperCase() : m[1].toLowerCase()] : [])));
    case 'word':
      return unique(hint.values.filter((v) => new RegExp(`(?<![\\w-])${v.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&')}(?![\\w-])`, 'i').test(text)));
  }
}

/** Clause boundaries: sentence ends, and words that start another request ("also", Hindi "aur"). */
const CLAUSE_BREAK = /(?<=[.!?;\n])\s+|,\s*|\b(?:and|also|separately|aur|plus|but)\b/i;

const hitsOf = (t: ProblemType, text: string) => t.intentKeywords.filter((k) => new RegExp(k, 'i').test(text)).length;

/**
 * Detects the intent from each type's keywords. Several issues are reported only when at
 * least two types each own a clause of their own (a clause where no other type's keyword
 * appears); otherwise the type with the most keyword hits wins, and a tie stays ambiguous.
 */
function detectIntent(catalog: Catalog, lower: string): { type?: ProblemType; issueCount: number } {
  const scored = catalog.types.map((t) => ({ t, hits: hitsOf(t, lower) })).filter((s) => s.hits > 0).sort((a, b) => b.hits - a.hits);
  if (scored.length <= 1) return { type: scored[0]?.t, issueCount: scored.length };
  const owners = new Set<ProblemType>();
  for (const clause of lower.split(CLAUSE_BREAK)) {
    const inClause = scored.filter((s) => hitsOf(s.t, clause ?? '') > 0);
    if (inClause.length === 1) owners.add(inClause[0]!.t);
  }
  if (owners.size >= 2) return { issueCount: owners.size };
  if (scored[0]!.hits === scored[1]!.hits) return { issueCount: scored.length };
  return { type: scored[0]!.t, issueCount: 1 };
}

/**
 * Offline, deterministic extraction from keywords and patterns declared by each problem
 * type. It never guesses: an ambiguous or absent value is left out, so validation asks.
 */
export function createRulesProvider(catalog: Catalog): LlmProvider {
  return {
    name: 'rules',
    model: 'rules-v1',
    async extract({ texts }): Promise<ProviderAnswer> {
      const started = Date.now();
      const text = texts.join('\n');
      const lower = text.toLowerCase();
      const { type, issueCount } = detectIntent(catalog, lower);
      const entities: Record<string, unknown> = {};
      for (const [field, hint] of Object.entries(type?.fieldHints ?? {})) {
        const value = hint ? extractField(text, hint as FieldHint) : undefined;
        if (value !== undefined) entities[field] = value;
      }
      const candidate: Candidate = {
        type: type?.name ?? 'unknown',
        confidence: type ? 0.9 : 0,
        issueCount,
        entities,
      };
      return { candidate, rawText: JSON.stringify(candidate), usage: { model: 'rules-v1', calls: 0, promptTokens: 0, completionTokens: 0, latencyMs: Date.now() - started } };
    },
  };
}
