import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { ApiKeyEntry } from '../../config';
import { ApiError } from '../errors';

/** The authenticated caller. */
export interface Principal {
  principal: string;
  roles: string[];
  groups: string[];
  /** Accounts this principal may act for; `null` = every account (support staff). */
  accounts: string[] | null;
  /** The person behind the key, when known (beneficiary rule). */
  employeeId: string | null;
}

/** A role of the contract. */
export type Role = 'submitter' | 'approver' | 'admin';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** A preHandler that requires a valid key holding at least one of `roles`. */
    requireRole(...roles: Role[]): preHandlerAsyncHookHandler;
  }
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/**
 * Bearer API keys. Keys are compared as SHA-256 digests with `timingSafeEqual`, against every
 * entry, so timing does not reveal which key (or how much of one) matched.
 */
export const authPlugin = fp(async (app: FastifyInstance, opts: { keys: ApiKeyEntry[] }) => {
  const entries = opts.keys.map((k) => ({ digest: sha256(k.key), principal: { principal: k.principal, roles: [...k.roles], groups: [...k.groups], accounts: k.accounts ? [...k.accounts] : null, employeeId: k.employeeId ?? null } }));

  const authenticate = (req: FastifyRequest): Principal | null => {
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) return null;
    const digest = sha256(match[1]!);
    let found: Principal | null = null;
    for (const entry of entries) if (timingSafeEqual(entry.digest, digest)) found = entry.principal;
    return found;
  };

  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req) => {
    req.principal = authenticate(req);
  });
  // Every /v1 route needs a key: refuse before validation, so callers without a valid key learn
  // nothing about request shapes (400s). Runs after rate limiting, which counts them by IP.
  app.addHook('preValidation', async (req) => {
    if (!req.principal && req.url.startsWith('/v1/')) throw new ApiError(401, 'unauthorized', 'a valid API key is required: Authorization: Bearer <key>');
  });
  app.decorate('requireRole', (...roles: Role[]): preHandlerAsyncHookHandler => async (req) => {
    if (!req.principal) throw new ApiError(401, 'unauthorized', 'a valid API key is required: Authorization: Bearer <key>');
    if (!roles.some((r) => req.principal!.roles.includes(r))) throw new ApiError(403, 'forbidden', `this route needs one of the roles: ${roles.join(', ')}`);
  });
}, { name: 'auth' });
