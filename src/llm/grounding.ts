/**
 * The grounding guard: a small model copies ids and amounts from its few-shot examples (or
 * invents them) into answers about other texts. Every id-like value (a string with a digit:
 * account, invoice, employee, plan ids, dates, pincodes) and every number an answer carries
 * must occur in the user's own text, or it is dropped before validation; the field is then
 * missing, so the problem asks instead of acting on a value nobody wrote.
 *
 * Matching forgives what people do to ids ("acc 1001", "ACC_1001", "inv#2001", "Rs 1,500")
 * but never matches inside a longer id ("ACC-100" is not in "ACC-1001").
 */

const escape = (s: string) => s.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&');

/** Thousands separators go, so "1,500" and "1,00,000" read as numbers. */
const withoutDigitGrouping = (text: string) => text.replace(/(?<=\d),(?=\d)/g, '');

/** An id as letter and digit runs, any few separators between runs, never inside a longer token. */
function idPattern(value: string): RegExp | undefined {
  const runs = value.match(/[\p{L}]+|\d+/gu);
  if (!runs) return undefined;
  const body = runs.map(escape).join('[^\\p{L}\\d]{0,3}');
  const first = /\d/.test(runs[0]![0]!) ? '\\d' : '[\\p{L}\\d]';
  const last = /\d/.test(runs.at(-1)!.at(-1)!) ? '\\d' : '\\p{L}';
  return new RegExp(`(?<!${first})${body}(?!${last})`, 'iu');
}

/** A number as written: its digits, optionally with trailing zero decimals, never part of a longer number. */
function numberPattern(value: number): RegExp {
  const [int, frac] = String(Math.abs(value)).split('.');
  const decimals = frac ? `\\.${frac}0*` : '(?:\\.0+)?';
  return new RegExp(`(?<!\\d|\\d\\.)${int}${decimals}(?![\\d]|\\.\\d*[1-9])`);
}

/** Whether one extracted value appears in the text (values without digits are not ids and always pass). */
export function isGrounded(value: unknown, text: string): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && numberPattern(value).test(withoutDigitGrouping(text));
  if (typeof value === 'string' && /\d/.test(value)) return idPattern(value)?.test(text) ?? false;
  return true;
}

/**
 * Whether a value is written in the text as such, not inferred: a string (any, not only ids)
 * occurs as a token, forgiving case and separators; a number occurs and is the only number the
 * text states (outside ids such as ACC-1001), since picking one of several is a guess.
 */
export function isLiteral(value: unknown, text: string): boolean {
  if (typeof value === 'number') return isGrounded(value, text) && new Set(numbersIn(text)).size === 1;
  if (typeof value === 'string') return idPattern(value)?.test(text) ?? false;
  return false;
}

/** Numbers a text states, not counting the digits of ids ("ACC-1001", "INV2001"). */
function numbersIn(text: string): number[] {
  return [...withoutDigitGrouping(text).matchAll(/(?<![\p{L}\d.-])\d+(?:\.\d+)?(?![\d\p{L}])/gu)].map((m) => Number(m[0]));
}

/** Entities with every ungrounded value removed, and the names of the fields that lost theirs. */
export function groundEntities(entities: Record<string, unknown>, texts: string[]): { entities: Record<string, unknown>; dropped: string[] } {
  const text = texts.join('\n');
  const kept: Record<string, unknown> = {};
  const dropped: string[] = [];
  for (const [field, value] of Object.entries(entities)) {
    if (value === null || value === undefined) continue;
    if (isGrounded(value, text)) kept[field] = value;
    else dropped.push(field);
  }
  return { entities: kept, dropped };
}
