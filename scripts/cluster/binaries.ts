import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Paths of the Temporal server binaries built from the Go module proxy. */
export interface TemporalBinaries {
  server: string;
  sqlTool: string;
}

/**
 * Builds temporal-server and temporal-sql-tool at the pinned version once (build-temporal.sh
 * caches them outside the repository and links them into .tools/), or returns the cached ones.
 */
export function temporalBinaries(): TemporalBinaries {
  const dir = execFileSync(path.join(__dirname, 'build-temporal.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  return { server: path.join(dir, 'temporal-server'), sqlTool: path.join(dir, 'temporal-sql-tool') };
}
