import fs from 'node:fs';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import type { Config } from '../config';

/**
 * Connection settings shared by the API's client and the worker: plain gRPC for the dev
 * server; for a cluster or Temporal Cloud, TLS with any of an mTLS client certificate, a
 * server CA and a server name (SNI), and an API key, alone or together.
 */
export function connectionOptions(temporal: Config['temporal']): { address: string; tls: TLSConfig | false; apiKey?: string } {
  const { tls } = temporal;
  return {
    address: temporal.address,
    // Explicit false: the SDK would otherwise turn TLS on for an API key that TEMPORAL_TLS=false sends in the clear.
    tls: tls
      ? {
          ...(tls.clientCert ? { clientCertPair: { crt: fs.readFileSync(tls.clientCert.certPath), key: fs.readFileSync(tls.clientCert.keyPath) } } : {}),
          ...(tls.caPath ? { serverRootCACertificate: fs.readFileSync(tls.caPath) } : {}),
          ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
        }
      : false,
    ...(temporal.apiKey ? { apiKey: temporal.apiKey } : {}),
  };
}
