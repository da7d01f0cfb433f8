import { defaultAccessPolicy } from './access-request/schema';
import { defaultBillingPolicy } from './billing-dispute/schema';
import { defaultConnectivityPolicy } from './connectivity-issue/schema';
import { defaultPlanChangePolicy } from './plan-change/schema';
import { DEFAULT_POLICY_VERSION, defaultApprovalTiming, resolvePolicy } from './policy';
import { catalog } from './registry';

describe('resolvePolicy', () => {
  test('without a file: the default version and every type default, as in the contract', () => {
    const policy = resolvePolicy(catalog);
    expect(policy.version).toBe(DEFAULT_POLICY_VERSION);
    expect(policy.approvalTiming).toEqual(defaultApprovalTiming);
    expect(policy.types).toEqual({
      billing_dispute: defaultBillingPolicy,
      connectivity_issue: defaultConnectivityPolicy,
      plan_change: defaultPlanChangePolicy,
      access_request: defaultAccessPolicy,
    });
    expect(defaultBillingPolicy).toMatchObject({ autoCreditMax: 500, singleApprovalMax: 5000, currency: 'INR' });
    expect(defaultAccessPolicy.dayMs).toBe(86_400_000);
  });

  test('a section replaces one type default and keeps the rest', () => {
    const access = { ...defaultAccessPolicy, dayMs: 100 };
    const policy = resolvePolicy(catalog, { version: 'test-1', types: { access_request: access } });
    expect(policy.version).toBe('test-1');
    expect(policy.types.access_request).toEqual(access);
    expect(policy.types.plan_change).toEqual(defaultPlanChangePolicy);
  });

  test.each([
    ['unknown type section', { version: 'v', types: { refunds: {} } }, 'unknown problem type "refunds"'],
    ['unordered billing thresholds', { version: 'v', types: { billing_dispute: { ...defaultBillingPolicy, autoCreditMax: 6000 } } }, 'thresholds must be ordered'],
    ['negative reset limit', { version: 'v', types: { connectivity_issue: { ...defaultConnectivityPolicy, maxRecentResets: -1 } } }, ''],
    ['negative dues allowance', { version: 'v', types: { plan_change: { ...defaultPlanChangePolicy, maxDuesAllowed: -5 } } }, ''],
    ['zero-length day', { version: 'v', types: { access_request: { ...defaultAccessPolicy, dayMs: 0 } } }, ''],
    ['privileged limit above the maximum', { version: 'v', types: { access_request: { ...defaultAccessPolicy, privilegedMaxDays: 91 } } }, 'privilegedMaxDays'],
    ['missing field', { version: 'v', types: { plan_change: { maxDuesAllowed: 0 } } }, ''],
    ['empty version', { version: '' }, ''],
    ['unordered approval timers', { version: 'v', approvalTiming: { ...defaultApprovalTiming, remindAfterMs: defaultApprovalTiming.expireAfterMs + 1 } }, 'ordered'],
  ])('refuses %s', (_name, file, message) => {
    expect(() => resolvePolicy(catalog, file)).toThrow(message);
  });
});
