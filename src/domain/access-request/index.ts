import { defineProblemType } from '../plug-in';
import { decideAccessRequest } from './decide';
import { accessPolicySchema, accessRequestClaims, defaultAccessPolicy } from './schema';
import { grantAccess, lookUpEmployee, lookUpSystem, revokeAccess } from './tools';
import { accessVerification } from './verify';

/** An employee needs temporary access to an internal system. */
export const accessRequest = defineProblemType({
  name: 'access_request',
  description: 'An employee needs temporary access (a role) to an internal system such as grafana or prod-db, for a number of days.',
  intentKeywords: [
    '\\b(viewer|editor|read|write|admin|owner) (access|role|rights)\\b',
    '\\baccess (to|on|for) (the )?(grafana|prod-db|jenkins|kibana|jira)\\b',
    '\\bgrant\\b',
    'permission',
    '\\bemp-?\\d{3,}',
  ],
  fieldHints: {
    employeeId: { kind: 'id', prefix: 'EMP' },
    system: { kind: 'word', values: ['grafana', 'prod-db', 'jenkins', 'kibana', 'jira'] },
    role: { kind: 'word', values: ['viewer', 'editor', 'read', 'admin', 'write', 'owner'] },
    durationDays: { kind: 'duration_days' },
  },
  claims: accessRequestClaims,
  policy: accessPolicySchema,
  defaultPolicy: defaultAccessPolicy,
  verify: accessVerification,
  decide: decideAccessRequest,
  tools: [lookUpEmployee, lookUpSystem, grantAccess, revokeAccess],
  samples: [
    'Please grant EMP-501 viewer access to grafana for 7 days.',
    'EMP-502 needs read access on prod-db for 2 weeks for the audit.',
    'I need admin access to prod-db for EMP-502 for 3 days',
    'I need access to the dashboards',
  ],
});
