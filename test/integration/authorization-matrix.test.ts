import type { Role, RouteAccess } from '../../src/api/plugins/auth';
import type { ApiKeyEntry } from '../../src/config';
import type { ProblemState } from '../../workflows/state';
import { FINAL_STATUSES, startHarness, submit, waitForStatus, type Harness } from '../support/harness';

/**
 * Role × route × own/other/scoped, generated from the app's route table (`app.routeAccess`): every
 * protected route is called by every kind of caller on every kind of target, and the expected
 * answer comes from the specification below, never from the roles a route declares, so a route
 * whose declared roles are wrong fails here. A new route without a specification fails too.
 *
 * Callers hold exactly the roles in their name; `scoped*` keys are limited to ACC-1001. Targets:
 * `own` (the caller submitted it), `other` (another principal's problem on ACC-1001), `scoped`
 * (a problem on ACC-1002, outside a scoped key's accounts).
 */
const principals = {
  sub: { roles: ['submitter'] },
  sub2: { roles: ['submitter'] },
  appr: { roles: ['approver'] },
  adm: { roles: ['admin'] },
  subAppr: { roles: ['submitter', 'approver'] },
  subAdm: { roles: ['submitter', 'admin'] },
  scopedSub: { roles: ['submitter'], accounts: ['ACC-1001'] },
  scopedAppr: { roles: ['approver'], accounts: ['ACC-1001'] },
} satisfies Record<string, { roles: Role[]; accounts?: string[] }>;
type Name = keyof typeof principals;
type Who = Name | 'anonymous' | 'badKey';
type Target = 'own' | 'other' | 'scoped' | '-';

const keyOf = (who: Name) => `matrix-key-${who}-000000000`;
const apiKeys: ApiKeyEntry[] = Object.entries(principals).map(([principal, p]) => ({ key: keyOf(principal as Name), principal, groups: ['billing-approvers'], ...p }));
const header = (who: Who): Record<string, string> =>
  who === 'anonymous' ? {} : { authorization: `Bearer ${who === 'badKey' ? 'not-a-valid-key-0000000' : keyOf(who)}` };
const holds = (who: Who, role: Role) => who !== 'anonymous' && who !== 'badKey' && (principals[who].roles as Role[]).includes(role);
const isScoped = (who: Who) => who !== 'anonymous' && who !== 'badKey' && 'accounts' in principals[who];

const STALE = `sha256:${'cd'.repeat(32)}`;
const APPROVAL_TEXT = 'ACC-1001 INV-2001 installation charge Rs 1500 was never done, please refund 1500 rupees';
const VAGUE_TEXT = 'I was charged twice for my fiber plan in October';
const OTHER_ACCOUNT_TEXT = 'Account ACC-1002 invoice INV-2002: MOB-299 was charged twice, please refund Rs 299';

const ANY: Role[] = ['submitter', 'approver', 'admin'];
/**
 * The specification, per route (docs/API.md): the roles that may call it and what such a caller
 * gets. A route of the table missing here fails the test.
 */
const spec: Record<string, { roles: Role[]; answer: (who: Who, t: Target) => [number, string | null] }> = {
  'POST /v1/problems': { roles: ['submitter'], answer: () => [202, null] },
  'GET /v1/problems': { roles: ANY, answer: () => [200, null] },
  'GET /v1/problems/{id}': { roles: ANY, answer: (who, t) => (t === 'own' || holds(who, 'approver') || holds(who, 'admin') ? [200, null] : [403, 'forbidden']) },
  'POST /v1/problems/{id}/clarifications': { roles: ['submitter'], answer: (_who, t) => (t === 'own' ? [202, null] : [403, 'not_submitter']) },
  // An authorized approver gets past every check but the digest: 409 proves authorization passed without approving anything.
  // A key scoped to the credited account (ACC-1001) is a beneficiary of the credit and never approves it.
  'POST /v1/problems/{id}/approvals': {
    roles: ['approver'],
    answer: (who, t) => (t === 'own' ? [403, 'self_approval_forbidden'] : isScoped(who) ? [403, 'beneficiary_approval_forbidden'] : [409, 'stale_action_digest']),
  },
  'GET /v1/problems/{id}/audit': { roles: ['approver', 'admin'], answer: () => [200, null] },
  'GET /v1/approvals': { roles: ['approver'], answer: () => [200, null] },
  'GET /v1/me': { roles: ANY, answer: () => [200, null] },
  'GET /v1/policy': { roles: ['approver', 'admin'], answer: () => [200, null] },
  'POST /v1/policy/simulations': { roles: ['admin'], answer: () => [200, null] },
  'POST /codec/encode': { roles: ['approver', 'admin'], answer: () => [200, null] },
  'POST /codec/decode': { roles: ['approver', 'admin'], answer: () => [200, null] },
  'POST /codec/session': { roles: ['approver', 'admin'], answer: () => [204, null] },
};

/** The rules: no valid key 401; none of the specified roles 403; a scoped key on another account 403; else per route. */
function expected(route: string, who: Who, t: Target): [number, string | null] {
  const rule = spec[route];
  if (!rule) throw new Error(`no specification for ${route}: add one to \`spec\``);
  if (who === 'anonymous' || who === 'badKey') return [401, 'unauthorized'];
  if (!rule.roles.some((r) => holds(who, r))) return [403, 'forbidden'];
  if (t === 'scoped') return [403, 'account_not_entitled'];
  return rule.answer(who, t);
}

const openApiPath = (url: string) => url.replace(/:([A-Za-z]+)/g, '{$1}');
type Row = [Who, string, Target, number, string | null];

/** Every (caller, route, target) of the protected routes in the table, with its expected answer. */
function matrix(table: readonly RouteAccess[]): Row[] {
  const callers: Who[] = ['anonymous', 'badKey', ...(Object.keys(principals) as Name[])];
  return table
    .filter((r) => r.roles !== null && r.method !== 'HEAD')
    .flatMap((r) => {
      const route = `${r.method} ${openApiPath(r.url)}`;
      return callers.flatMap((who): Row[] => {
        const targets: Target[] = !route.includes('{id}') ? ['-']
          : who === 'anonymous' || who === 'badKey' ? ['other']
            : [...(holds(who, 'submitter') ? ['own' as const] : []), 'other', ...(isScoped(who) && !route.endsWith('clarifications') ? ['scoped' as const] : [])];
        return targets.map((t): Row => [who, route, t, ...expected(route, who, t)]);
      });
    });
}

let h: Harness;
let table: readonly RouteAccess[];
beforeAll(async () => {
  h = await startHarness({ apiKeys });
  table = h.app.routeAccess;
});
afterAll(async () => h?.stop());

/** A problem of `owner`; clarification targets are fresh per row since a 202 consumes them. */
async function problemOf(owner: Name, text: string, statuses: ProblemState['status'][]): Promise<ProblemState> {
  const res = await submit(h.app, keyOf(owner), { text });
  expect(res.statusCode).toBe(202);
  return waitForStatus(h.app, keyOf('adm'), res.json().id, statuses);
}
const cache = new Map<string, Promise<ProblemState>>();
function target(who: Who, route: string, t: Target): Promise<ProblemState> {
  const owner: Name = t === 'own' ? (who as Name) : who === 'sub' ? 'sub2' : 'sub';
  if (t === 'scoped') {
    const key = `${owner}/scoped`;
    if (!cache.has(key)) cache.set(key, problemOf(owner, OTHER_ACCOUNT_TEXT, [...FINAL_STATUSES, 'awaiting_approval']));
    return cache.get(key)!;
  }
  if (route.endsWith('clarifications')) return t === 'own' ? problemOf(owner, VAGUE_TEXT, ['needs_clarification']) : cached(`${owner}/vague`, owner, VAGUE_TEXT, 'needs_clarification');
  return cached(`${owner}/approval`, owner, APPROVAL_TEXT, 'awaiting_approval');
}
function cached(key: string, owner: Name, text: string, status: ProblemState['status']): Promise<ProblemState> {
  if (!cache.has(key)) cache.set(key, problemOf(owner, text, [status]));
  return cache.get(key)!;
}

function payloadFor(route: string): unknown {
  if (route === 'POST /v1/problems') return { text: APPROVAL_TEXT };
  if (route.endsWith('clarifications')) return { text: 'Account ACC-1002, invoice INV-2002, amount Rs 299' };
  if (route.endsWith('/approvals')) return { decision: 'approve', actionDigest: STALE };
  if (route.startsWith('POST /codec/') && !route.endsWith('session')) return { payloads: [] };
  if (route === 'POST /v1/policy/simulations') return { policy: { version: 'matrix-candidate' } };
  return undefined;
}

test('the route table: every /v1 and /codec route declares roles, and the /v1 table is the OpenAPI document', async () => {
  const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
  const documented = Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/v1/'))
    .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
  const v1 = table.filter((r) => r.url.startsWith('/v1/') && r.method !== 'HEAD');
  expect(v1.map((r) => `${r.method} ${openApiPath(r.url)}`).sort()).toEqual(documented);
  expect(v1.filter((r) => r.roles === null)).toEqual([]);
  const publicCodec = table.filter((r) => r.url.startsWith('/codec/') && r.roles === null && r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`);
  expect(publicCodec.sort()).toEqual(['DELETE /codec/session', 'GET /codec/login']);
});

test('the matrix: every protected route x caller x target answers as the rules say, and a refused call changes nothing', async () => {
  const rows = matrix(table);
  expect(rows.length).toBeGreaterThan(100);
  const results: { row: string; got: [number, string | null]; want: [number, string | null] }[] = [];
  for (const [i, [who, route, t, status, code]] of rows.entries()) {
    const [method, pathTemplate] = route.split(' ') as ['GET' | 'POST', string];
    const problem = pathTemplate.includes('{id}') ? await target(who, route, t) : undefined;
    if (t === 'scoped') expect(problem?.entities).toMatchObject({ accountId: 'ACC-1002' });
    const url = pathTemplate.replace('{id}', problem?.id ?? '');
    const payload = payloadFor(route);
    // Each row from its own address: per-address throttles (POST /codec/session) never mix rows.
    const res = await h.app.inject({ method, url, headers: header(who), remoteAddress: `10.9.${Math.floor(i / 250)}.${i % 250}`, ...(payload ? { payload } : {}) });
    const body = res.body ? (res.json() as { error?: { code?: string }; items?: { submittedBy: string }[] }) : {};
    results.push({ row: `${who} ${route} (${t})`, got: [res.statusCode, body.error?.code ?? null], want: [status, code] });
    if (route === 'GET /v1/problems' && (who === 'sub' || who === 'scopedSub') && res.statusCode === 200) {
      expect(body.items!.every((item) => item.submittedBy === who)).toBe(true);
    }
    if (problem && status >= 400) {
      const after = await waitForStatus(h.app, keyOf('adm'), problem.id, [problem.status]);
      expect(after.approval?.approvals ?? []).toEqual(problem.approval?.approvals ?? []);
    }
  }
  expect(results.filter((r) => r.got[0] !== r.want[0] || r.got[1] !== r.want[1])).toEqual([]);
});
