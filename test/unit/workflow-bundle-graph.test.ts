/**
 * What the workflow bundle evaluates for every workflow it starts. With the SDK's reusable V8
 * context each workflow gets its own module cache, so every module reached from
 * workflows/index.ts through a value import is evaluated again per workflow: its set-up costs
 * CPU on every problem and its objects stay in memory while the workflow is cached (issue 17).
 * Type-only imports are erased, a `require()` inside a function is evaluated when it is called
 * (the legacy rules, the Ed25519 verifier), and the modules the worker preloads are evaluated
 * once and shared (SHARED_WORKFLOW_MODULES), so none of them counts.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { SHARED_WORKFLOW_MODULES } from '../../src/temporal/worker';

const ROOT = path.resolve(__dirname, '../..');

/** Whether an import declaration survives compilation (not `import type`, not only `type` names). */
function isValueImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return true; // `import 'x'`: a side effect
  if (clause.isTypeOnly) return false;
  if (clause.name) return true;
  const bindings = clause.namedBindings;
  if (!bindings || ts.isNamespaceImport(bindings)) return true;
  return bindings.elements.some((e) => !e.isTypeOnly);
}

/** Module specifiers a file imports for their values, at load time. */
function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const specifiers: string[] = [];
  for (const node of source.statements) {
    if (ts.isImportDeclaration(node) && isValueImport(node)) specifiers.push((node.moduleSpecifier as ts.StringLiteral).text);
    if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      if (!named || named.some((e) => !e.isTypeOnly)) specifiers.push((node.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return specifiers;
}

function resolveLocal(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  const found = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
  if (!found) throw new Error(`cannot resolve ${specifier} from ${path.relative(ROOT, from)}`);
  return found;
}

const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/** Own modules and packages evaluated when the bundle's entry is, short of the `shared` ones. */
function evaluatedGraph(entry: string, shared: readonly string[] = []): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file) || shared.includes(file)) return;
    files.add(file);
    for (const specifier of valueImports(file)) {
      if (specifier.startsWith('.')) visit(resolveLocal(file, specifier));
      else packages.add(packageOf(specifier));
    }
  };
  visit(entry);
  return { files: [...files].map((f) => path.relative(ROOT, f)).sort(), packages: [...packages].sort() };
}

describe('the workflow bundle, as evaluated per workflow', () => {
  const entry = path.join(ROOT, 'workflows/index.ts');
  const graph = evaluatedGraph(entry, SHARED_WORKFLOW_MODULES);

  it('loads no package but the SDK: no schema library, no Ed25519 set-up, the digest shared', () => {
    expect(graph.packages).toEqual(['@temporalio/common', '@temporalio/workflow']);
    expect(evaluatedGraph(entry).packages).toEqual(['@noble/hashes', '@temporalio/common', '@temporalio/workflow', 'canonicalize']);
  });

  it('shares only modules that import nothing but pure packages', () => {
    for (const shared of SHARED_WORKFLOW_MODULES) {
      const { files, packages } = evaluatedGraph(shared);
      expect(files).toEqual([path.relative(ROOT, shared)]);
      expect(packages.every((p) => ['@noble/hashes', 'canonicalize'].includes(p))).toBe(true);
    }
  });

  it('loads no catalog, schema or rule module', () => {
    const forbidden = graph.files.filter((f) => /src\/domain\/(registry|money|plug-in|policy-simulation)\.ts$|src\/domain\/[^/]+\/(schema|decide|tools|index)\.ts$/.test(f));
    expect(forbidden).toEqual([]);
  });

  it('sees through type-only imports and follows value imports (the walker itself)', () => {
    expect(graph.files).toEqual(expect.arrayContaining(['workflows/problem-workflow.ts', 'workflows/policy-simulation-workflow.ts', 'src/domain/simulation-totals.ts']));
    expect(graph.files).not.toContain('src/api/schemas.ts');
  });
});
