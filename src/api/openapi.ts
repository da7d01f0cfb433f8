import type { SwaggerOptions } from '@fastify/swagger';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Catalog } from '../domain/registry';

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** `billing_dispute` -> `BillingDisputeClaims`: the component name of a type's claims. */
export const claimsComponentId = (typeName: string): string =>
  `${typeName.split(/[^a-zA-Z0-9]+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}Claims`;

/** Every `$ref` target under `node`. */
function refsIn(node: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const item of node) refsIn(item, into);
  else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') into.add(value.replace('#/components/schemas/', ''));
      else refsIn(value, into);
    }
  }
  return into;
}

/**
 * The components the paths reach. The zod transform emits every named schema twice (an input
 * and an output variant); only the variant a route uses is part of the contract.
 */
function reachableSchemas(paths: unknown, schemas: JsonObject): Set<string> {
  const reached = refsIn(paths, new Set());
  for (let frontier = [...reached]; frontier.length > 0;) {
    const next = [...refsIn(frontier.map((id) => schemas[id]), new Set())].filter((id) => !reached.has(id));
    for (const id of next) reached.add(id);
    frontier = next;
  }
  return reached;
}

/**
 * The catalog's part of the contract, generated as the prompt's schema is: `ProblemTypeName` is
 * an enum of the registered types and `ProblemEntities` is one of their claims schemas (each its
 * own component). The API's runtime schemas stay open for these two, so a problem recorded under
 * an older claims schema still reads.
 */
function catalogSchemas(catalog: Catalog, target: 'openapi-3.0'): JsonObject {
  const claims = Object.fromEntries(catalog.types.map((t) => [
    claimsComponentId(t.name),
    { ...z.toJSONSchema(t.claims, { io: 'output', target, unrepresentable: 'any' }), description: `Claims of ${t.name}: ${t.description}` },
  ]));
  const names = catalog.types.map((t) => t.name);
  return {
    ProblemTypeName: { type: 'string', enum: names, description: 'A registered problem type' },
    ProblemTypeNameInput: { type: 'string', enum: names, description: 'A registered problem type' },
    ProblemEntities: { oneOf: names.map((n) => ref(claimsComponentId(n))), description: "The claims of the problem's type, as validated" },
    ...claims,
  };
}

/**
 * Responses every documented route may give whatever its handler does: 500 from the one error
 * handler, 429 from the rate limit on every route that needs a key, and 413 / 415 from the body
 * parsers on every route that takes a body.
 */
function addCommonResponses(paths: unknown): void {
  if (!isObject(paths)) return;
  const error = (description: string) => ({ description, content: { 'application/json': { schema: ref('Error') } } });
  for (const item of Object.values(paths)) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op) || !isObject(op.responses)) continue;
      if (Array.isArray(op.security) && op.security.length > 0) op.responses['429'] ??= error('Too many requests (rate_limited); see Retry-After');
      // Every route with a body: fastify's body limit and content-type parsers answer before the route does.
      if (op.requestBody !== undefined) {
        op.responses['413'] ??= error('Body over the size limit (body_too_large)');
        op.responses['415'] ??= error('Body of a content type other than JSON (unsupported_media_type)');
      }
      op.responses['500'] ??= error('Internal error (internal_error); no internals are shown');
    }
  }
}

/** `@fastify/swagger` options: the document generated from the routes' zod schemas and the catalog. */
export function openApiOptions(catalog: Catalog): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Problem workflows API', version: '1.0.0', description: 'Submit problems, follow their status, approve actions. Errors are {"error":{"code","message","details"}} (the Error schema).' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
    transformObject: (input) => {
      const document = jsonSchemaTransformObject(input);
      const schemas = 'openapi' in document ? document.components?.schemas : undefined;
      if (!schemas) return document;
      addCommonResponses(document.paths);
      Object.assign(schemas, catalogSchemas(catalog, 'openapi-3.0'));
      const reached = reachableSchemas(document.paths, schemas);
      for (const id of Object.keys(schemas)) if (!reached.has(id)) delete schemas[id];
      return document;
    },
  };
}
