import { lookUpAccount } from '../account';
import { call, lookups } from '../plug-in';
import type { ConnectivityIssueClaims } from './schema';
import { lookUpOutages, runLineDiagnostics } from './tools';

/**
 * The facts a connectivity issue is decided on: the account and the line's diagnostics, then
 * the outages where the customer is (the claimed pincode, or the account's on record), which
 * needs the account first. No account on record, nothing more to look up.
 */
export const connectivityVerification = lookups((claims: ConnectivityIssueClaims) => ({
  account: call(lookUpAccount, { accountId: claims.accountId }, `Look up account ${claims.accountId}`),
  diagnostics: call(runLineDiagnostics, { accountId: claims.accountId }, 'Run remote line diagnostics'),
})).then((claims, { account }) => (account.found
  ? { outages: call(lookUpOutages, { service: claims.service, pincode: claims.pincode ?? account.pincode }, `Look up ${claims.service} outages`) }
  : {}));
