import type { ApiKeyEntry } from '../../src/config';
import type { ProblemState } from '../../workflows/state';
import { startHarness, submit, waitForStatus, type Harness } from '../support/harness';

/**
 * Role × route × own/other. Each principal holds exactly the roles in its name, so a row shows
 * what one role (or role pair) may do. "own" means the principal submitted the problem.
 */
const principals = {
  sub: ['submitter'],
  sub2: ['submitter'],
  appr: ['approver'],
  adm: ['admin'],
  subAppr: ['submitter', 'approver'],
  subAdm: ['submitter', 'admin'],
} as const;
type Who = keyof typeof principals | 'anonymous' | 'badKey';
const apiKeys: ApiKeyEntry[] = Object.entries(principals).map(([principal, roles]) => ({
  key: `matrix-key-${principal}-000000000`,
  principal,
  roles: [...roles],
  groups: ['billing-approvers'],
}));
const header = (who: Who): Record<string, string> =>
  who === 'anonymous' ? {} : { authorization: `Bearer ${who === 'badKey' ? 'not-a-valid-key-0000000' : `matrix-key-${who}-000000000`}` };

const STALE = `sha256:${'cd'.repeat(32)}`;
const APPROVAL_TEXT = 'ACC-1001 INV-2001 installation charge Rs 1500 was never done, please refund 1500 rupees';
const VAGUE_TEXT = 'I was charged twice for my fiber plan in October';

type Target = 'own' | 'other' | '-';
type Route = 'POST /v1/problems' | 'GET /v1/problems' | 'GET /v1/problems/{id}' | 'POST /v1/problems/{id}/clarifications'
  | 'POST /v1/problems/{id}/approvals' | 'GET /v1/problems/{id}/audit' | 'GET /v1/approvals' | 'GET /v1/me';
type Row = [Who, Route, Target, number, string | null];

// For approvals an authorized caller gets past every check but the digest: 409 stale_action_digest
// proves authorization passed without approving anything. Expected code null = a success body.
const rows: Row[] = [
  ...(['anonymous', 'badKey'] as const).flatMap((who): Row[] => [
    [who, 'POST /v1/problems', '-', 401, 'unauthorized'],
    [who, 'GET /v1/problems', '-', 401, 'unauthorized'],
    [who, 'GET /v1/problems/{id}', 'other', 401, 'unauthorized'],
    [who, 'POST /v1/problems/{id}/clarifications', 'other', 401, 'unauthorized'],
    [who, 'POST /v1/problems/{id}/approvals', 'other', 401, 'unauthorized'],
    [who, 'GET /v1/problems/{id}/audit', 'other', 401, 'unauthorized'],
    [who, 'GET /v1/approvals', '-', 401, 'unauthorized'],
    [who, 'GET /v1/me', '-', 401, 'unauthorized'],
  ]),

  ['sub', 'POST /v1/problems', '-', 202, null],
  ['appr', 'POST /v1/problems', '-', 403, 'forbidden'],
  ['adm', 'POST /v1/problems', '-', 403, 'forbidden'],
  ['subAppr', 'POST /v1/problems', '-', 202, null],

  ['sub', 'GET /v1/problems', '-', 200, null],
  ['appr', 'GET /v1/problems', '-', 200, null],
  ['adm', 'GET /v1/problems', '-', 200, null],

  ['sub', 'GET /v1/problems/{id}', 'own', 200, null],
  ['sub', 'GET /v1/problems/{id}', 'other', 403, 'forbidden'],
  ['appr', 'GET /v1/problems/{id}', 'other', 200, null],
  ['adm', 'GET /v1/problems/{id}', 'other', 200, null],
  ['subAppr', 'GET /v1/problems/{id}', 'own', 200, null],

  ['sub', 'POST /v1/problems/{id}/clarifications', 'own', 202, null],
  ['sub2', 'POST /v1/problems/{id}/clarifications', 'other', 403, 'not_submitter'],
  ['appr', 'POST /v1/problems/{id}/clarifications', 'other', 403, 'forbidden'],
  ['adm', 'POST /v1/problems/{id}/clarifications', 'other', 403, 'forbidden'],
  ['subAppr', 'POST /v1/problems/{id}/clarifications', 'own', 202, null],
  ['subAppr', 'POST /v1/problems/{id}/clarifications', 'other', 403, 'not_submitter'],
  ['subAdm', 'POST /v1/problems/{id}/clarifications', 'other', 403, 'not_submitter'],

  ['sub', 'POST /v1/problems/{id}/approvals', 'own', 403, 'forbidden'],
  ['sub2', 'POST /v1/problems/{id}/approvals', 'other', 403, 'forbidden'],
  ['appr', 'POST /v1/problems/{id}/approvals', 'other', 409, 'stale_action_digest'],
  ['adm', 'POST /v1/problems/{id}/approvals', 'other', 403, 'forbidden'],
  ['subAppr', 'POST /v1/problems/{id}/approvals', 'own', 403, 'self_approval_forbidden'],
  ['subAppr', 'POST /v1/problems/{id}/approvals', 'other', 409, 'stale_action_digest'],
  ['subAdm', 'POST /v1/problems/{id}/approvals', 'own', 403, 'forbidden'],

  ['sub', 'GET /v1/problems/{id}/audit', 'own', 403, 'forbidden'],
  ['sub', 'GET /v1/problems/{id}/audit', 'other', 403, 'forbidden'],
  ['appr', 'GET /v1/problems/{id}/audit', 'other', 200, null],
  ['adm', 'GET /v1/problems/{id}/audit', 'other', 200, null],
  ['subAppr', 'GET /v1/problems/{id}/audit', 'own', 200, null],

  ['sub', 'GET /v1/approvals', '-', 403, 'forbidden'],
  ['appr', 'GET /v1/approvals', '-', 200, null],
  ['adm', 'GET /v1/approvals', '-', 403, 'forbidden'],
  ['subAppr', 'GET /v1/approvals', '-', 200, null],

  ['sub', 'GET /v1/me', '-', 200, null],
  ['appr', 'GET /v1/me', '-', 200, null],
  ['adm', 'GET /v1/me', '-', 200, null],
];

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ apiKeys });
});
afterAll(async () => h?.stop());

/** A problem of `owner` in `status`; clarification targets are fresh per row since a 202 consumes them. */
async function problemOf(owner: keyof typeof principals, status: 'awaiting_approval' | 'needs_clarification'): Promise<ProblemState> {
  const res = await submit(h.app, `matrix-key-${owner}-000000000`, { text: status === 'awaiting_approval' ? APPROVAL_TEXT : VAGUE_TEXT });
  expect(res.statusCode).toBe(202);
  return waitForStatus(h.app, `matrix-key-${owner}-000000000`, res.json().id, [status]);
}

const cache = new Map<string, Promise<ProblemState>>();
function target(who: Who, route: Route, t: Target): Promise<ProblemState> {
  const owner = t === 'own' && who in principals ? (who as keyof typeof principals) : who === 'sub' ? 'sub2' : 'sub';
  const status = route.includes('clarifications') ? 'needs_clarification' : 'awaiting_approval';
  if (status === 'needs_clarification' && t === 'own') return problemOf(owner, status);
  const key = `${owner}/${status}`;
  if (!cache.has(key)) cache.set(key, problemOf(owner, status));
  return cache.get(key)!;
}

test('the matrix covers every /v1 route of the OpenAPI document', async () => {
  const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
  const documented = Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/v1/'))
    .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
  expect([...new Set(rows.map((r) => r[1]))].sort()).toEqual(documented);
});

test.each(rows)('%s %s (%s) -> %i %s', async (who, route, t, status, code) => {
  const [method, pathTemplate] = route.split(' ') as ['GET' | 'POST', string];
  const problem = pathTemplate.includes('{id}') ? await target(who, route, t) : undefined;
  const url = pathTemplate.replace('{id}', problem?.id ?? '');
  const payload = route === 'POST /v1/problems' ? { text: APPROVAL_TEXT }
    : route.endsWith('clarifications') ? { text: 'Account ACC-1002, invoice INV-2002, amount Rs 299' }
      : route.endsWith('approvals') && method === 'POST' ? { decision: 'approve', actionDigest: STALE }
        : undefined;
  const res = await h.app.inject({ method, url, headers: header(who), ...(payload ? { payload } : {}) });
  expect({ status: res.statusCode, code: res.json().error?.code ?? null }).toEqual({ status, code });

  if (route === 'GET /v1/problems' && who === 'sub') {
    expect((res.json().items as { submittedBy: string }[]).every((i) => i.submittedBy === 'sub')).toBe(true);
  }
  if (problem && status >= 400) {
    // A refused call changes nothing.
    const after = await waitForStatus(h.app, 'matrix-key-adm-000000000', problem.id, [problem.status]);
    expect(after.approval?.approvals ?? []).toEqual([]);
  }
});
