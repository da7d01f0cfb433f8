import { createHash } from 'node:crypto';
import type { SystemsDb } from './db';

/** A stored or fresh response of a side-effecting request. */
export interface EffectResponse {
  status: number;
  body: unknown;
}

/** Raised by an effect to answer with an error status; stored like any response. */
export class EffectError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/**
 * Runs a side effect at most once per idempotency key, atomically with its ledger entry.
 * A repeated key with the same request replays the stored response; with another request it
 * is refused (422 `idempotency_key_reused`).
 */
export function runIdempotent(
  db: SystemsDb,
  key: string,
  request: unknown,
  effect: () => { status: number; body: unknown; ledger?: { kind: string; ref: string; payload: unknown } },
): EffectResponse {
  const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
  return db.transaction((): EffectResponse => {
    const stored = db.prepare('SELECT request_hash, status, response FROM idempotency WHERE key = ?').get(key) as
      | { request_hash: string; status: number; response: string }
      | undefined;
    if (stored) {
      if (stored.request_hash !== requestHash) {
        return { status: 422, body: { error: { code: 'idempotency_key_reused', message: 'this idempotency key was used for another request' } } };
      }
      return { status: stored.status, body: JSON.parse(stored.response) as unknown };
    }
    let result: { status: number; body: unknown; ledger?: { kind: string; ref: string; payload: unknown } };
    try {
      result = effect();
    } catch (err) {
      if (!(err instanceof EffectError)) throw err;
      result = { status: err.status, body: { error: { code: err.code, message: err.message } } };
    }
    const now = new Date().toISOString();
    db.prepare('INSERT INTO idempotency (key, request_hash, status, response, created_at) VALUES (?, ?, ?, ?, ?)').run(key, requestHash, result.status, JSON.stringify(result.body), now);
    if (result.ledger) {
      db.prepare('INSERT INTO ledger (kind, idempotency_key, ref, payload, at) VALUES (?, ?, ?, ?, ?)').run(result.ledger.kind, key, result.ledger.ref, JSON.stringify(result.ledger.payload), now);
    }
    return { status: result.status, body: result.body };
  }).immediate();
}
