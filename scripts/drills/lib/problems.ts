/**
 * Drill workloads: seeded invoices, problem texts with the final state each must reach, and
 * an HTTP client that behaves like a careful caller (retries with the same Idempotency-Key).
 */
import { randomUUID } from 'node:crypto';
import { DEV_API_KEYS } from '../../../src/config';
import { defaultBillingPolicy } from '../../../src/domain/billing-dispute/schema';
import { checkLedgerInvariants, type LedgerViolation } from '../../../src/systems/billing-ledger';
import { openSystemsDb } from '../../../src/systems/db';
import { pool } from '../../../bench/lib/stats';
import { adminFetch } from './admin';

const keyOf = (principal: string) => DEV_API_KEYS.find((k) => k.principal === principal)!.key;
/** Submitter, approver and admin keys of the dev key set. */
export const drillKeys = { submitter: keyOf('alice'), approver: keyOf('bob'), admin: keyOf('erin') };

/** What a case is built to test. */
export type CaseKind = 'auto_credit' | 'over_claim' | 'foreign_invoice' | 'needs_approval' | 'duplicate_dispute';

/** One problem of a drill and the final state it must reach. */
export interface DrillCase {
  index: number;
  kind: CaseKind;
  text: string;
  /**
   * `credits` per problem. `group` cases race on one shared charge: each ends either with the
   * credit or refused with `otherwise`, and the group as a whole gets exactly `groupCredits`.
   */
  expect: { status: 'completed' | 'rejected'; reasonCode: string; credits: number; group?: { id: string; groupCredits: number; otherwise: { status: 'rejected'; reasonCode: string } } };
}

const FINAL = new Set(['completed', 'rejected', 'failed']);
const invoiceId = (i: number) => `INV-${700000 + i}`;
/** Each case's account of its own, so the per-account automatic total (₹1000 in 30 days) never mixes cases. */
const accountId = (i: number) => `ACC-${700000 + i}`;
/** The one invoice every `duplicate_dispute` case disputes: MOB-299 charged twice. */
const DUPLICATE = { invoiceId: 'INV-799999', accountId: 'ACC-799999' };

/**
 * Builds `count` cases cycling through `kinds`, and seeds the demo systems' database: one
 * account and invoice per case (100.00, or 1000.00 for cases that need an approval), and one
 * shared invoice with a duplicate charge that all `duplicate_dispute` cases race on.
 */
export function buildCases(dbFile: string, count: number, kinds: CaseKind[]): DrillCase[] {
  const cases: DrillCase[] = Array.from({ length: count }, (_, i) => {
    const kind = kinds[i % kinds.length]!;
    const inv = invoiceId(i);
    const acc = accountId(i);
    switch (kind) {
      case 'auto_credit':
        return { index: i, kind, text: `Account ${acc}, invoice ${inv}: I was overcharged, please refund Rs 100.`, expect: { status: 'completed', reasonCode: 'credit_within_auto_limit', credits: 1 } };
      case 'over_claim':
        return { index: i, kind, text: `Account ${acc}, invoice ${inv}: I was overcharged, please refund Rs 400.`, expect: { status: 'rejected', reasonCode: 'amount_exceeds_charge', credits: 0 } };
      case 'foreign_invoice':
        return { index: i, kind, text: `Account ACC-1002, invoice ${inv}: I was overcharged, please refund Rs 100.`, expect: { status: 'rejected', reasonCode: 'invoice_account_mismatch', credits: 0 } };
      case 'needs_approval':
        return { index: i, kind, text: `Account ${acc}, invoice ${inv}: I was overcharged, please refund Rs 1000.`, expect: { status: 'completed', reasonCode: 'credit_needs_approval', credits: 1 } };
      case 'duplicate_dispute':
        return {
          index: i,
          kind,
          text: `My account ${DUPLICATE.accountId} was charged twice for MOB-299 on invoice ${DUPLICATE.invoiceId}, please refund the duplicate Rs 299.`,
          expect: { status: 'completed', reasonCode: 'credit_within_auto_limit', credits: 1, group: { id: DUPLICATE.invoiceId, groupCredits: 1, otherwise: { status: 'rejected', reasonCode: 'duplicate_already_credited' } } },
        };
    }
  });
  const db = openSystemsDb(dbFile);
  const insertAccount = db.prepare("INSERT OR IGNORE INTO accounts (id, status, service, plan, pincode, dues, lock_in_until) VALUES (?, 'active', 'fiber', 'FIBER-100', '400001', 0, NULL)");
  const insertInvoice = db.prepare('INSERT INTO invoices (id, account_id, period, currency) VALUES (?, ?, ?, ?)');
  const insertLine = db.prepare('INSERT INTO invoice_lines (invoice_id, line_no, description, amount) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const c of cases.filter((c) => c.kind !== 'duplicate_dispute')) {
      const owner = c.kind === 'foreign_invoice' ? 'ACC-1001' : accountId(c.index);
      insertAccount.run(owner);
      insertInvoice.run(invoiceId(c.index), owner, '2026-10', 'INR');
      insertLine.run(invoiceId(c.index), 1, 'FIBER-100', c.kind === 'needs_approval' ? 1000 : 100);
    }
    if (cases.some((c) => c.kind === 'duplicate_dispute')) {
      insertAccount.run(DUPLICATE.accountId);
      insertInvoice.run(DUPLICATE.invoiceId, DUPLICATE.accountId, '2026-10', 'INR');
      insertLine.run(DUPLICATE.invoiceId, 1, 'MOB-299', 299);
      insertLine.run(DUPLICATE.invoiceId, 2, 'MOB-299', 299);
    }
  })();
  db.close();
  return cases;
}

/** Small seeded PRNG so a failing run can be repeated with --seed. */
export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Credits the cases should leave in the ledger in all: a race on a shared charge counts once. */
export function expectedCredits(cases: DrillCase[]): number {
  const groups = new Map<string, number>();
  let n = 0;
  for (const c of cases) {
    if (c.expect.group) groups.set(c.expect.group.id, c.expect.group.groupCredits);
    else n += c.expect.credits;
  }
  return n + [...groups.values()].reduce((a, b) => a + b, 0);
}

/**
 * The money invariants over the whole ledger of the systems' database (read after the drill):
 * no line beyond its charge, no duplicate group beyond N−1 charges, automatic credits within
 * the default policy's per-invoice and per-account totals.
 */
export function ledgerInvariants(systemsDbFile: string): LedgerViolation[] {
  const db = openSystemsDb(systemsDbFile);
  try {
    const p = defaultBillingPolicy;
    return checkLedgerInvariants(db, { invoiceAutoMax: p.autoCreditInvoiceMax, accountAutoMax: p.autoCreditAccountMax, windowDays: p.autoCreditWindowDays });
  } finally {
    db.close();
  }
}

/** A problem as the drills read it from the API. */
export interface ProblemSnapshot {
  id: string;
  status: string;
  decision: { reasonCode: string } | null;
  outcome: { reasonCode?: string } | null;
  approval: { actionDigest: string } | null;
  clarification?: { reasonCode: string } | null;
}

/** Counters of what the HTTP client saw. */
export interface ClientStats {
  /** Responses by status code (network errors counted as 0). */
  responses: Map<number, number>;
}

/** A careful API client: spreads calls over API processes, retries 5xx and network errors. */
export function createDrillClient(apiUrls: string[], runId = randomUUID().slice(0, 8)) {
  const stats: ClientStats = { responses: new Map() };
  let turn = 0;
  const count = (status: number) => stats.responses.set(status, (stats.responses.get(status) ?? 0) + 1);
  const call = async (method: string, path: string, key: string, body?: unknown, headers: Record<string, string> = {}) => {
    const url = apiUrls[turn++ % apiUrls.length]!;
    try {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(25_000),
      });
      count(res.status);
      return { status: res.status, body: (await res.json().catch(() => null)) as unknown };
    } catch {
      count(0);
      return { status: 0, body: null };
    }
  };
  /** Calls until a non-retryable answer (not 0, 429 or 5xx) or the deadline. */
  const until = async (deadline: number, fn: () => ReturnType<typeof call>) => {
    for (;;) {
      const res = await fn();
      if (res.status !== 0 && res.status !== 429 && res.status < 500) return res;
      if (Date.now() > deadline) return res;
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  return {
    stats,
    call,
    /** Submits every case (same Idempotency-Key on retries); returns ids by case index. */
    async submitAll(cases: Pick<DrillCase, 'index' | 'text'>[], concurrency: number, timeoutMs = 120_000): Promise<Map<number, string>> {
      const ids = new Map<number, string>();
      const deadline = Date.now() + timeoutMs;
      await pool(cases, concurrency, async (c) => {
        const res = await until(deadline, () => call('POST', '/v1/problems', drillKeys.submitter, { text: c.text, channel: 'api' }, { 'idempotency-key': `drill-${runId}-${c.index}` }));
        if (res.status === 202) ids.set(c.index, (res.body as { id: string }).id);
      });
      return ids;
    },
    async get(id: string): Promise<ProblemSnapshot | null> {
      const res = await call('GET', `/v1/problems/${id}`, drillKeys.admin);
      return res.status === 200 ? (res.body as ProblemSnapshot) : null;
    },
    /** Approves the pending action of `id` as an approver. */
    async approve(id: string, actionDigest: string) {
      return call('POST', `/v1/problems/${id}/approvals`, drillKeys.approver, { decision: 'approve', actionDigest });
    },
    /**
     * Polls until every id is final (approving those that wait for approval when
     * `approve` is set) or the deadline; returns the last snapshot of each.
     */
    async waitAllFinal(ids: string[], options: { timeoutMs: number; approve?: boolean; concurrency?: number; resting?: string[] }): Promise<Map<string, ProblemSnapshot | null>> {
      const done = new Set([...FINAL, ...(options.resting ?? [])]);
      const last = new Map<string, ProblemSnapshot | null>(ids.map((id) => [id, null]));
      const deadline = Date.now() + options.timeoutMs;
      let open = [...ids];
      while (open.length && Date.now() < deadline) {
        await pool(open, options.concurrency ?? 8, async (id) => {
          const snap = await this.get(id);
          if (snap) last.set(id, snap);
          if (options.approve && snap?.status === 'awaiting_approval' && snap.approval) await this.approve(id, snap.approval.actionDigest);
        });
        open = open.filter((id) => !done.has(last.get(id)?.status ?? ''));
        if (open.length) await new Promise((r) => setTimeout(r, 1000));
      }
      return last;
    },
  };
}

/** A ledger entry of the demo systems. */
export interface LedgerEntry {
  kind: string;
  idempotencyKey: string;
  ref: string;
}

/** Reads the demo systems' side-effect ledger. */
export async function readLedger(systemsUrl: string): Promise<LedgerEntry[]> {
  const res = await adminFetch(`${systemsUrl}/_admin/ledger`);
  return ((await res.json()) as { items: LedgerEntry[] }).items;
}

/** The verdict of a drill: per-case checks against the expected final state and the ledger. */
export interface Verdict {
  submitted: number;
  lost: number;
  wrongState: string[];
  duplicateEffects: number;
  missingEffects: number;
  unexpectedEffects: number;
  byStatus: Record<string, number>;
  /** Money invariants broken in the ledger (when the drill passed them to `judge`). */
  ledgerViolations: LedgerViolation[];
}

/** Checks every case's final state and that each expected side effect is in the ledger exactly once. */
export function judge(
  cases: DrillCase[],
  ids: Map<number, string>,
  finals: Map<string, ProblemSnapshot | null>,
  ledger: LedgerEntry[],
  options: { allowFailedWithReason?: boolean; ledgerViolations?: LedgerViolation[] } = {},
): Verdict {
  const perProblem = new Map<string, number>();
  for (const e of ledger) {
    const id = e.idempotencyKey.split('/')[0]!;
    perProblem.set(id, (perProblem.get(id) ?? 0) + 1);
  }
  const refs = new Map<string, number>();
  for (const e of ledger) refs.set(`${e.kind}:${e.ref}`, (refs.get(`${e.kind}:${e.ref}`) ?? 0) + 1);
  const verdict: Verdict = { submitted: ids.size, lost: cases.length - ids.size, wrongState: [], duplicateEffects: 0, missingEffects: 0, unexpectedEffects: 0, byStatus: {}, ledgerViolations: options.ledgerViolations ?? [] };
  const groupCredits = new Map<string, { expected: number; seen: number }>();
  verdict.duplicateEffects = [...refs.values()].filter((n) => n > 1).length + [...perProblem.values()].filter((n) => n > 1).length;
  const known = new Set(ids.values());
  verdict.unexpectedEffects = [...perProblem.keys()].filter((id) => !known.has(id)).length;
  for (const c of cases) {
    const id = ids.get(c.index);
    if (!id) continue;
    const snap = finals.get(id);
    const status = snap?.status ?? 'unknown';
    verdict.byStatus[status] = (verdict.byStatus[status] ?? 0) + 1;
    const effects = perProblem.get(id) ?? 0;
    const reason = snap?.decision?.reasonCode ?? snap?.outcome?.reasonCode;
    if (!snap || !FINAL.has(snap.status)) {
      verdict.lost += 1;
      verdict.wrongState.push(`${id} (${c.kind}) not final: ${status}`);
      continue;
    }
    const failedWithReason = options.allowFailedWithReason && snap.status === 'failed' && typeof snap.outcome?.reasonCode === 'string';
    if (failedWithReason) {
      if (effects > 0 && c.expect.credits === 0) verdict.unexpectedEffects += 1;
      continue;
    }
    if (c.expect.group) {
      // One of a race on a shared charge: the credit, or the refusal once another got it.
      const g = groupCredits.get(c.expect.group.id) ?? { expected: c.expect.group.groupCredits, seen: 0 };
      g.seen += effects;
      groupCredits.set(c.expect.group.id, g);
      const other = c.expect.group.otherwise;
      const ok = effects > 0 ? snap.status === c.expect.status : snap.status === other.status && reason === other.reasonCode;
      if (!ok) verdict.wrongState.push(`${id} (${c.kind}): ${snap.status}/${reason}, expected the credit or ${other.status}/${other.reasonCode}`);
      if (effects > c.expect.credits) verdict.duplicateEffects += 1;
      continue;
    }
    if (snap.status !== c.expect.status || reason !== c.expect.reasonCode) verdict.wrongState.push(`${id} (${c.kind}): ${snap.status}/${reason}, expected ${c.expect.status}/${c.expect.reasonCode}`);
    if (effects < c.expect.credits) verdict.missingEffects += 1;
    if (c.expect.credits === 0 && effects > 0) verdict.unexpectedEffects += 1;
  }
  for (const [group, g] of groupCredits) {
    if (g.seen > g.expected) verdict.duplicateEffects += g.seen - g.expected;
    if (g.seen < g.expected) {
      verdict.missingEffects += g.expected - g.seen;
      verdict.wrongState.push(`${group}: ${g.seen} credits, expected ${g.expected}`);
    }
  }
  return verdict;
}

/** Prints a Markdown result table; returns true when nothing was lost or duplicated. */
export function report(title: string, rows: [string, string | number][], verdict: Verdict): boolean {
  const ok = verdict.lost === 0 && verdict.wrongState.length === 0 && verdict.duplicateEffects === 0 && verdict.missingEffects === 0 && verdict.unexpectedEffects === 0 && verdict.ledgerViolations.length === 0;
  const broken = (invariant: LedgerViolation['invariant']) => verdict.ledgerViolations.filter((v) => v.invariant === invariant).length;
  console.log(`\n${title}: ${ok ? 'PASS' : 'FAIL'} (${new Date().toISOString()})\n`);
  console.log('| measure | value |\n| --- | --- |');
  const all: [string, string | number][] = [
    ...rows,
    ['problems submitted (202)', verdict.submitted],
    ['final status counts', Object.entries(verdict.byStatus).map(([k, v]) => `${k} ${v}`).join(', ')],
    ['lost (not submitted or not final)', verdict.lost],
    ['wrong final state', verdict.wrongState.length],
    ['side effects duplicated', verdict.duplicateEffects],
    ['side effects missing', verdict.missingEffects],
    ['side effects not expected', verdict.unexpectedEffects],
    ['ledger: lines credited beyond their charge', broken('line_over_charge')],
    ['ledger: duplicate groups credited beyond N−1', broken('duplicate_group_over_n_minus_1')],
    ['ledger: automatic credits beyond ₹500 per invoice', broken('automatic_over_invoice_limit')],
    ['ledger: automatic credits beyond ₹1000 per account in 30 days', broken('automatic_over_account_limit')],
  ];
  for (const [k, v] of all) console.log(`| ${k} | ${v} |`);
  for (const line of verdict.wrongState.slice(0, 10)) console.log(`  ${line}`);
  for (const v of verdict.ledgerViolations.slice(0, 10)) console.log(`  ledger: ${v.invariant} ${v.ref}: ${v.detail}`);
  return ok;
}
