import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import canonicalize from 'canonicalize';

/**
 * SHA-256 over the RFC 8785 canonical JSON of `value`, as `sha256:<hex>`.
 * Pure JavaScript, so workflow code can compute it deterministically.
 */
export function digestOf(value: unknown): string {
  const canonical = canonicalize(value);
  if (canonical === undefined) throw new TypeError('value cannot be serialised canonically');
  return `sha256:${bytesToHex(sha256(utf8ToBytes(canonical)))}`;
}
