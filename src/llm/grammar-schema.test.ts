import { catalog } from '../domain/registry';
import { GRAMMAR_MAX_STRING, toGrammarSchema } from './grammar-schema';
import { answerSchema, entitiesSchema, type JsonSchema } from './json-schema';

/** Every schema node with its path. */
function nodes(node: unknown, path = '$'): [string, JsonSchema][] {
  if (typeof node !== 'object' || node === null) return [];
  const children = Object.entries(node).flatMap(([k, v]) => (Array.isArray(v) ? v.flatMap((x, i) => nodes(x, `${path}.${k}[${i}]`)) : nodes(v, `${path}.${k}`)));
  return Array.isArray(node) ? children : [[path, node as JsonSchema], ...children];
}

describe('grammar schema from the strict answer schema', () => {
  const strict = answerSchema(catalog);
  const grammar = toGrammarSchema(strict);

  test('keeps the shape: the same objects, properties, required lists and enums', () => {
    expect(grammar.required).toEqual(strict.required);
    const props = grammar.properties as Record<string, JsonSchema>;
    expect(props.type!.enum).toEqual([...catalog.types.map((t) => t.name), 'unknown']);
    const options = (props.entities!.oneOf as JsonSchema[]).map((o) => Object.keys(o.properties as object));
    expect(options).toEqual([...catalog.types.map((t) => Object.keys(t.claims.shape)), []]);
    for (const [path, node] of nodes(grammar)) if (node.type === 'object') expect([path, node.additionalProperties]).toEqual([path, false]);
  });

  test('only keywords the grammar compiler understands survive (anyOf becomes oneOf; pattern, bounds and descriptions go)', () => {
    const allowed = new Set(['type', 'enum', 'const', 'oneOf', 'properties', 'required', 'additionalProperties', 'items', 'minItems', 'maxItems', 'format', 'minLength', 'maxLength']);
    for (const [path, node] of nodes(grammar)) {
      if (path.endsWith('.properties')) continue;
      for (const key of Object.keys(node)) expect([path, key, allowed.has(key)]).toEqual([path, key, true]);
    }
    expect(JSON.stringify(grammar)).not.toMatch(/"anyOf"|"pattern"|"minimum"|"exclusiveMinimum"|"description"/);
  });

  test('every free string is bounded, a date field keeps its date format, enums stay unbounded', () => {
    const connectivity = toGrammarSchema(entitiesSchema(catalog.get('connectivity_issue')!.claims, 'connectivity_issue'));
    const props = connectivity.properties as Record<string, { oneOf: JsonSchema[] }>;
    expect(props.since!.oneOf).toEqual([{ type: 'string', format: 'date' }, { type: 'null' }]);
    expect(props.pincode!.oneOf[0]).toEqual({ type: 'string', maxLength: GRAMMAR_MAX_STRING });
    expect(props.service!.oneOf[0]).toEqual({ type: 'string', enum: ['mobile', 'fiber'] });
    for (const [path, node] of nodes(grammar)) {
      if (node.type === 'string' && !node.enum && !node.format) expect([path, node.maxLength]).toEqual([path, GRAMMAR_MAX_STRING]);
    }
  });

  test('a tighter bound of the source schema is kept', () => {
    expect(toGrammarSchema({ type: 'string', maxLength: 8 })).toEqual({ type: 'string', maxLength: 8 });
    expect(toGrammarSchema({ type: 'string', maxLength: 500 })).toEqual({ type: 'string', maxLength: GRAMMAR_MAX_STRING });
  });
});
