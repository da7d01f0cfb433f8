import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Keys that hold operator text (error messages, stack traces) rather than reason codes. */
const INTERNAL_KEYS = new Set(['detail', 'message', 'stack', 'cause']);

/** A copy of `value` without internal-text keys, at any depth. */
function withoutInternalText(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutInternalText);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !INTERNAL_KEYS.has(k)).map(([k, v]) => [k, withoutInternalText(v)]));
}

/**
 * API responses carry outcomes and reason codes, never internal text: a problem's `outcome` (built
 * by the workflow from activity failures, whose messages can hold URLs, hosts or stack lines) leaves
 * the API without `detail`/`message`/`stack`/`cause`, whichever route returns the problem.
 */
export const outcomeGuardPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('preSerialization', async (_req, _reply, payload: unknown) => {
    if (payload === null || typeof payload !== 'object' || !('outcome' in payload)) return payload;
    const { outcome } = payload as { outcome: unknown };
    return outcome === null || typeof outcome !== 'object' ? payload : { ...payload, outcome: withoutInternalText(outcome) };
  });
}, { name: 'outcome-guard' });
