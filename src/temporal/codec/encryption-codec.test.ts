import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { loadConfig } from '../../config';
import { createEncryptionCodec, dataConverterFor } from './data-converter';
import { CIPHER_METADATA, ENCRYPTED_ENCODING, EncryptionCodec, KEY_ID_METADATA, PayloadDecryptionError } from './encryption-codec';

const keyA = { id: 'A', key: randomBytes(32) };
const keyB = { id: 'B', key: randomBytes(32) };
const secret = { text: 'My account ACC-1001 was charged Rs 1500 for INV-2001', entities: { accountId: 'ACC-1001' } };
const toPayload = (value: unknown) => defaultPayloadConverter.toPayload(value);
const meta = (p: Payload, key: string) => Buffer.from(p.metadata?.[key] ?? []).toString('utf8');

async function decodeError(codec: EncryptionCodec, payload: Payload): Promise<PayloadDecryptionError> {
  const err = await codec.decode([payload]).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(PayloadDecryptionError);
  return err as PayloadDecryptionError;
}

describe('EncryptionCodec (AES-256-GCM with key ids)', () => {
  test('round-trips payloads; the ciphertext hides the data and its encoding and names the key', async () => {
    const codec = new EncryptionCodec([keyA], 'A');
    const [encrypted] = await codec.encode([toPayload(secret)]);
    expect(meta(encrypted!, 'encoding')).toBe(ENCRYPTED_ENCODING);
    expect(meta(encrypted!, KEY_ID_METADATA)).toBe('A');
    expect(meta(encrypted!, CIPHER_METADATA)).toBe('AES-256-GCM');
    const raw = Buffer.from(encrypted!.data!).toString('latin1');
    for (const clear of ['ACC-1001', 'INV-2001', 'json/plain', 'charged']) expect(raw).not.toContain(clear);
    const [decoded] = await codec.decode([encrypted!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(secret);
    expect(meta(decoded!, 'encoding')).toBe('json/plain');
  });

  test('each encryption uses a fresh IV: the same value never gives the same ciphertext', async () => {
    const codec = new EncryptionCodec([keyA], 'A');
    const [one, two] = await codec.encode([toPayload(secret), toPayload(secret)]);
    expect(Buffer.from(one!.data!).equals(Buffer.from(two!.data!))).toBe(false);
  });

  test('key rotation: written with A, still readable when B is current and A is kept', async () => {
    const [underA] = await new EncryptionCodec([keyA], 'A').encode([toPayload(secret)]);
    const rotated = new EncryptionCodec([keyA, keyB], 'B');
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([underA!]))[0]!)).toEqual(secret);
    const [underB] = await rotated.encode([toPayload(secret)]);
    expect(meta(underB!, KEY_ID_METADATA)).toBe('B');
  });

  test('a payload of a key that is not configured is a clear error naming the key', async () => {
    const [underB] = await new EncryptionCodec([keyB], 'B').encode([toPayload(secret)]);
    const err = await decodeError(new EncryptionCodec([keyA], 'A'), underB!);
    expect(err.code).toBe('payload_key_unknown');
    expect(err.keyId).toBe('B');
    expect(err.message).toMatch(/key "B", which is not configured \(known keys: A\)/);
  });

  test('wrong key material under the right id fails authentication instead of returning garbage', async () => {
    const [underA] = await new EncryptionCodec([keyA], 'A').encode([toPayload(secret)]);
    const err = await decodeError(new EncryptionCodec([{ id: 'A', key: randomBytes(32) }], 'A'), underA!);
    expect(err.code).toBe('payload_decryption_failed');
    expect(err.message).toMatch(/cannot be decrypted with key "A": authentication failed/);
  });

  test('a tampered ciphertext or a relabelled key id is rejected', async () => {
    const codec = new EncryptionCodec([keyA, { id: 'A2', key: keyA.key }], 'A');
    const [p] = await codec.encode([toPayload(secret)]);
    const flipped = Buffer.from(p!.data!);
    flipped[20] = flipped[20]! ^ 1;
    expect((await decodeError(codec, { ...p!, data: flipped })).code).toBe('payload_decryption_failed');
    const relabelled = { ...p!, metadata: { ...p!.metadata, [KEY_ID_METADATA]: Buffer.from('A2') } };
    expect((await decodeError(codec, relabelled)).code).toBe('payload_decryption_failed');
    expect((await decodeError(codec, { ...p!, data: Buffer.alloc(5) })).code).toBe('payload_malformed');
  });

  test('unencrypted payloads pass through decode (histories from before encryption stay readable)', async () => {
    const plain = toPayload(secret);
    expect(await new EncryptionCodec([keyA], 'A').decode([plain])).toEqual([plain]);
  });

  test('strict mode refuses plaintext payloads, e.g. an approval typed into the CLI, and still decrypts its own', async () => {
    const strict = new EncryptionCodec([keyA], 'A', { strict: true });
    const forged = toPayload({ principal: 'mallory', roles: ['approver', 'admin'], decision: 'approve' });
    const err = await decodeError(strict, forged);
    expect(err.code).toBe('payload_not_encrypted');
    // Any encoding that is not ours is plaintext: binary/null, json/protobuf, a missing encoding.
    for (const p of [toPayload(undefined), { metadata: {}, data: Buffer.from('{}') }, { data: Buffer.from('x') }]) {
      expect((await decodeError(strict, p)).code).toBe('payload_not_encrypted');
    }
    const [encrypted] = await strict.encode([toPayload(secret)]);
    expect(defaultPayloadConverter.fromPayload((await strict.decode([encrypted!]))[0]!)).toEqual(secret);
  });

  test('strict mode is what the data converter uses when PAYLOAD_ENCRYPTION_STRICT=true', async () => {
    const env = { PAYLOAD_ENCRYPTION_KEYS: JSON.stringify([{ id: 'A', key: keyA.key.toString('base64') }]) };
    const lenient = createEncryptionCodec(loadConfig(env).encryption)!;
    const strict = createEncryptionCodec(loadConfig({ ...env, PAYLOAD_ENCRYPTION_STRICT: 'true' }).encryption)!;
    const plain = toPayload(secret);
    expect(await lenient.decode([plain])).toEqual([plain]);
    expect((await decodeError(strict, plain)).code).toBe('payload_not_encrypted');
    const [codec] = (dataConverterFor(loadConfig({ ...env, PAYLOAD_ENCRYPTION_STRICT: 'true' }).encryption).payloadCodecs ?? []) as EncryptionCodec[];
    expect((await decodeError(codec!, plain)).code).toBe('payload_not_encrypted');
  });

  test('refuses bad key sets at construction', () => {
    expect(() => new EncryptionCodec([{ id: 'A', key: randomBytes(16) }], 'A')).toThrow(/32 bytes/);
    expect(() => new EncryptionCodec([keyA], 'B')).toThrow(/current encryption key "B" is not among/);
    expect(() => new EncryptionCodec([keyA, keyA], 'A')).toThrow(/unique/);
  });
});

describe('PAYLOAD_ENCRYPTION_* configuration', () => {
  const keys = (list: { id: string; key: string }[]) => JSON.stringify(list);
  const a = { id: 'A', key: keyA.key.toString('base64') };
  const b = { id: 'B', key: keyB.key.toString('base64') };

  test.each([
    ['off by default', {}, undefined],
    ['one key is the current key', { PAYLOAD_ENCRYPTION_KEYS: keys([a]) }, 'A'],
    ['the named key is current', { PAYLOAD_ENCRYPTION_KEYS: keys([a, b]), PAYLOAD_ENCRYPTION_KEY_ID: 'B' }, 'B'],
  ])('%s', (_name, env, current) => {
    expect(loadConfig(env).encryption?.currentKeyId).toBe(current);
  });

  test.each([
    ['a short key', { PAYLOAD_ENCRYPTION_KEYS: keys([{ id: 'A', key: 'c2hvcnQ=' }]) }, /base64 of 32 bytes/],
    ['two keys without a current id', { PAYLOAD_ENCRYPTION_KEYS: keys([a, b]) }, /PAYLOAD_ENCRYPTION_KEY_ID is required/],
    ['an unknown current id', { PAYLOAD_ENCRYPTION_KEYS: keys([a]), PAYLOAD_ENCRYPTION_KEY_ID: 'Z' }, /"Z" is not in PAYLOAD_ENCRYPTION_KEYS/],
    ['duplicate ids', { PAYLOAD_ENCRYPTION_KEYS: keys([a, a]) }, /unique/],
    ['a current id without keys', { PAYLOAD_ENCRYPTION_KEY_ID: 'A' }, /PAYLOAD_ENCRYPTION_KEYS is empty/],
    ['not JSON', { PAYLOAD_ENCRYPTION_KEYS: '[{' }, /valid JSON/],
    ['strict without keys', { PAYLOAD_ENCRYPTION_STRICT: 'true' }, /PAYLOAD_ENCRYPTION_STRICT=true needs PAYLOAD_ENCRYPTION_KEYS/],
    ['strict not a boolean', { PAYLOAD_ENCRYPTION_KEYS: keys([a]), PAYLOAD_ENCRYPTION_STRICT: 'yes' }, /PAYLOAD_ENCRYPTION_STRICT/],
  ])('refuses %s', (_name, env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
