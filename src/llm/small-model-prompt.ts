import type { z } from 'zod';
import type { Catalog } from '../domain/registry';
import type { ProblemType } from '../domain/types';
import { toGrammarSchema } from './grammar-schema';
import { entitiesSchema, type JsonSchema } from './json-schema';
import { MAX_USER_TEXT } from './prompt';

/**
 * Prompts shaped for small local models (a few hundred million parameters), which cannot follow
 * the one long system prompt that lists every type's schema: they answer in two short steps,
 * each a few-shot completion constrained by a grammar.
 *   1. classify: pick one label (a type, `unknown` or `several`) from an enum grammar;
 *   2. extract: fill the chosen type's own small schema, after examples of that type only.
 * Examples come from each type's `samples` (labelled once by the caller), never from the text
 * under test. Like the big prompt, these are derived from the catalog: a new type changes what
 * they contain, not their code.
 */

/** Label for a text that reports two or more problems. */
export const SEVERAL = 'several';
/** Label for a text that fits no registered type. */
export const UNKNOWN = 'unknown';

/** A sample text with the entities a reliable extractor found in it. */
export interface LabelledSample {
  text: string;
  entities: Record<string, unknown>;
}

/** A completion prompt and the grammar schema of its answer. */
export interface CompletionPrompt {
  prompt: string;
  schema: JsonSchema;
  maxTokens: number;
  /** Prompts with the same key share everything but the text under test. */
  cacheKey: string;
}

/** Text under test as one line: the model reads line breaks as the end of a message. */
export function asMessage(texts: string[]): string {
  return texts.map((t) => t.slice(0, MAX_USER_TEXT).replace(/\s+/g, ' ').trim()).join(' / ');
}

/** Messages that fit no type, to show the model that `unknown` is an answer. */
const UNKNOWN_EXAMPLES = ['Can you tell me a joke?', 'Thanks, that is all.'];

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** The classification prompt: every type's description, then labelled examples, then the text. */
export function classifyPrompt(catalog: Catalog, texts: string[]): CompletionPrompt {
  const labels = [...catalog.types.map((t) => t.name), UNKNOWN, SEVERAL];
  const examples: [string, string][] = [];
  // Interleaved by type, so the last example before the text is not always the same type.
  const depth = Math.max(...catalog.types.map((t) => t.samples.length));
  for (let i = 0; i < Math.min(depth, 2); i++) {
    for (const t of catalog.types) if (t.samples[i]) examples.push([t.samples[i]!, t.name]);
  }
  // `several` examples join the first samples of two different types.
  for (let i = 0; i + 1 < catalog.types.length && i < 2; i++) {
    const [a, b] = [catalog.types[i]!, catalog.types[i + 1]!];
    if (a.samples[0] && b.samples[0]) examples.push([`${a.samples[0]} Also, ${lowerFirst(b.samples[0])}`, SEVERAL]);
  }
  for (const text of UNKNOWN_EXAMPLES) examples.push([text, UNKNOWN]);
  const prompt = [
    'Sort each customer message into exactly one category.',
    ...catalog.types.map((t) => `- ${t.name}: ${t.description}`),
    `- ${UNKNOWN}: none of the above.`,
    `- ${SEVERAL}: two or more different problems in one message.`,
    '',
    ...examples.flatMap(([text, label]) => [`Message: ${text}`, `Category: ${JSON.stringify(label)}`, '']),
    `Message: ${asMessage(texts)}`,
    'Category:',
  ].join('\n');
  return { prompt, schema: { enum: labels }, maxTokens: 16, cacheKey: 'classify' };
}

/** The field list of a type, from the descriptions on its zod schema. */
function fieldLines(type: ProblemType): string[] {
  const shape = type.claims.shape as Record<string, z.ZodType>;
  return Object.entries(shape).map(([field, schema]) => `- ${field}: ${schema.description ?? field}`);
}

/** An example answer with every field present, null where the sample says nothing. */
const exampleAnswer = (type: ProblemType, entities: Record<string, unknown>) =>
  JSON.stringify(Object.fromEntries(Object.keys(type.claims.shape).map((f) => [f, entities[f] ?? null])));

/** Feedback for a repair turn: the previous answer and what the validation boundary said. */
export interface RepairHint {
  previousAnswer: string;
  errors: string[];
}

/** The extraction prompt of one type: its fields, its labelled samples, then the text. */
export function extractPrompt(type: ProblemType, samples: LabelledSample[], texts: string[], repair?: RepairHint): CompletionPrompt {
  const lines = [
    `Copy the details of this kind of problem from a customer message into JSON: ${type.description}`,
    'Fields:',
    ...fieldLines(type),
    'Copy ids, amounts and dates exactly as the message writes them. Use null for anything the message does not say: never copy a value from another message.',
    '',
    ...samples.flatMap((s) => [`Message: ${asMessage([s.text])}`, `JSON: ${exampleAnswer(type, s.entities)}`, '']),
    `Message: ${asMessage(texts)}`,
  ];
  if (repair) lines.push(`Rejected JSON: ${repair.previousAnswer}`, `Problems: ${repair.errors.join('; ')}`);
  lines.push('JSON:');
  const fields = Object.keys(type.claims.shape).length;
  return { prompt: lines.join('\n'), schema: toGrammarSchema(entitiesSchema(type.claims, type.name)), maxTokens: 40 + 30 * fields, cacheKey: `extract:${type.name}` };
}
