/**
 * What the workflow bundle evaluates for every workflow it starts. With the SDK's reusable V8
 * context each workflow gets its own module cache, so a module evaluated per workflow costs CPU on
 * every problem and its objects stay in memory while the workflow is cached (issue 17). The worker
 * preloads the whole graph reached from workflows/index.ts through value imports
 * (SHARED_WORKFLOW_MODULES): evaluated once, shared by every workflow, exports deep-frozen by the
 * SDK. That is only sound for modules that hold no state of their own, which these tests check;
 * type-only imports are erased, and a `require()` inside a function (the legacy rules' catalog, the
 * Ed25519 verifier) is evaluated per workflow when it is called.
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

/**
 * Module-level state in `file`: what a module shared by every workflow must not hold. Bindings that
 * can change (`let`, `var`), objects that are not deep-frozen (`new`, a literal not exported), regular
 * expressions that keep a position (`g`, `y`), and statements run for their side effects.
 */
function moduleState(file: string, text = fs.readFileSync(file, 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const at = (node: ts.Node, what: string) => found.push(`${path.relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${what}`);
  const hasModifier = (node: ts.Node, kind: ts.SyntaxKind) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
  /** Looks through an initialiser, not into the functions it defines (their state is per call). */
  const scan = (node: ts.Node): void => {
    if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return;
    if (ts.isNewExpression(node)) at(node, `new ${node.expression.getText(source)}`);
    if (ts.isRegularExpressionLiteral(node) && /\/[a-z]*[gy][a-z]*$/.test(node.text)) at(node, `stateful regular expression ${node.text}`);
    node.forEachChild(scan);
  };
  /** The value a binding holds, through `as`, `satisfies` and parentheses. */
  const valueOf = (node: ts.Expression): ts.Expression => (ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isParenthesizedExpression(node) ? valueOf(node.expression) : node);
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement)) {
      if (!(statement.declarationList.flags & ts.NodeFlags.Const)) at(statement, 'let/var binding');
      for (const declaration of statement.declarationList.declarations) {
        if (!declaration.initializer) continue;
        scan(declaration.initializer);
        const value = valueOf(declaration.initializer);
        if (!hasModifier(statement, ts.SyntaxKind.ExportKeyword) && (ts.isObjectLiteralExpression(value) || ts.isArrayLiteralExpression(value))) at(value, 'mutable literal, not exported (not frozen)');
      }
    } else if (ts.isClassDeclaration(statement)) {
      for (const member of statement.members) {
        if (ts.isPropertyDeclaration(member) && hasModifier(member, ts.SyntaxKind.StaticKeyword)) at(member, 'static class property');
      }
    } else if (ts.isExpressionStatement(statement)) {
      at(statement, 'statement run at load time');
    }
  }
  return found;
}

describe('the workflow bundle, as evaluated per workflow', () => {
  const entry = path.join(ROOT, 'workflows/index.ts');
  const shared = evaluatedGraph(entry);

  it('evaluates its whole graph once per worker: the workflows are preloaded and shared', () => {
    expect(SHARED_WORKFLOW_MODULES).toEqual([entry]);
    expect(evaluatedGraph(entry, SHARED_WORKFLOW_MODULES).files).toEqual([]);
  });

  it('loads no package but the SDK and two pure ones: no schema library, no Ed25519 set-up', () => {
    expect(shared.packages).toEqual(['@noble/hashes', '@temporalio/common', '@temporalio/workflow', 'canonicalize']);
  });

  it('shares only modules without state of their own', () => {
    expect(shared.files.flatMap((f) => moduleState(path.join(ROOT, f)))).toEqual([]);
  });

  it('finds module state where there is some (the check itself)', () => {
    const text = [
      'let count = 0;',
      'const seen = new Map<string, number>();',
      'const options = { retries: 3 };',
      'const cursor = /x/g;',
      'export const frozen = { retries: 3 };',
      'const pure = (n: number) => ({ n, at: new Date(n) });',
      'const account = /^ACC-\\d+$/i;',
      'class Counter { static n = 0; }',
      'setUp();',
    ].join('\n');
    const found = moduleState(path.join(ROOT, 'workflows/example.ts'), text).map((f) => f.replace(/^workflows\/example\.ts:/, ''));
    expect(found).toEqual([
      '1 let/var binding',
      '2 new Map',
      '3 mutable literal, not exported (not frozen)',
      '4 stateful regular expression /x/g',
      '8 static class property',
      '9 statement run at load time',
    ]);
  });

  it('loads no catalog, schema or rule module', () => {
    const forbidden = shared.files.filter((f) => /src\/domain\/(registry|money|plug-in|policy-simulation)\.ts$|src\/domain\/[^/]+\/(schema|decide|tools|index)\.ts$/.test(f));
    expect(forbidden).toEqual([]);
  });

  it('sees through type-only imports and follows value imports (the walker itself)', () => {
    expect(shared.files).toEqual(expect.arrayContaining(['workflows/problem-workflow.ts', 'workflows/policy-simulation-workflow.ts', 'src/domain/simulation-totals.ts', 'src/domain/digest.ts']));
    expect(shared.files).not.toContain('src/api/schemas.ts');
  });
});
