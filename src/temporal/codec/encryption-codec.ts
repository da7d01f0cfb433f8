import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/** `encoding` metadata of a payload this codec encrypted. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata key naming the key a payload was encrypted with. */
export const KEY_ID_METADATA = 'encryption-key-id';
/** Metadata key naming the cipher, so a future cipher can be told apart. */
export const CIPHER_METADATA = 'encryption-cipher';
const CIPHER = 'AES-256-GCM';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** How a codec treats payloads that are not encrypted. */
export interface EncryptionCodecOptions {
  /**
   * Refuse plaintext payloads on decode (`PAYLOAD_ENCRYPTION_STRICT`). Without it a payload that
   * was never encrypted (e.g. `temporal workflow update execute --input '{...}'` from the CLI or a
   * Web UI form) passes through, so anyone who can reach the frontend can inject arguments.
   */
  strict?: boolean;
}

/** One data-encryption key: an id written into each payload, and 32 bytes of key material. */
export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/** Why a payload could not be decrypted; `code` is stable and used by the codec server. */
export type DecryptionFailure = 'payload_key_unknown' | 'payload_decryption_failed' | 'payload_malformed' | 'payload_not_encrypted';

/** Raised instead of returning garbage when an encrypted payload cannot be decrypted. */
export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
  constructor(readonly code: DecryptionFailure, message: string, readonly keyId: string | undefined) {
    super(message);
  }
}

const utf8 = (value: Uint8Array | null | undefined) => (value ? Buffer.from(value).toString('utf8') : undefined);

/**
 * AES-256-GCM payload codec with key rotation: payloads are encrypted with the current key and
 * carry its id in metadata; any configured key decrypts. The whole original payload (metadata and
 * data) is encrypted, so even its encoding is hidden. Unencrypted payloads pass through decode
 * unchanged (histories written before encryption was turned on stay readable) unless the codec
 * is strict, when they are refused with `payload_not_encrypted`.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly strict: boolean;

  /** @param keys every key that may have written a payload still in history; `currentKeyId` encrypts. */
  constructor(keys: readonly EncryptionKey[], readonly currentKeyId: string, options: EncryptionCodecOptions = {}) {
    this.strict = options.strict ?? false;
    for (const k of keys) if (k.key.length !== 32) throw new Error(`encryption key "${k.id}" must be 32 bytes, got ${k.key.length}`);
    this.keys = new Map(keys.map((k) => [k.id, k.key]));
    if (this.keys.size !== keys.length) throw new Error('encryption key ids must be unique');
    if (!this.keys.has(currentKeyId)) throw new Error(`current encryption key "${currentKeyId}" is not among the configured keys (${this.keyIds().join(', ')})`);
  }

  /** Ids of the keys this codec can decrypt with. */
  keyIds(): string[] {
    return [...this.keys.keys()];
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.encrypt(p));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.decrypt(p));
  }

  /** Encrypts one payload with the current key. */
  encrypt(payload: Payload): Payload {
    const key = this.keys.get(this.currentKeyId)!;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    // The key id is authenticated too: a payload relabelled with another key id fails to decrypt.
    cipher.setAAD(Buffer.from(this.currentKeyId, 'utf8'));
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: {
        encoding: Buffer.from(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: Buffer.from(this.currentKeyId),
        [CIPHER_METADATA]: Buffer.from(CIPHER),
      },
      data,
    };
  }

  /** Decrypts one payload; throws {@link PayloadDecryptionError} rather than return garbage. */
  decrypt(payload: Payload): Payload {
    if (utf8(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) {
      if (!this.strict) return payload;
      throw new PayloadDecryptionError('payload_not_encrypted', 'payload is not encrypted and PAYLOAD_ENCRYPTION_STRICT refuses plaintext payloads', undefined);
    }
    const keyId = utf8(payload.metadata?.[KEY_ID_METADATA]);
    if (!keyId) throw new PayloadDecryptionError('payload_malformed', `encrypted payload has no "${KEY_ID_METADATA}" metadata`, undefined);
    const key = this.keys.get(keyId);
    if (!key) {
      throw new PayloadDecryptionError('payload_key_unknown', `payload was encrypted with key "${keyId}", which is not configured (known keys: ${this.keyIds().join(', ')}); add it to PAYLOAD_ENCRYPTION_KEYS`, keyId);
    }
    const data = Buffer.from(payload.data ?? []);
    if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError('payload_malformed', `encrypted payload is too short (${data.length} bytes)`, keyId);
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(keyId, 'utf8'));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadDecryptionError('payload_decryption_failed', `payload cannot be decrypted with key "${keyId}": authentication failed (wrong key material for this id, or the payload was altered)`, keyId);
    }
    const decoded = temporal.api.common.v1.Payload.decode(plain);
    return { metadata: decoded.metadata, data: decoded.data };
  }
}
