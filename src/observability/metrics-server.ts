import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** A running metrics endpoint. */
export interface MetricsServer {
  /** e.g. `http://127.0.0.1:9465/metrics`. */
  url: string;
  close(): Promise<void>;
}

/**
 * A small HTTP endpoint serving `GET /metrics` from the given registries (the worker has no
 * HTTP server of its own). A registry that fails to render is left out, not a 500.
 */
export async function startMetricsServer(options: { host: string; port: number; registries: Registry[] }): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
      return;
    }
    void Promise.all(options.registries.map((r) => r.metrics().catch(() => ''))).then((parts) => {
      res.writeHead(200, { 'content-type': options.registries[0]?.contentType ?? 'text/plain' }).end(parts.filter(Boolean).join('\n'));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
