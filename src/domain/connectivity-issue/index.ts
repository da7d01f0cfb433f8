import { lookUpAccount, notifyCustomer } from '../account';
import { defineProblemType } from '../plug-in';
import { decideConnectivityIssue } from './decide';
import { connectivityIssueClaims, connectivityPolicySchema, defaultConnectivityPolicy } from './schema';
import { bookTechnicianVisit, linkOutageTicket, lookUpOutages, resetLine, runLineDiagnostics } from './tools';
import { connectivityVerification } from './verify';

/** A customer's mobile or fiber service is down, slow or dropping. */
export const connectivityIssue = defineProblemType({
  name: 'connectivity_issue',
  description: 'A customer has no or poor connectivity on their mobile or fiber service (no internet, no signal, line down, slow, dropping).',
  intentKeywords: [
    'no internet', 'internet (is )?(down|not working|slow)', 'not working', 'no (signal|network|service|connection)', '\\bdown\\b',
    'outage', 'connectivity', 'disconnect', 'keeps dropping', 'call drops?', 'slow (speed|internet|connection)', 'cannot connect', "can'?t connect", "(cannot|can'?t|unable to) (access|use|reach) (the )?internet",
  ],
  fieldHints: {
    accountId: { kind: 'id', prefix: 'ACC' },
    service: {
      kind: 'enum',
      synonyms: {
        mobile: ['mobile', 'phone', 'sim', '4g', '5g', 'cellular', 'call drop'],
        fiber: ['fiber', 'fibre', 'broadband', 'wifi', 'wi-fi', 'router', 'internet'],
      },
    },
    pincode: { kind: 'pincode' },
    since: { kind: 'date' },
  },
  claims: connectivityIssueClaims,
  policy: connectivityPolicySchema,
  defaultPolicy: defaultConnectivityPolicy,
  // Diagnostics is read-only, so it runs with the other lookups; decide() uses it only without an outage.
  verify: connectivityVerification,
  decide: decideConnectivityIssue,
  tools: [lookUpAccount, lookUpOutages, runLineDiagnostics, linkOutageTicket, resetLine, bookTechnicianVisit, notifyCustomer],
  samples: [
    'My fiber internet has been down since 2026-11-20, account ACC-1001, pincode 400001.',
    'No internet on my mobile since yesterday. Account ACC-1002.',
    'Fiber broadband keeps dropping, account ACC-1004',
    'My internet is not working',
  ],
});
