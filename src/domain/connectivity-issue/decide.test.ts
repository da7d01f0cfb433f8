import type { Account, AccountLookup } from '../account';
import type { Decision } from '../types';
import { decideConnectivityIssue } from './decide';
import { defaultConnectivityPolicy, type ConnectivityIssueClaims, type ConnectivityPolicy, type LineDiagnostics, type OutageLookup } from './schema';

const account = (over: Partial<Account> = {}): AccountLookup => ({
  found: true, accountId: 'ACC-1001', status: 'active', service: 'fiber', plan: 'FIBER-100', pincode: '400001', dues: 0, currency: 'INR', lockInUntil: null, asOf: '2026-11-25', ...over,
});
const noOutage: OutageLookup = { pincode: '400001', items: [] };
const outage: OutageLookup = { pincode: '400001', items: [{ outageId: 'OUT-3001', service: 'fiber', pincode: '400001', status: 'active', summary: 'cut' }] };
const line = (faultCode: string, recentResets = 0): LineDiagnostics => ({ found: true, accountId: 'ACC-1001', lineStatus: 'degraded', faultCode, recentResets });
const claims = (over: Partial<ConnectivityIssueClaims> = {}): ConnectivityIssueClaims => ({ accountId: 'ACC-1001', service: 'fiber', ...over });

const decide = (
  c: ConnectivityIssueClaims,
  facts: { account?: AccountLookup; outages?: OutageLookup; diagnostics?: LineDiagnostics },
  policy: ConnectivityPolicy = defaultConnectivityPolicy,
): Decision => decideConnectivityIssue({ claims: c, facts: { account: account(), outages: noOutage, diagnostics: line('sync_lost'), ...facts } }, policy);

describe('decideConnectivityIssue: rejections', () => {
  test.each<[string, ConnectivityIssueClaims, Parameters<typeof decide>[1], string, string]>([
    ['unknown account', claims(), { account: { found: false } }, 'account_not_found', 'CI-01'],
    ['suspended account, even during an outage', claims(), { account: account({ status: 'suspended' }), outages: outage }, 'account_not_active', 'CI-02'],
    ['service the account does not have', claims({ service: 'mobile' }), {}, 'service_not_on_account', 'CI-03'],
    ['fiber at another pincode than the line on record', claims({ pincode: '400002' }), {}, 'location_mismatch', 'CI-04'],
    ['no line on record and no outage', claims(), { diagnostics: { found: false } }, 'line_not_found', 'CI-05'],
  ])('%s', (_name, c, facts, reasonCode, ruleId) => {
    expect(decide(c, facts)).toEqual({ kind: 'reject', action: 'reject', reasonCode, ruleId });
  });

  test('a mobile customer may report from any pincode', () => {
    const mobile = account({ service: 'mobile', pincode: '560001' });
    expect(decide(claims({ service: 'mobile', pincode: '400001' }), { account: mobile })).toMatchObject({ kind: 'execute', ruleId: 'CI-11' });
  });
});

describe('decideConnectivityIssue: outage, reset or technician', () => {
  test('a known outage links the ticket and notifies, whatever the diagnostics say', () => {
    expect(decide(claims({ pincode: '400001' }), { outages: outage, diagnostics: line('fiber_cut') })).toEqual({
      kind: 'execute',
      action: 'link_outage',
      reasonCode: 'known_outage',
      ruleId: 'CI-10',
      steps: [
        expect.objectContaining({ id: 'link-outage', tool: 'linkOutageTicket', input: { outageId: 'OUT-3001', accountId: 'ACC-1001' } }),
        expect.objectContaining({ id: 'notify', tool: 'notifyCustomer', input: { accountId: 'ACC-1001', template: 'outage_linked', ref: 'OUT-3001' } }),
      ],
    });
  });

  test('an outage of another service does not count', () => {
    const mobileOutage: OutageLookup = { pincode: '400001', items: [{ ...outage.items[0]!, service: 'mobile' }] };
    expect(decide(claims(), { outages: mobileOutage })).toMatchObject({ action: 'reset_line' });
  });

  test.each<[string, string, number, string, string, string]>([
    ['remote-fixable fault, no recent reset', 'sync_lost', 0, 'reset_line', 'remote_fault_reset', 'CI-11'],
    ['remote-fixable fault, one below the reset limit', 'config_error', 1, 'reset_line', 'remote_fault_reset', 'CI-11'],
    ['remote-fixable fault at the reset limit', 'sync_lost', 2, 'book_technician', 'repeated_resets', 'CI-12'],
    ['remote-fixable fault above the reset limit', 'none', 3, 'book_technician', 'repeated_resets', 'CI-12'],
    ['physical fault', 'fiber_cut', 0, 'book_technician', 'field_fault', 'CI-13'],
  ])('%s', (_name, fault, resets, action, reasonCode, ruleId) => {
    const d = decide(claims(), { diagnostics: line(fault, resets) });
    expect(d).toMatchObject({ kind: 'execute', action, reasonCode, ruleId });
    if (d.kind !== 'execute') throw new Error('expected execute');
    expect(d.approval).toBeUndefined();
    expect(d.steps.map((s) => s.tool)).toEqual([action === 'reset_line' ? 'resetLine' : 'bookTechnicianVisit', 'notifyCustomer']);
  });

  test('policy decides which faults are reset, the reset limit and whether to notify', () => {
    const policy: ConnectivityPolicy = { remoteResetFaults: ['fiber_cut'], maxRecentResets: 0, notifyCustomer: false };
    expect(decide(claims(), { diagnostics: line('fiber_cut') }, policy)).toMatchObject({ action: 'book_technician', reasonCode: 'repeated_resets' });
    const lenient: ConnectivityPolicy = { ...policy, maxRecentResets: 1 };
    const d = decide(claims(), { diagnostics: line('fiber_cut') }, lenient);
    expect(d).toMatchObject({ action: 'reset_line', steps: [{ tool: 'resetLine' }] });
    if (d.kind === 'execute') expect(d.steps).toHaveLength(1);
  });
});
