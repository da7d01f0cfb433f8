import type * as Ed25519 from '@noble/curves/ed25519';
import { hexToBytes, utf8ToBytes } from '@noble/hashes/utils';
import canonicalize from 'canonicalize';

/**
 * Commands the API forwards to a problem workflow (its start, approvals, clarifications), signed
 * by the API so that identity is never taken from a payload: a command written straight to
 * Temporal (CLI, Web UI, another client) carries no valid signature and is refused: an update by
 * the workflow's validator, a start by the workflow's admission step before anything runs.
 *
 * Ed25519 rather than an HMAC: the workflow must verify inside its sandbox, so whatever key it
 * verifies with is visible to anyone who can read its history or the worker's bundle. With an
 * HMAC that key would also forge; with Ed25519 the workflow only ever holds public keys, and the
 * private keys stay in the API. Pure JavaScript (@noble/curves), deterministic: safe in workflows.
 */

/** What a command is for; part of the signed message so a signature cannot move between kinds. */
export type CommandKind = 'start' | 'approval' | 'clarification';

/** The API's signature over a command: key id (rotation), issue time (expiry), Ed25519 signature. */
export interface CommandSignature {
  keyId: string;
  issuedAt: string;
  /** Ed25519 signature of {@link commandMessage}, hex. */
  value: string;
}

/** A public key the workflow accepts signatures from. */
export interface CommandVerifyKey {
  id: string;
  /** Raw 32-byte Ed25519 public key, hex. */
  publicKey: string;
}

/** How old a signed command may be when the workflow sees it; a captured command expires. */
export const COMMAND_MAX_AGE_MS = 5 * 60_000;
/** Clock skew tolerated between the API and the workflow's time. */
export const COMMAND_MAX_SKEW_MS = 60_000;

/** Why a command's signature is refused; each is a stable update rejection type. */
export type SignatureRejection = 'command_unsigned' | 'command_signature_invalid' | 'command_expired';

/**
 * The exact bytes that are signed: RFC 8785 canonical JSON of the kind, the problem id, the key id,
 * the issue time and every field of the command. Any changed field breaks the signature. (An
 * approval or clarification names its workflow run among its fields, `runId`, rather than here:
 * workers of builds from before it verify such a command as they always did.)
 */
export function commandMessage(kind: CommandKind, problemId: string, fields: object, signature: Omit<CommandSignature, 'value'>): Uint8Array {
  const canonical = canonicalize({ kind, problemId, keyId: signature.keyId, issuedAt: signature.issuedAt, fields });
  if (canonical === undefined) throw new TypeError('command cannot be serialised canonically');
  return utf8ToBytes(canonical);
}

const HEX = /^[0-9a-f]+$/i;

/**
 * The Ed25519 implementation, loaded on the first verification: workflow code re-evaluates its
 * bundle's modules for every workflow it starts, and @noble/curves' set-up costs more than a
 * problem's own workflow code, for a module only an approval or a clarification needs.
 */
function ed25519(): typeof Ed25519.ed25519 {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('@noble/curves/ed25519') as typeof Ed25519).ed25519;
}

/** An Ed25519 verification: signature, message and raw public key (hex), each as given. */
export type Ed25519Verify = (signatureHex: string, message: Uint8Array, publicKeyHex: string) => boolean;

/** Pure JavaScript (@noble/curves): deterministic, what the workflow sandbox verifies with. */
const nobleVerify: Ed25519Verify = (signatureHex, message, publicKeyHex) => ed25519().verify(hexToBytes(signatureHex), message, hexToBytes(publicKeyHex));

/**
 * Verifies a command's signature for problem `problemId` against the accepted keys at `nowMs`
 * (workflow time). `verify` is @noble/curves' by default; an activity may pass node's.
 * Returns `null` when the command is authentic and fresh, else the rejection type.
 */
export function verifyCommand(
  kind: CommandKind,
  problemId: string,
  fields: object,
  signature: CommandSignature | undefined,
  keys: readonly CommandVerifyKey[],
  nowMs: number,
  verify: Ed25519Verify = nobleVerify,
): SignatureRejection | null {
  if (!signature || typeof signature.value !== 'string' || typeof signature.keyId !== 'string' || typeof signature.issuedAt !== 'string') return 'command_unsigned';
  const key = keys.find((k) => k.id === signature.keyId);
  if (!key || signature.value.length !== 128 || !HEX.test(signature.value)) return 'command_signature_invalid';
  let valid = false;
  try {
    valid = verify(signature.value, commandMessage(kind, problemId, fields, signature), key.publicKey);
  } catch {
    valid = false;
  }
  if (!valid) return 'command_signature_invalid';
  const issuedAt = Date.parse(signature.issuedAt);
  if (!Number.isFinite(issuedAt) || nowMs - issuedAt > COMMAND_MAX_AGE_MS || issuedAt - nowMs > COMMAND_MAX_SKEW_MS) return 'command_expired';
  return null;
}
