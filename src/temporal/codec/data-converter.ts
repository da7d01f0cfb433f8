import type { DataConverter } from '@temporalio/common';
import type { EncryptionConfig } from '../../config';
import { EncryptionCodec } from './encryption-codec';

/** The encryption codec for a configuration, or undefined when encryption is off. */
export function createEncryptionCodec(encryption: EncryptionConfig | undefined): EncryptionCodec | undefined {
  return encryption ? new EncryptionCodec(encryption.keys, encryption.currentKeyId, { strict: encryption.strict }) : undefined;
}

/**
 * The data converter shared by the worker, the API's client and tests: JSON payloads, then the
 * encryption codec when it is configured. Every party that reads or writes a problem's payloads
 * must use the same keys, or it sees `binary/encrypted` payloads it cannot read.
 */
export function dataConverterFor(encryption: EncryptionConfig | undefined): DataConverter {
  const codec = createEncryptionCodec(encryption);
  return codec ? { payloadCodecs: [codec] } : {};
}
