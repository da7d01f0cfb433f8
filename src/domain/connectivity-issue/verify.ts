import { lookUpAccount } from '../account';
import { call, lookups } from '../plug-in';
import type { ConnectivityIssueClaims } from './schema';
import { lookUpOutages, runLineDiagnostics } from './tools';

/** The facts a connectivity issue is decided on: the account, outages where it is, the line's diagnostics. */
export const connectivityVerification = lookups((claims: ConnectivityIssueClaims) => ({
  account: call(lookUpAccount, { accountId: claims.accountId }, `Look up account ${claims.accountId}`),
  outages: call(lookUpOutages, { accountId: claims.accountId, service: claims.service, ...(claims.pincode ? { pincode: claims.pincode } : {}) }, `Look up ${claims.service} outages`),
  diagnostics: call(runLineDiagnostics, { accountId: claims.accountId }, 'Run remote line diagnostics'),
}));
