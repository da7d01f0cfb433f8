import { call, lookups } from '../plug-in';
import type { AccessRequestClaims } from './schema';
import { lookUpEmployee, lookUpSystem } from './tools';

/** The facts an access request is decided on: the employee and the system, from IAM. */
export const accessVerification = lookups((claims: AccessRequestClaims) => ({
  employee: call(lookUpEmployee, { employeeId: claims.employeeId }, `Look up employee ${claims.employeeId}`),
  system: call(lookUpSystem, { system: claims.system }, `Look up system ${claims.system}`),
}));
