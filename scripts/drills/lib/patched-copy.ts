import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

/** The deploy drill's version 2: a new billing rule and a new workflow step, unversioned on purpose. */
export const V2_PATCH = path.join(ROOT, 'scripts/drills/deploy/v2.patch');

/**
 * A copy of this tree's code (tracked and untracked files as `git ls-files` lists them, so
 * uncommitted work is included) under `dir`, with `patch` applied and node_modules linked:
 * another version of the code, runnable with tsx and bundleable. Throws when the patch does
 * not apply (regenerate it against the current code).
 */
export function patchedCopy(dir: string, patch: string): string {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z', 'src', 'workflows', 'activities', 'scripts', 'package.json', 'tsconfig.json'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    if (!fs.existsSync(path.join(ROOT, file))) continue; // deleted in the working tree
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
  }
  execFileSync('git', ['apply', '--whitespace=nowarn', patch], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}
