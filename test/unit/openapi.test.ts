import { claimsComponentId } from '../../src/api/openapi';
import { catalog, type Catalog } from '../../src/domain/registry';
import { publishedDocument } from '../../scripts/lib/openapi-document';
import { catalog as extendedCatalog } from '../fixtures/extra-problem-type/registry';

interface Operation { operationId?: string; security?: unknown[]; requestBody?: unknown; responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, { enum?: string[]; oneOf?: { $ref: string }[] }> } };

const documents = new Map<Catalog, Promise<Document>>();
const documentFor = (c: Catalog) => {
  if (!documents.has(c)) documents.set(c, publishedDocument(c) as Promise<unknown> as Promise<Document>);
  return documents.get(c)!;
};
const operations = (doc: Document) => Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })));

describe('the published OpenAPI document', () => {
  test('every route has a unique operationId', async () => {
    const ops = operations(await documentFor(catalog));
    expect(ops.length).toBeGreaterThanOrEqual(10);
    expect(ops.filter(({ op }) => !op.operationId).map((o) => o.route)).toEqual([]);
    expect(new Set(ops.map(({ op }) => op.operationId)).size).toBe(ops.length);
  });

  test('every route documents 500, every keyed route 429, every route with a body 413 and 415, and every error is the shared Error schema', async () => {
    const doc = await documentFor(catalog);
    expect(doc.components.schemas.Error).toBeDefined();
    for (const { route, op } of operations(doc)) {
      const expected = [...(op.security?.length ? ['429'] : []), ...(op.requestBody ? ['413', '415'] : []), '500'];
      expect([route, Object.keys(op.responses)]).toEqual([route, expect.arrayContaining(expected)]);
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) >= 400 && route !== 'GET /readyz') expect([route, status, response.content?.['application/json']?.schema?.$ref]).toEqual([route, status, '#/components/schemas/Error']);
      }
    }
  });

  test.each([['registered', catalog], ['extended by a fixture type', extendedCatalog]])('type and entities come from the %s catalog', async (_name, c) => {
    const { components } = await documentFor(c);
    const names = c.types.map((t) => t.name);
    expect(components.schemas.ProblemTypeName?.enum).toEqual(names);
    expect(components.schemas.ProblemEntities?.oneOf).toEqual(names.map((n) => ({ $ref: `#/components/schemas/${claimsComponentId(n)}` })));
    for (const t of c.types) expect(Object.keys((components.schemas[claimsComponentId(t.name)] as { properties: object }).properties).sort()).toEqual(Object.keys(t.claims.shape).sort());
  });
});
