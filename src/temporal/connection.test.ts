import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config';
import { connectionOptions } from './connection';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-'));
const file = (name: string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, `-----BEGIN ${name}-----`);
  return p;
};
const cert = file('cert.pem');
const key = file('key.pem');
const ca = file('ca.pem');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const optionsFor = (env: Record<string, string>) => connectionOptions(loadConfig({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', ...env }).temporal);

describe('Temporal connection options', () => {
  test('plain gRPC for the dev server', () => {
    expect(optionsFor({})).toEqual({ address: 'ns.acct.tmprl.cloud:7233', tls: false });
  });

  test('an API key turns TLS on with the system roots', () => {
    expect(optionsFor({ TEMPORAL_API_KEY: 'secret' })).toEqual({ address: 'ns.acct.tmprl.cloud:7233', tls: {}, apiKey: 'secret' });
  });

  test('mTLS and an API key together keep the client certificate', () => {
    const options = optionsFor({ TEMPORAL_API_KEY: 'secret', TEMPORAL_TLS_CERT_PATH: cert, TEMPORAL_TLS_KEY_PATH: key });
    expect(options.apiKey).toBe('secret');
    expect(options.tls && options.tls.clientCertPair?.crt.toString()).toBe('-----BEGIN cert.pem-----');
    expect(options.tls && options.tls.clientCertPair?.key.toString()).toBe('-----BEGIN key.pem-----');
  });

  test('a server CA and a server name (SNI) for a self-hosted cluster', () => {
    const options = optionsFor({ TEMPORAL_TLS_CA_PATH: ca, TEMPORAL_TLS_SERVER_NAME: 'frontend.temporal.internal' });
    expect(options.tls).toEqual({ serverRootCACertificate: Buffer.from('-----BEGIN ca.pem-----'), serverNameOverride: 'frontend.temporal.internal' });
  });

  test('TEMPORAL_TLS=false sends an API key without TLS (a local proxy), instead of the SDK turning TLS on', () => {
    expect(optionsFor({ TEMPORAL_API_KEY: 'secret', TEMPORAL_TLS: 'false' })).toEqual({ address: 'ns.acct.tmprl.cloud:7233', tls: false, apiKey: 'secret' });
  });

  test('a client certificate without its key is refused', () => {
    expect(() => optionsFor({ TEMPORAL_TLS_CERT_PATH: cert })).toThrow(ConfigError);
  });
});
