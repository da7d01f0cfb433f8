import { notifyCustomer } from '../account';
import { step, type Decide } from '../plug-in';
import type { ActionStep, Decision } from '../types';
import type { ConnectivityPolicy } from './schema';
import { bookTechnicianVisit, linkOutageTicket, resetLine } from './tools';
import type { connectivityVerification } from './verify';

const reject = (reasonCode: string, ruleId: string): Decision => ({ kind: 'reject', action: 'reject', reasonCode, ruleId });

type Template = 'outage_linked' | 'line_reset' | 'technician_booked';

/**
 * Decides a connectivity issue from the account, outages and line diagnostics on record.
 * Order matters: an account that may not be served is refused before any network action,
 * and a known outage wins over line diagnostics (a reset cannot fix a cut cable).
 */
export const decideConnectivityIssue: Decide<typeof connectivityVerification, ConnectivityPolicy> = ({ claims, facts }, policy) => {
  const { account, outages, diagnostics } = facts;
  if (!account.found) return reject('account_not_found', 'CI-01');
  if (account.status !== 'active') return reject('account_not_active', 'CI-02');
  if (account.service !== claims.service) return reject('service_not_on_account', 'CI-03');
  // A fiber line is fixed at the address on record; a mobile customer may be anywhere.
  if (claims.service === 'fiber' && claims.pincode !== undefined && claims.pincode !== account.pincode) return reject('location_mismatch', 'CI-04');

  const notify = (template: Template, ref: string): ActionStep[] =>
    policy.notifyCustomer ? [step(notifyCustomer, { id: 'notify', input: { accountId: account.accountId, template, ref }, summary: `Notify customer: ${template}` })] : [];

  // Outages are looked up once the account is on record, which it is from here on.
  const outage = outages?.items.find((o) => o.service === claims.service && o.status === 'active');
  if (outage) {
    return {
      kind: 'execute',
      action: 'link_outage',
      reasonCode: 'known_outage',
      ruleId: 'CI-10',
      steps: [
        step(linkOutageTicket, { id: 'link-outage', input: { outageId: outage.outageId, accountId: account.accountId }, summary: `Link to outage ${outage.outageId}` }),
        ...notify('outage_linked', outage.outageId),
      ],
    };
  }

  if (!diagnostics.found) return reject('line_not_found', 'CI-05');
  const remotelyFixable = policy.remoteResetFaults.includes(diagnostics.faultCode);
  if (remotelyFixable && diagnostics.recentResets < policy.maxRecentResets) {
    return {
      kind: 'execute',
      action: 'reset_line',
      reasonCode: 'remote_fault_reset',
      ruleId: 'CI-11',
      steps: [
        step(resetLine, { id: 'reset-line', input: { accountId: account.accountId }, summary: 'Reset line remotely' }),
        ...notify('line_reset', diagnostics.faultCode),
      ],
    };
  }
  return {
    kind: 'execute',
    action: 'book_technician',
    reasonCode: remotelyFixable ? 'repeated_resets' : 'field_fault',
    ruleId: remotelyFixable ? 'CI-12' : 'CI-13',
    steps: [
      step(bookTechnicianVisit, { id: 'book-visit', input: { accountId: account.accountId, faultCode: diagnostics.faultCode }, summary: 'Book technician visit' }),
      ...notify('technician_booked', diagnostics.faultCode),
    ],
  };
};
