import { z } from 'zod';
import type { Catalog } from '../domain/registry';

/** A JSON Schema node, as produced by `z.toJSONSchema`. */
export type JsonSchema = Record<string, unknown>;

/** Keywords strict structured outputs reject or that mean nothing to a model answer. */
const DROPPED_KEYWORDS = new Set(['$schema', 'default', 'minLength', 'maxLength', 'minProperties', 'maxProperties', 'uniqueItems']);

const isObject = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Allows `null` besides what `schema` allows (strict mode has no optional properties). */
const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });

/**
 * Rewrites a JSON schema into the subset OpenAI's strict structured outputs accept: every
 * object lists all its properties as required and forbids others; a property that was
 * optional becomes nullable; unsupported keywords are dropped. With `allNullable`, every
 * property of the top object may be null (the model answers null for what the text lacks).
 */
export function toStrictSchema(schema: JsonSchema, allNullable = false): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED_KEYWORDS.has(key)) continue;
    if (key === 'properties' && isObject(value)) {
      const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => {
          const strict = toStrictSchema(sub as JsonSchema);
          return [name, allNullable || !required.has(name) ? nullable(strict) : strict];
        }),
      );
    } else if ((key === 'anyOf' || key === 'oneOf' || key === 'allOf') && Array.isArray(value)) {
      out[key === 'oneOf' ? 'anyOf' : key] = value.map((s) => toStrictSchema(s as JsonSchema));
    } else if (key === 'items' && isObject(value)) {
      out.items = toStrictSchema(value);
    } else {
      out[key] = value;
    }
  }
  if (schema.type === 'object') {
    out.properties ??= {};
    out.required = Object.keys(out.properties as JsonSchema);
    out.additionalProperties = false;
  }
  return out;
}

/** The JSON schema of one type's entities, strict-compatible, every field nullable. */
export function entitiesSchema(claims: z.ZodObject, title: string): JsonSchema {
  const json = z.toJSONSchema(claims, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return { ...toStrictSchema(json, true), description: `entities of ${title}` };
}

/**
 * The answer schema sent to the model, generated from the catalog: an envelope with the type
 * name (an enum of registered types plus `unknown`), confidence, issue count, and entities
 * that are one of the registered types' claims objects (or empty for `unknown`). Strict
 * structured outputs need an object at the root, hence `anyOf` on `entities` rather than on
 * the whole answer; the validation boundary checks that entities match the named type.
 */
export function answerSchema(catalog: Catalog): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['type', 'confidence', 'issueCount', 'entities'],
    properties: {
      type: { type: 'string', enum: [...catalog.types.map((t) => t.name), 'unknown'], description: 'The problem type, or unknown when none fits' },
      confidence: { type: 'number', minimum: 0, maximum: 1, description: 'How sure you are of the type, 0 to 1' },
      issueCount: { type: 'integer', minimum: 0, maximum: 20, description: 'Number of distinct problems in the report' },
      entities: {
        anyOf: [
          ...catalog.types.map((t) => entitiesSchema(t.claims, t.name)),
          { type: 'object', properties: {}, required: [], additionalProperties: false, description: 'entities of unknown' },
        ],
      },
    },
  };
}
