import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { consolePlugin } from './console';

async function appWith(root: string): Promise<FastifyInstance> {
  const app = Fastify();
  app.get('/v1/ping', async () => ({ ok: true }));
  await app.register(consolePlugin, { root, temporalUiUrl: 'http://ui.example:8233', namespace: 'ns1', prefix: '/console' });
  await app.ready();
  return app;
}

describe('console plugin', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-plugin-'));
    fs.mkdirSync(path.join(dir, 'built', 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'built', 'index.html'), '<!doctype html><title>console</title>');
    fs.writeFileSync(path.join(dir, 'built', 'assets', 'index-Dvdke7Py.js'), 'console.log(1)');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('serves index.html for the root and client routes, revalidated, with a same-origin CSP', async () => {
    const app = await appWith(path.join(dir, 'built'));
    for (const url of ['/console', '/console/', '/console/problems/prb_01ABCDEFGHJK', '/console/approvals?x=1']) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("connect-src 'self'");
      expect(res.body).toContain('<title>console</title>');
    }
    await app.close();
  });

  it('caches hashed assets as immutable and answers 404 for a missing asset', async () => {
    const app = await appWith(path.join(dir, 'built'));
    const asset = await app.inject({ url: '/console/assets/index-Dvdke7Py.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const missing = await app.inject({ url: '/console/assets/index-missing0.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'route_not_found' } });
    const post = await app.inject({ method: 'POST', url: '/console/problems' });
    expect(post.statusCode).toBe(404);
    await app.close();
  });

  it('serves deployment settings for the Temporal Web UI link', async () => {
    const app = await appWith(path.join(dir, 'built'));
    const res = await app.inject({ url: '/console/config.json' });
    expect(res.json()).toEqual({ temporalUiUrl: 'http://ui.example:8233', namespace: 'ns1' });
    await app.close();
  });

  it('answers 503 with how to build it when the build is missing, and leaves the API alone', async () => {
    const app = await appWith(path.join(dir, 'not-built'));
    for (const url of ['/console', '/console/new']) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ error: { code: 'console_not_built' } });
      expect(res.json().error.message).toContain('npm run build:console');
      // Anonymous callers read it: no server path in it.
      expect(res.body).not.toContain(dir);
    }
    expect((await app.inject({ url: '/v1/ping' })).statusCode).toBe(200);
    await app.close();
  });
});
