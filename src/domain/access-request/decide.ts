import { step, type Decide } from '../plug-in';
import type { Decision } from '../types';
import type { AccessPolicy } from './schema';
import { grantAccess, revokeAccess } from './tools';
import type { accessVerification } from './verify';

const reject = (reasonCode: string, ruleId: string): Decision => ({ kind: 'reject', action: 'reject', reasonCode, ruleId });

/**
 * Decides an access request from IAM records. A grant always waits for the employee's own
 * manager group (taken from IAM, never from the request), and is revoked by a durable timer.
 */
export const decideAccessRequest: Decide<typeof accessVerification, AccessPolicy> = ({ claims, facts }, policy) => {
  const { employee, system } = facts;
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
    steps: [step(grantAccess, { id: 'grant', input: { ...target, durationDays: claims.durationDays }, summary: `Grant ${role.role} on ${system.systemId}` })],
    followUp: {
      afterMs: claims.durationDays * policy.dayMs,
      summary: `Revoke ${role.role} on ${system.systemId} after ${claims.durationDays} days`,
      // Exactly the grant this problem created: an overlapping grant of the same role keeps its own expiry.
      steps: [step(revokeAccess, { id: 'revoke', input: target, inputFrom: { grantId: { step: 'grant', key: 'grantId' } }, summary: `Revoke ${role.role} on ${system.systemId}` })],
    },
  };
};
