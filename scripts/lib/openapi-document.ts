import { Client, Connection } from '@temporalio/client';
import { buildApp } from '../../src/api/app';
import { createPolicyService } from '../../src/api/policy-service';
import { createProblemService } from '../../src/api/problem-service';
import { createAuditService } from '../../src/audit/audit-service';
import { DEV_API_KEYS, loadConfig } from '../../src/config';
import { resolvePolicy } from '../../src/domain/policy';
import { catalog as registeredCatalog, type Catalog } from '../../src/domain/registry';
import { createCommandSigner } from '../../src/security/command-keys';

/**
 * The OpenAPI document the API serves at `/openapi.json`, built without Temporal: the client's
 * connection is lazy and no route is called.
 */
export async function publishedDocument(catalog: Catalog = registeredCatalog): Promise<Record<string, unknown>> {
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const signCommand = createCommandSigner(loadConfig({ NODE_ENV: 'test' }).commandSigning.signingKey!);
  const service = createProblemService({ client, taskQueue: 'unused', namespace: 'default', signCommand });
  const policy = createPolicyService({ client, catalog, policy: resolvePolicy(catalog), taskQueue: 'unused' });
  const app = await buildApp({ apiKeys: DEV_API_KEYS, service, audit: createAuditService({ client, catalog }), policy, logger: false, catalog });
  try {
    await app.ready();
    return JSON.parse(JSON.stringify(app.swagger())) as Record<string, unknown>;
  } finally {
    await app.close();
  }
}
