import fs from 'node:fs';
import type { Config } from '../config';

/**
 * Connection settings shared by the API's client and the worker: plain gRPC for the dev
 * server, mTLS or an API key for a cluster or Temporal Cloud.
 */
export function connectionOptions(temporal: Config['temporal']) {
  return {
    address: temporal.address,
    ...(temporal.tls
      ? { tls: { clientCertPair: { crt: fs.readFileSync(temporal.tls.certPath), key: fs.readFileSync(temporal.tls.keyPath) } } as const }
      : {}),
    ...(temporal.apiKey ? { apiKey: temporal.apiKey, tls: true as const } : {}),
  };
}
