// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

/** Node built-ins and I/O libraries that must never reach the deterministic workflow sandbox. */
const forbiddenInWorkflows = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  'openai',
  'fastify',
  'pino',
  'better-sqlite3',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
];

/**
 * Imports forbidden in replayed code: Node built-ins, I/O libraries and I/O modules; the API's
 * contract (src/api/schemas) only for its types. `extraPaths` adds per-folder restrictions.
 */
const restrictedImports = (extraPaths) => [
  'error',
  {
    paths: [
      ...forbiddenInWorkflows.map((name) => ({
        name,
        message: 'Workflow and domain code is replayed in a deterministic sandbox: do I/O in activities/.',
      })),
      ...extraPaths,
    ],
    patterns: [
      { group: ['**/activities/**', '**/src/api/**', '!**/src/api/schemas', '**/src/llm/**', '**/src/systems/**'], message: 'Workflow code may not import I/O modules.' },
      { group: ['**/src/api/schemas'], allowTypeImports: true, message: 'Workflow and domain code imports only types from the API contract.' },
    ],
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', '.data/**', 'console/dist/**', 'coverage/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      // A variable assigned once after closures that read it were registered (workflow handlers) stays `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  { files: ['**/*.js', '**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' } } },
  {
    files: ['workflows/**/*.ts', 'src/domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrictedImports([]),
      'no-restricted-globals': ['error', { name: 'fetch', message: 'No network I/O in workflow code.' }, { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' }],
    },
  },
  {
    // The workflow bundle carries no zod: validation runs in activities, and workflow code reads
    // the contract's inferred types (erased at compile time).
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrictedImports([{ name: 'zod', allowTypeImports: true, message: 'Workflow code imports only types from zod (validation runs in activities).' }]),
    },
  },
);
