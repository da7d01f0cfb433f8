import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../config';
import { buildSystemsApp } from '../app';
import { openSystemsDb } from '../db';

const TOKEN = 'systems-admin-token-0001';
const apps: FastifyInstance[] = [];
function systems(adminToken?: string): FastifyInstance {
  const app = buildSystemsApp({ db: openSystemsDb(':memory:'), ...(adminToken ? { adminToken } : {}) });
  apps.push(app);
  return app;
}
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
});

describe('demo systems admin routes (/_admin: ledger and fault injection)', () => {
  test('are not served at all without SYSTEMS_ADMIN_TOKEN', async () => {
    const app = systems();
    for (const [method, url] of [['GET', '/_admin/ledger'], ['PUT', '/_admin/faults'], ['DELETE', '/_admin/faults']] as const) {
      expect((await app.inject({ method, url, payload: method === 'PUT' ? { errorRate: 1 } : undefined })).statusCode).toBe(404);
    }
  });

  test.each([
    ['no token', '127.0.0.1', undefined, 401],
    ['a wrong token', '127.0.0.1', 'systems-admin-token-0002', 401],
    ['the token from another host (claiming loopback in X-Forwarded-For)', '10.1.2.3', TOKEN, 403],
    ['the token on loopback', '127.0.0.1', TOKEN, 200],
    ['the token on IPv6 loopback', '::1', TOKEN, 200],
  ])('%s', async (_name, remoteAddress, token, status) => {
    const app = systems(TOKEN);
    const headers = { ...(token ? { authorization: `Bearer ${token}` } : {}), 'x-forwarded-for': '127.0.0.1' };
    const res = await app.inject({ method: 'PUT', url: '/_admin/faults', remoteAddress, headers, payload: { errorRate: 1 } });
    expect(res.statusCode).toBe(status);
    // A refused call changes nothing: business routes still answer.
    if (status !== 200) expect((await app.inject({ method: 'GET', url: '/crm/accounts/ACC-1001', remoteAddress: '127.0.0.1' })).statusCode).toBe(200);
  });

  test('SYSTEMS_ADMIN_TOKEN is read from the environment and must be long enough', () => {
    expect(loadConfig({ SYSTEMS_ADMIN_TOKEN: TOKEN }).systems.adminToken).toBe(TOKEN);
    expect(() => loadConfig({ SYSTEMS_ADMIN_TOKEN: 'short' })).toThrow(/SYSTEMS_ADMIN_TOKEN must be at least 16/);
  });
});
