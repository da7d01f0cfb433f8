import { cursorSealer } from './cursor';

const secret = 'cursor-secret-0123456789-0123456789';

describe('cursor sealer (HMAC-SHA256 under CURSOR_SECRET, bound to its route)', () => {
  const sealer = cursorSealer(secret, 'approvals');
  const payload = Buffer.from(JSON.stringify({ t: 1764547200000, id: 'prb_01' }));

  test('opens what it sealed', () => {
    expect(sealer.open(sealer.seal(payload))).toEqual(payload);
  });

  test.each([
    ['another secret', cursorSealer('another-secret-0123456789-01234567', 'approvals').seal(payload)],
    ['another route', cursorSealer(secret, 'problems').seal(payload)],
    ['an altered payload', `${Buffer.from('{"t":9007199254740991,"id":"x"}').toString('base64url')}.${sealer.seal(payload).split('.')[1]}`],
    ['a truncated tag', sealer.seal(payload).slice(0, -2)],
    ['no tag', payload.toString('base64url')],
    ['an extra part', `${sealer.seal(payload)}.x`],
    ['an empty payload', `.${sealer.seal(payload).split('.')[1]}`],
    ['garbage', '%%%'],
  ])('refuses %s with 400 invalid_cursor', (_name, cursor) => {
    expect(() => sealer.open(cursor)).toThrow(expect.objectContaining({ status: 400, code: 'invalid_cursor' }));
  });
});
