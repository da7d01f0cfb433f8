import type { Decision } from '../types';
import { decideAccessRequest } from './decide';
import { defaultAccessPolicy, type AccessPolicy, type AccessRequestClaims, type EmployeeLookup, type SystemLookup } from './schema';

const employee = (over: Partial<Extract<EmployeeLookup, { found: true }>> = {}): EmployeeLookup => ({
  found: true, employeeId: 'EMP-501', name: 'Asha Rao', department: 'engineering', managerGroup: 'eng-managers', active: true, ...over,
});
const prodDb: SystemLookup = {
  found: true,
  systemId: 'prod-db',
  name: 'Production database',
  roles: [{ role: 'admin', departments: ['engineering'] }, { role: 'read', departments: ['engineering', 'finance'] }],
};
const claims = (over: Partial<AccessRequestClaims> = {}): AccessRequestClaims => ({ employeeId: 'EMP-501', system: 'prod-db', role: 'read', durationDays: 7, ...over });
const decide = (c: AccessRequestClaims, facts: { employee?: EmployeeLookup; system?: SystemLookup } = {}, policy: AccessPolicy = defaultAccessPolicy): Decision =>
  decideAccessRequest({ claims: c, facts: { employee: employee(), system: prodDb, ...facts } }, policy);

describe('decideAccessRequest: rejections', () => {
  test.each<[string, AccessRequestClaims, Parameters<typeof decide>[1], string, string]>([
    ['unknown employee', claims(), { employee: { found: false } }, 'employee_not_found', 'AR-01'],
    ['employee who left', claims(), { employee: employee({ active: false }) }, 'employee_not_active', 'AR-02'],
    ['unknown system', claims({ system: 'jenkins' }), { system: { found: false } }, 'system_not_found', 'AR-03'],
    ['role the system does not have', claims({ role: 'owner' }), {}, 'role_not_found', 'AR-04'],
    ['prod-db admin for finance', claims({ employeeId: 'EMP-502', role: 'admin' }), { employee: employee({ employeeId: 'EMP-502', department: 'finance', managerGroup: 'fin-managers' }) }, 'role_not_allowed_for_department', 'AR-05'],
    ['one day above the policy maximum', claims({ durationDays: 91 }), {}, 'duration_exceeds_limit', 'AR-06'],
    ['privileged role one day above its limit', claims({ role: 'admin', durationDays: 31 }), {}, 'privileged_duration_exceeds_limit', 'AR-07'],
  ])('%s', (_name, c, facts, reasonCode, ruleId) => {
    expect(decide(c, facts)).toEqual({ kind: 'reject', action: 'reject', reasonCode, ruleId });
  });
});

describe('decideAccessRequest: grants wait for the manager group and expire', () => {
  test.each<[string, AccessRequestClaims]>([
    ['shortest grant', claims({ durationDays: 1 })],
    ['exactly the policy maximum', claims({ durationDays: 90 })],
    ['privileged role exactly at its limit', claims({ role: 'admin', durationDays: 30 })],
  ])('%s', (_name, c) => {
    const d = decide(c);
    expect(d).toMatchObject({ kind: 'execute', action: 'grant_access', reasonCode: 'access_needs_manager_approval', ruleId: 'AR-10' });
    if (d.kind !== 'execute') throw new Error('expected execute');
    expect(d.approval).toEqual({ requiredApprovals: 1, group: 'eng-managers' });
    expect(d.steps).toEqual([expect.objectContaining({ id: 'grant', tool: 'grantAccess', input: { employeeId: 'EMP-501', system: 'prod-db', role: c.role, durationDays: c.durationDays } })]);
    expect(d.followUp).toMatchObject({ afterMs: c.durationDays * 86_400_000, steps: [{ id: 'revoke', tool: 'revokeAccess', input: { employeeId: 'EMP-501', system: 'prod-db', role: c.role } }] });
  });

  test('the approver group is the employee manager group on record', () => {
    const finance = employee({ employeeId: 'EMP-502', department: 'finance', managerGroup: 'fin-managers' });
    expect(decide(claims({ employeeId: 'EMP-502' }), { employee: finance })).toMatchObject({ approval: { group: 'fin-managers' } });
  });

  test('the policy sets the length of a day, the approvals and the limits', () => {
    const policy: AccessPolicy = { ...defaultAccessPolicy, dayMs: 50, requiredApprovals: 2, maxDurationDays: 5, privilegedMaxDays: 2 };
    expect(decide(claims({ durationDays: 3 }), {}, policy)).toMatchObject({ approval: { requiredApprovals: 2 }, followUp: { afterMs: 150 } });
    expect(decide(claims({ durationDays: 6 }), {}, policy)).toMatchObject({ reasonCode: 'duration_exceeds_limit' });
    expect(decide(claims({ role: 'admin', durationDays: 3 }), {}, policy)).toMatchObject({ reasonCode: 'privileged_duration_exceeds_limit' });
  });
});
