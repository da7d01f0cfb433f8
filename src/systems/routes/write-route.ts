import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { SystemsDb } from '../db';
import { runIdempotent } from '../idempotency';

/** What a side effect returns: the response and the ledger entry recording it. */
export type EffectResult = ReturnType<Parameters<typeof runIdempotent>[3]>;

/** Answers with the demo systems' error shape. */
export const errorBody = (code: string, message: string) => ({ error: { code, message } });

/**
 * Registers a side-effecting POST route: an `Idempotency-Key` header is required, the body is
 * validated, and the effect runs at most once per key, atomically with its ledger entry
 * (throw `EffectError` inside `effect` to refuse with a 4xx).
 */
export function writeRoute<B extends z.ZodType, P extends Record<string, string> = Record<string, string>>(
  app: FastifyInstance,
  db: SystemsDb,
  url: string,
  body: B,
  effect: (input: z.infer<B>, params: P) => EffectResult,
): void {
  app.post<{ Params: P }>(url, async (req, reply) => {
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length === 0) return reply.code(400).send(errorBody('idempotency_key_required', 'Idempotency-Key header is required'));
    const parsed = body.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send(errorBody('invalid_body', parsed.error.message));
    const result = runIdempotent(db, key, { url: req.routeOptions.url, params: req.params, body: parsed.data }, () => effect(parsed.data, req.params as P));
    return reply.code(result.status).send(result.body);
  });
}

/** Today's date (UTC) as `YYYY-MM-DD`. */
export const today = (): string => new Date().toISOString().slice(0, 10);
