import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SystemsDb } from '../db';
import { EffectError } from '../idempotency';
import { errorBody, writeRoute } from './write-route';

interface EmployeeRow { id: string; name: string; department: string; manager_group: string; active: number }
interface RoleRow { role: string; departments: string }

const findEmployee = (db: SystemsDb, id: string) =>
  db.prepare('SELECT id, name, department, manager_group, active FROM employees WHERE upper(id) = upper(?)').get(id) as EmployeeRow | undefined;

function findSystem(db: SystemsDb, id: string) {
  const system = db.prepare('SELECT id, name FROM iam_systems WHERE lower(id) = lower(?)').get(id) as { id: string; name: string } | undefined;
  if (!system) return undefined;
  const roles = db.prepare('SELECT role, departments FROM iam_system_roles WHERE system_id = ? ORDER BY role').all(system.id) as RoleRow[];
  return { systemId: system.id, name: system.name, roles: roles.map((r) => ({ role: r.role, departments: JSON.parse(r.departments) as string[] })) };
}

const grantBody = z.object({ employeeId: z.string().min(1), system: z.string().min(1), role: z.string().min(1), durationDays: z.number().int().min(1).max(365) });
const revokeBody = z.object({ employeeId: z.string().min(1), system: z.string().min(1), role: z.string().min(1) });

/** IAM: employees with departments and manager groups, systems with per-department roles, grants. */
export function iamRoutes(app: FastifyInstance, db: SystemsDb): void {
  app.get<{ Params: { id: string } }>('/iam/employees/:id', async (req, reply) => {
    const e = findEmployee(db, req.params.id);
    if (!e) return reply.code(404).send(errorBody('employee_not_found', 'no such employee'));
    return { employeeId: e.id, name: e.name, department: e.department, managerGroup: e.manager_group, active: e.active === 1 };
  });

  app.get<{ Params: { id: string } }>('/iam/systems/:id', async (req, reply) => {
    const system = findSystem(db, req.params.id);
    if (!system) return reply.code(404).send(errorBody('system_not_found', 'no such system'));
    return system;
  });

  writeRoute(app, db, '/iam/grants', grantBody, (input) => {
    const employee = findEmployee(db, input.employeeId);
    if (!employee || employee.active !== 1) throw new EffectError(404, 'employee_not_found', 'no such active employee');
    const system = findSystem(db, input.system);
    if (!system) throw new EffectError(404, 'system_not_found', 'no such system');
    const role = system.roles.find((r) => r.role === input.role);
    if (!role) throw new EffectError(404, 'role_not_found', 'the system has no such role');
    if (!role.departments.includes(employee.department)) throw new EffectError(403, 'role_not_allowed_for_department', 'the role is not allowed for this department');
    const now = new Date();
    const grant = {
      grantId: `GRT-${randomUUID()}`,
      employeeId: employee.id,
      system: system.systemId,
      role: role.role,
      expiresAt: new Date(now.getTime() + input.durationDays * 86_400_000).toISOString(),
    };
    db.prepare('INSERT INTO access_grants (id, employee_id, system_id, role, expires_at, granted_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      grant.grantId, employee.id, system.systemId, role.role, grant.expiresAt, now.toISOString(),
    );
    return { status: 201, body: grant, ledger: { kind: 'access_grant', ref: `${employee.id}:${system.systemId}:${role.role}`, payload: grant } };
  });

  // Revokes one grant by id; the body names whose grant it must be, so a wrong id cannot revoke another's.
  writeRoute<typeof revokeBody, { id: string }>(app, db, '/iam/grants/:id/revocation', revokeBody, (input, params) => {
    const grant = db.prepare('SELECT id, employee_id, system_id, role, revoked_at FROM access_grants WHERE id = ?').get(params.id) as
      | { id: string; employee_id: string; system_id: string; role: string; revoked_at: string | null }
      | undefined;
    if (!grant) throw new EffectError(404, 'grant_not_found', 'no such grant');
    const matches = grant.employee_id.toUpperCase() === input.employeeId.toUpperCase() && grant.system_id.toLowerCase() === input.system.toLowerCase() && grant.role === input.role;
    if (!matches) throw new EffectError(409, 'grant_mismatch', 'the grant is not of this employee, system and role');
    const revokedAt = grant.revoked_at ?? new Date().toISOString();
    if (!grant.revoked_at) db.prepare('UPDATE access_grants SET revoked_at = ? WHERE id = ?').run(revokedAt, grant.id);
    const revocation = { grantId: grant.id, employeeId: grant.employee_id, system: grant.system_id, role: grant.role, revokedAt };
    return { status: 201, body: revocation, ledger: { kind: 'access_revoke', ref: grant.id, payload: revocation } };
  });
}
