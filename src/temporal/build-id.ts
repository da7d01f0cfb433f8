import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The code a build id stands for: the workflow code, the problem types' rules and the
 * activities (the `decide` local activity among them). A change anywhere here is a new build.
 */
export const BUILD_ID_SOURCES = ['workflows', 'src/domain', 'activities'] as const;

const CODE_FILE = /\.(ts|js|mjs|cjs)$/;
const NOT_CODE = /\.(test|spec)\.[a-z]+$|\.d\.ts$/;

function codeFiles(root: string, dir: string): string[] {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { withFileTypes: true }).flatMap((entry) => {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return codeFiles(root, rel);
    return entry.isFile() && CODE_FILE.test(entry.name) && !NOT_CODE.test(entry.name) ? [rel] : [];
  });
}

const cache = new Map<string, string>();

/**
 * A content hash of {@link BUILD_ID_SOURCES} under `root` (TypeScript sources in a checkout,
 * compiled JavaScript under dist/ in the image): `src-` and 12 hex digits. Restarting the same
 * code gives the same build id, so its pinned problems keep being served; any change to the
 * workflow, the rules or the activities gives a new one.
 */
export function sourceBuildId(root: string): string {
  const cached = cache.get(root);
  if (cached) return cached;
  const files = BUILD_ID_SOURCES.flatMap((dir) => codeFiles(root, dir)).sort();
  if (files.length === 0) throw new Error(`no workflow sources under ${root} to derive a build id from: set APP_VERSION`);
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update('\0').update(fs.readFileSync(path.join(root, file))).update('\0');
  const id = `src-${hash.digest('hex').slice(0, 12)}`;
  cache.set(root, id);
  return id;
}
