import type { JsonSchema } from './json-schema';

/** Longest string a grammar lets the model write: ids and enum words are short, and a bound stops a runaway answer. */
export const GRAMMAR_MAX_STRING = 64;

/** Keywords the grammar compiler (node-llama-cpp's JSON-schema grammar) understands. */
const KEPT = new Set(['type', 'enum', 'const', 'properties', 'required', 'additionalProperties', 'items', 'minItems', 'maxItems', 'format', 'minLength', 'maxLength']);
/** String formats the grammar can enforce; a `date` field then cannot be written as "3 Nov". */
const GRAMMAR_FORMATS = new Set(['date', 'time', 'date-time']);

const isObject = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Turns the strict JSON schema the `openai` provider sends into the subset a local model's
 * grammar is compiled from: `anyOf` becomes `oneOf`; keywords a grammar cannot enforce
 * (`pattern`, `minimum`, descriptions) are dropped, since the validation boundary checks them
 * anyway; every free string gets a length bound. The grammar guarantees the answer parses and
 * has the right shape; what it cannot express still goes through zod and the repair turn.
 */
export function toGrammarSchema(schema: JsonSchema): JsonSchema {
  if ('anyOf' in schema || 'oneOf' in schema) {
    const options = (schema.anyOf ?? schema.oneOf) as JsonSchema[];
    return { oneOf: options.map(toGrammarSchema) };
  }
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!KEPT.has(key)) continue;
    if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, toGrammarSchema(sub as JsonSchema)]));
    } else if (key === 'items' && isObject(value)) {
      out.items = toGrammarSchema(value);
    } else if (key === 'format') {
      if (GRAMMAR_FORMATS.has(value as string)) out.format = value;
    } else {
      out[key] = value;
    }
  }
  if (out.format) {
    // A format string takes no length keywords in the grammar's schema subset.
    delete out.minLength;
    delete out.maxLength;
  } else if (out.type === 'string' && !out.enum) {
    out.maxLength = Math.min(typeof out.maxLength === 'number' ? out.maxLength : GRAMMAR_MAX_STRING, GRAMMAR_MAX_STRING);
  }
  return out;
}
