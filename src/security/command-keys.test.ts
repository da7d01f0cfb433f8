import { randomBytes } from 'node:crypto';
import { createCommandSigner, signingKeyFromSeed, verifyKeyOf } from './command-keys';
import { COMMAND_MAX_AGE_MS, COMMAND_MAX_SKEW_MS, commandMessage, verifyCommand } from '../domain/signed-command';

const key = signingKeyFromSeed('k1', randomBytes(32));
const other = signingKeyFromSeed('k2', randomBytes(32));
const issuedAt = new Date('2026-11-30T10:00:00Z');
const sign = createCommandSigner(key, () => issuedAt);
const keys = [verifyKeyOf(key)];
const now = issuedAt.getTime() + 1000;
const approval = { runId: 'run-1', principal: 'bob', roles: ['approver'], groups: ['billing-approvers'], employeeId: null, accounts: null, decision: 'approve', actionDigest: 'sha256:ab' };

/** Splits a signed command the way the workflow does: fields and signature. */
const split = <T extends { signature: unknown }>(command: T) => {
  const { signature, ...fields } = command;
  return { signature: signature as Parameters<typeof verifyCommand>[3], fields };
};

describe('signed commands: the API signs (node:crypto), the workflow verifies (pure JS)', () => {
  test('a command signed by the API for this problem and kind is accepted', () => {
    const { fields, signature } = split(sign('approval', 'prb_1', approval));
    expect(verifyCommand('approval', 'prb_1', fields, signature, keys, now)).toBeNull();
  });

  test.each([
    ['a changed principal', { principal: 'mallory' }],
    ['added roles', { roles: ['approver', 'admin'] }],
    ['another digest', { actionDigest: 'sha256:cd' }],
    ['a dropped employee id', { employeeId: 'EMP-501' }],
    ['a changed decision', { decision: 'reject' }],
    ['another run of the problem', { runId: 'run-2' }],
  ])('%s breaks the signature', (_, change) => {
    const { fields, signature } = split(sign('approval', 'prb_1', approval));
    expect(verifyCommand('approval', 'prb_1', { ...fields, ...change }, signature, keys, now)).toBe('command_signature_invalid');
  });

  test('a signature does not move to another problem or another kind of command', () => {
    const { fields, signature } = split(sign('approval', 'prb_1', approval));
    expect(verifyCommand('approval', 'prb_2', fields, signature, keys, now)).toBe('command_signature_invalid');
    expect(verifyCommand('clarification', 'prb_1', fields, signature, keys, now)).toBe('command_signature_invalid');
  });

  test('unsigned, unknown key, another key, malformed or re-dated signatures are refused', () => {
    const { fields, signature } = split(sign('approval', 'prb_1', approval));
    expect(verifyCommand('approval', 'prb_1', fields, undefined, keys, now)).toBe('command_unsigned');
    expect(verifyCommand('approval', 'prb_1', fields, { ...signature!, keyId: 'k2' }, keys, now)).toBe('command_signature_invalid');
    const forged = split(createCommandSigner(other, () => issuedAt)('approval', 'prb_1', approval));
    expect(verifyCommand('approval', 'prb_1', forged.fields, { ...forged.signature!, keyId: 'k1' }, keys, now)).toBe('command_signature_invalid');
    expect(verifyCommand('approval', 'prb_1', fields, { ...signature!, value: 'zz' }, keys, now)).toBe('command_signature_invalid');
    expect(verifyCommand('approval', 'prb_1', fields, { ...signature!, issuedAt: new Date(now).toISOString() }, keys, now)).toBe('command_signature_invalid');
  });

  test('a command expires: older than the maximum age, or from too far in the future', () => {
    const { fields, signature } = split(sign('approval', 'prb_1', approval));
    const at = issuedAt.getTime();
    expect(verifyCommand('approval', 'prb_1', fields, signature, keys, at + COMMAND_MAX_AGE_MS)).toBeNull();
    expect(verifyCommand('approval', 'prb_1', fields, signature, keys, at + COMMAND_MAX_AGE_MS + 1)).toBe('command_expired');
    expect(verifyCommand('approval', 'prb_1', fields, signature, keys, at - COMMAND_MAX_SKEW_MS - 1)).toBe('command_expired');
  });

  test('rotation: signatures of every accepted key verify; the key id picks the key', () => {
    const both = [verifyKeyOf(key), verifyKeyOf(other)];
    for (const k of [key, other]) {
      const { fields, signature } = split(createCommandSigner(k, () => issuedAt)('clarification', 'prb_1', { principal: 'alice', text: 'INV-2001', round: 1 }));
      expect(verifyCommand('clarification', 'prb_1', fields, signature, both, now)).toBeNull();
    }
  });
});

describe('the signed message is stable across builds', () => {
  test('kind, problem id, key id, issue time and fields, canonical: a worker pinned to an earlier build verifies commands that name their run', () => {
    const message = Buffer.from(commandMessage('approval', 'prb_1', { runId: 'run-1', principal: 'bob' }, { keyId: 'k1', issuedAt: '2026-11-30T10:00:00.000Z' })).toString('utf8');
    expect(message).toBe('{"fields":{"principal":"bob","runId":"run-1"},"issuedAt":"2026-11-30T10:00:00.000Z","keyId":"k1","kind":"approval","problemId":"prb_1"}');
  });
});
