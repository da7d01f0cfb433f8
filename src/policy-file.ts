import fs from 'node:fs';
import type { Config } from './config';
import { resolvePolicy, type PolicyFile, type ResolvedPolicy } from './domain/policy';
import { catalog as defaultCatalog, type Catalog } from './domain/registry';

/**
 * The policy in force: `POLICY_FILE` resolved against the catalog (type defaults without a file).
 * The worker decides with it and the API shows it (`GET /v1/policy`); both read it here.
 */
export function policyFromConfig(config: Pick<Config, 'policyFile'>, catalog: Catalog = defaultCatalog): ResolvedPolicy {
  const policyFile = config.policyFile ? (JSON.parse(fs.readFileSync(config.policyFile, 'utf8')) as PolicyFile) : undefined;
  return resolvePolicy(catalog, policyFile);
}
