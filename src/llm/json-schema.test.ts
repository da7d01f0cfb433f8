import { z } from 'zod';
import { catalog, createCatalog } from '../domain/registry';
import type { ProblemType } from '../domain/types';
import { answerSchema, toStrictSchema, type JsonSchema } from './json-schema';
import { buildExtractionPrompt } from './prompt';

/** Every object node of a schema, with its path. */
function objects(node: unknown, path = '$'): [string, JsonSchema][] {
  if (typeof node !== 'object' || node === null) return [];
  const own: [string, JsonSchema][] = (node as JsonSchema).type === 'object' ? [[path, node as JsonSchema]] : [];
  return [...own, ...Object.entries(node).flatMap(([k, v]) => (Array.isArray(v) ? v.flatMap((x, i) => objects(x, `${path}.${k}[${i}]`)) : objects(v, `${path}.${k}`)))];
}

describe('strict answer schema generated from the registry', () => {
  const schema = answerSchema(catalog);

  test('every object requires all its properties and forbids others (OpenAI strict mode)', () => {
    const nodes = objects(schema);
    expect(nodes.length).toBeGreaterThan(catalog.types.length);
    for (const [path, node] of nodes) {
      expect([path, node.additionalProperties]).toEqual([path, false]);
      expect([path, [...(node.required as string[])].sort()]).toEqual([path, Object.keys(node.properties as object).sort()]);
    }
  });

  test('no keyword strict mode rejects survives ($schema, default, minLength...)', () => {
    const text = JSON.stringify(schema);
    for (const k of ['"$schema"', '"default"', '"minLength"', '"maxLength"']) expect(text).not.toContain(k);
  });

  test('the type enum lists every registered type plus unknown; entities offer one object per type', () => {
    const props = schema.properties as Record<string, JsonSchema>;
    expect(props.type!.enum).toEqual([...catalog.types.map((t) => t.name), 'unknown']);
    const branches = (props.entities!.anyOf as JsonSchema[]).map((b) => b.description);
    expect(branches).toEqual([...catalog.types.map((t) => `entities of ${t.name}`), 'entities of unknown']);
  });

  test('entity fields are nullable (the model answers null when the text lacks a value) and keep enums and descriptions', () => {
    const billing = ((schema.properties as Record<string, JsonSchema>).entities!.anyOf as JsonSchema[])[0]!;
    const reason = (billing.properties as Record<string, JsonSchema>).reason!;
    expect(reason.anyOf).toEqual([
      { description: 'Why the customer disputes the charge', type: 'string', enum: ['duplicate_charge', 'overcharge', 'service_not_received', 'other'] },
      { type: 'null' },
    ]);
  });

  test('optional properties of nested objects become nullable, required ones stay as they are', () => {
    const strict = toStrictSchema(z.toJSONSchema(z.object({ a: z.string(), b: z.object({ c: z.number().optional() }).optional() })) as JsonSchema);
    expect(strict).toEqual({
      type: 'object',
      additionalProperties: false,
      required: ['a', 'b'],
      properties: {
        a: { type: 'string' },
        b: { anyOf: [{ type: 'object', additionalProperties: false, required: ['c'], properties: { c: { anyOf: [{ type: 'number' }, { type: 'null' }] } } }, { type: 'null' }] },
      },
    });
  });

  test('a new type changes the schema and the type list, never the instruction text', () => {
    const extra: ProblemType = {
      ...catalog.types[0]!,
      name: 'parking_fine',
      description: 'A driver contests a parking fine.',
      claims: z.object({ fineId: z.string().regex(/^PF-\d+$/).describe('Fine id, e.g. PF-77') }),
      tools: [],
    };
    const base = buildExtractionPrompt(catalog);
    const extended = buildExtractionPrompt(createCatalog([...catalog.types, extra]));
    const instructions = (p: { system: string }) => p.system.slice(0, p.system.indexOf('Problem types:'));
    expect(instructions(extended)).toBe(instructions(base));
    expect(extended.system).toContain('Fine id, e.g. PF-77');
    expect(JSON.stringify(extended.jsonSchema)).toContain('entities of parking_fine');
  });
});
