import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from './errors';

/** Bytes of HMAC-SHA256 kept in a cursor: 128 bits, enough that forging one is hopeless. */
const TAG_BYTES = 16;

const invalid = () => new ApiError(400, 'invalid_cursor', 'the cursor is not one returned by this route');

/** Seals and opens the opaque cursors of one route. */
export interface CursorSealer {
  seal(payload: Uint8Array): string;
  /** The payload of a cursor this sealer issued; 400 `invalid_cursor` for anything else. */
  open(cursor: string): Buffer;
}

/**
 * Cursors as `<payload>.<tag>` (base64url), the tag an HMAC-SHA256 of the route's `purpose` and
 * the payload under the server's CURSOR_SECRET. A cursor this API did not issue, or one issued
 * for another route, is refused before anything in it is used: a made-up Temporal page token can
 * stall visibility for the whole RPC deadline, and a made-up time overflowed `Date` (a 500).
 */
export function cursorSealer(secret: string, purpose: string): CursorSealer {
  const tag = (payload: Uint8Array) => createHmac('sha256', secret).update(`${purpose}\0`).update(payload).digest().subarray(0, TAG_BYTES);
  return {
    seal: (payload) => `${Buffer.from(payload).toString('base64url')}.${tag(payload).toString('base64url')}`,
    open(cursor) {
      const [encoded, check, extra] = cursor.split('.');
      if (extra !== undefined || !encoded || !check) throw invalid();
      const payload = Buffer.from(encoded, 'base64url');
      const given = Buffer.from(check, 'base64url');
      if (payload.length === 0 || given.length !== TAG_BYTES || !timingSafeEqual(given, tag(payload))) throw invalid();
      return payload;
    },
  };
}
