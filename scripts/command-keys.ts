/**
 * `npm run command-keys [-- <id>]`: a new command signing key pair, printed as the two
 * variables to set: COMMAND_SIGNING_KEYS for the API (secret), COMMAND_VERIFY_KEYS for workers.
 */
import { randomBytes } from 'node:crypto';
import { signingKeyFromSeed, verifyKeyOf } from '../src/security/command-keys';

const id = process.argv[2] ?? `c-${new Date().toISOString().slice(0, 10)}`;
const seed = randomBytes(32);
const publicKey = Buffer.from(verifyKeyOf(signingKeyFromSeed(id, seed)).publicKey, 'hex');
console.log(`COMMAND_SIGNING_KEYS='${JSON.stringify([{ id, privateKey: seed.toString('base64') }])}'`);
console.log(`COMMAND_VERIFY_KEYS='${JSON.stringify([{ id, publicKey: publicKey.toString('base64') }])}'`);
