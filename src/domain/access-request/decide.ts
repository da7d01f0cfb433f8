import type { Decision, Facts } from '../types';
import type { AccessPolicy, AccessRequestClaims, EmployeeLookup, SystemLookup } from './schema';

const reject = (reasonCode: string, ruleId: string): Decision => ({ kind: 'reject', action: 'reject', reasonCode, ruleId });

/**
 * Decides an access request from IAM records. A grant always waits for the employee's own
 * manager group (taken from IAM, never from the request), and is revoked by a durable timer.
 */
export function decideAccessRequest({ claims, facts }: { claims: AccessRequestClaims; facts: Facts }, policy: AccessPolicy): Decision {
  const employee = facts.employee as EmployeeLookup;
  const system = facts.system as SystemLookup;
  if (!employee.found) return reject('employee_not_found', 'AR-01');
  if (!employee.active) return reject('employee_not_active', 'AR-02');
  if (!system.found) return reject('system_not_found', 'AR-03');
  const role = system.roles.find((r) => r.role === claims.role);
  if (!role) return reject('role_not_found', 'AR-04');
  if (!role.departments.includes(employee.department)) return reject('role_not_allowed_for_department', 'AR-05');
  if (claims.durationDays > policy.maxDurationDays) return reject('duration_exceeds_limit', 'AR-06');
  if (policy.privilegedRoles.includes(role.role) && claims.durationDays > policy.privilegedMaxDays) return reject('privileged_duration_exceeds_limit', 'AR-07');

  const target = { employeeId: employee.employeeId, system: system.systemId, role: role.role };
  return {
    kind: 'execute',
    action: 'grant_access',
    reasonCode: 'access_needs_manager_approval',
    ruleId: 'AR-10',
    approval: { requiredApprovals: policy.requiredApprovals, group: employee.managerGroup },
    steps: [{ id: 'grant', tool: 'grantAccess', input: { ...target, durationDays: claims.durationDays }, summary: `Grant ${role.role} on ${system.systemId}` }],
    followUp: {
      afterMs: claims.durationDays * policy.dayMs,
      summary: `Revoke ${role.role} on ${system.systemId} after ${claims.durationDays} days`,
      // Exactly the grant this problem created: an overlapping grant of the same role keeps its own expiry.
      steps: [{ id: 'revoke', tool: 'revokeAccess', input: target, inputFrom: { grantId: { step: 'grant', key: 'grantId' } }, summary: `Revoke ${role.role} on ${system.systemId}` }],
    },
  };
}
