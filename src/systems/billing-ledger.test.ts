import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { decideBillingDispute } from '../domain/billing-dispute/decide';
import { defaultBillingPolicy, invoiceLookupSchema, type BillingDisputeClaims, type InvoiceLookup } from '../domain/billing-dispute/schema';
import type { Decision } from '../domain/types';
import { buildSystemsApp } from './app';
import { checkLedgerInvariants, readInvoice } from './billing-ledger';
import { openSystemsDb, type SystemsDb } from './db';

/**
 * Money invariants across problems, against the real billing API and SQLite ledger (and the
 * real decide()): only the scheduling of problems is simulated, as a workflow would run them:
 * read the invoice, decide, (approve), credit with the ledger version read; on a conflict read
 * again and re-decide, a bounded number of times.
 */

const policy = defaultBillingPolicy;
const limits = { invoiceAutoMax: policy.autoCreditInvoiceMax, accountAutoMax: policy.autoCreditAccountMax, windowDays: policy.autoCreditWindowDays };

/** Seeded demo invoices plus a few more on the same accounts: duplicate groups of 3, small lines. */
function seedExtra(db: SystemsDb): void {
  const invoice = db.prepare('INSERT INTO invoices (id, account_id, period, currency) VALUES (?, ?, ?, ?)');
  const line = db.prepare('INSERT INTO invoice_lines (invoice_id, line_no, description, amount) VALUES (?, ?, ?, ?)');
  invoice.run('INV-9001', 'ACC-1001', '2026-11', 'INR');
  line.run('INV-9001', 1, 'MOB-299', 200);
  line.run('INV-9001', 2, 'MOB-299', 200);
  line.run('INV-9001', 3, 'MOB-299', 200);
  line.run('INV-9001', 4, 'Roaming', 700);
  invoice.run('INV-9002', 'ACC-1001', '2026-09', 'INR');
  line.run('INV-9002', 1, 'FIBER-100', 450);
  line.run('INV-9002', 2, 'Router', 450);
}

const INVOICES: Record<string, string> = { 'INV-2001': 'ACC-1001', 'INV-2002': 'ACC-1002', 'INV-9001': 'ACC-1001', 'INV-9002': 'ACC-1001' };
const ITEMS: (string | null)[] = [null, null, 'FIBER PLAN', 'MOB-299', 'INSTALLATION'];

const claimArb: fc.Arbitrary<BillingDisputeClaims> = fc.record({
  invoiceId: fc.constantFrom(...Object.keys(INVOICES)),
  amount: fc.oneof(fc.constantFrom(1, 100, 200, 299, 300, 400, 450, 500, 598, 700, 998, 999, 1500), fc.integer({ min: 1, max: 160_000 }).map((p) => p / 100)),
  item: fc.constantFrom(...ITEMS),
  approve: fc.boolean(),
}).map(({ invoiceId, amount, item, approve }) => ({
  accountId: INVOICES[invoiceId]!, invoiceId, amount, currency: 'INR', reason: approve ? 'overcharge' : 'other', ...(item ? { item } : {}),
}));

async function lookUp(app: FastifyInstance, invoiceId: string): Promise<InvoiceLookup> {
  const res = await app.inject({ method: 'GET', url: `/billing/invoices/${invoiceId}` });
  if (res.statusCode === 404) return { found: false };
  return invoiceLookupSchema.parse({ found: true, ...(res.json() as object) });
}

/** One problem as the workflow runs it, advanced one system call at a time by the scheduler. */
interface Sim {
  claims: BillingDisputeClaims;
  /** The approver's answer when one is needed (the claim's `reason` stands in for it). */
  approves: boolean;
  phase: 'read' | 'write' | 'done';
  decision?: Decision;
  attempts: number;
  result?: string;
}

async function step(app: FastifyInstance, sim: Sim, index: number): Promise<void> {
  if (sim.phase === 'read') {
    const invoice = await lookUp(app, sim.claims.invoiceId);
    sim.decision = decideBillingDispute({ claims: sim.claims, facts: { invoice } }, policy);
    if (sim.decision.kind !== 'execute' || (sim.decision.approval && !sim.approves)) {
      sim.phase = 'done';
      sim.result = sim.decision.reasonCode;
      return;
    }
    sim.phase = 'write';
    return;
  }
  if (sim.phase === 'write' && sim.decision?.kind === 'execute') {
    const credit = sim.decision.steps[0]!;
    const res = await app.inject({
      method: 'POST',
      url: '/billing/credits',
      headers: { 'idempotency-key': `sim-${index}/credit~${sim.attempts}` },
      payload: { ...credit.input, ...credit.guard },
    });
    const code = res.statusCode === 201 ? 'credited' : (res.json() as { error: { code: string } }).error.code;
    if (code === 'ledger_version_conflict' && sim.attempts < 20) {
      sim.attempts += 1;
      sim.phase = 'read';
      return;
    }
    sim.phase = 'done';
    sim.result = code;
  }
}

async function withBilling<T>(run: (app: FastifyInstance, db: SystemsDb) => Promise<T>): Promise<T> {
  const db = openSystemsDb(':memory:');
  seedExtra(db);
  const app = buildSystemsApp({ db });
  try {
    return await run(app, db);
  } finally {
    await app.close();
    db.close();
  }
}

describe('billing ledger: money never moves beyond policy across problems (property-based)', () => {
  test('any interleaving of problems on shared accounts and invoices keeps every invariant', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(claimArb, { minLength: 1, maxLength: 12 }), fc.array(fc.nat(), { minLength: 200, maxLength: 200 }), async (claims, schedule) => {
        await withBilling(async (app, db) => {
          const sims: Sim[] = claims.map((c) => ({ claims: c, approves: c.reason === 'overcharge', phase: 'read', attempts: 0 }));
          // The scheduler picks which open problem takes its next step; then every problem runs to its end.
          for (const pick of schedule) {
            const open = sims.filter((s) => s.phase !== 'done');
            if (open.length === 0) break;
            const sim = open[pick % open.length]!;
            await step(app, sim, sims.indexOf(sim));
          }
          for (const [i, sim] of sims.entries()) for (let n = 0; sim.phase !== 'done' && n < 100; n++) await step(app, sim, i);
          expect(sims.every((s) => s.phase === 'done')).toBe(true);
          expect(checkLedgerInvariants(db, limits)).toEqual([]);
          // A problem ends with a reason code a user can read, never a silently lost conflict.
          for (const s of sims) expect(s.result).toMatch(/^[a-z_]+$/);
        });
      }),
      { numRuns: 100 },
    );
  });

  test('billing alone refuses any credit beyond a line, beyond N−1 duplicates, or on a moved ledger', async () => {
    const request = fc.record({
      invoiceId: fc.constantFrom(...Object.keys(INVOICES)),
      lineNo: fc.integer({ min: 1, max: 4 }),
      amount: fc.integer({ min: 1, max: 160_000 }).map((p) => p / 100),
      kind: fc.constantFrom('automatic', 'approved'),
      freshVersion: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 25 }), async (requests) => {
        await withBilling(async (app, db) => {
          for (const [i, r] of requests.entries()) {
            const version = readInvoice(db, r.invoiceId)!.ledgerVersion;
            const res = await app.inject({
              method: 'POST',
              url: '/billing/credits',
              headers: { 'idempotency-key': `raw-${i}` },
              payload: { accountId: INVOICES[r.invoiceId], invoiceId: r.invoiceId, lineNo: r.lineNo, amount: r.amount, currency: 'INR', kind: r.kind, expectedLedgerVersion: r.freshVersion ? version : version + 1 },
            });
            if (!r.freshVersion) expect(res.json()).toMatchObject({ error: { code: expect.stringMatching(/ledger_version_conflict|line_not_found/) } });
            expect([201, 404, 409]).toContain(res.statusCode);
          }
          // Automatic limits are the workflow's policy; the hard limits hold whatever was sent.
          const hard = checkLedgerInvariants(db, { invoiceAutoMax: Infinity, accountAutoMax: Infinity, windowDays: 30 });
          expect(hard).toEqual([]);
        });
      }),
      { numRuns: 100 },
    );
  });
});

describe('billing ledger: the cases of the issue, on the seeded demo data', () => {
  const decideOn = async (app: FastifyInstance, claims: BillingDisputeClaims) => decideBillingDispute({ claims, facts: { invoice: await lookUp(app, claims.invoiceId) } }, policy);
  const credit = async (app: FastifyInstance, key: string, d: Decision) => {
    if (d.kind !== 'execute') throw new Error(`expected execute, got ${d.reasonCode}`);
    const s = d.steps[0]!;
    return app.inject({ method: 'POST', url: '/billing/credits', headers: { 'idempotency-key': key }, payload: { ...s.input, ...s.guard } });
  };
  const claim500 = { accountId: 'ACC-1001', invoiceId: 'INV-2001', amount: 500, currency: 'INR', reason: 'other', item: 'FIBER PLAN' } as const;
  const dup299 = { accountId: 'ACC-1002', invoiceId: 'INV-2002', amount: 299, currency: 'INR', reason: 'duplicate_charge', item: 'MOB-299' } as const;

  test('split claims: two ₹500 claims for the fiber plan decided at the same moment credit ₹500 once; the line cannot take the second', async () => {
    await withBilling(async (app) => {
      const [a, b] = [await decideOn(app, claim500), await decideOn(app, claim500)];
      expect(a).toMatchObject({ reasonCode: 'credit_within_auto_limit' });
      expect((await credit(app, 'a', a)).statusCode).toBe(201);
      const late = await credit(app, 'b', b);
      expect(late.json()).toMatchObject({ error: { code: 'ledger_version_conflict' } });
      expect(await decideOn(app, claim500)).toMatchObject({ kind: 'reject', reasonCode: 'amount_exceeds_remaining' });
    });
  });

  test('split claims: two ₹300 claims on one invoice: the second needs approval (₹500 automatic per invoice)', async () => {
    await withBilling(async (app) => {
      const claim300 = { ...claim500, amount: 300, item: undefined } as BillingDisputeClaims;
      const [a, b] = [await decideOn(app, claim300), await decideOn(app, claim300)];
      expect((await credit(app, 'a', a)).statusCode).toBe(201);
      expect((await credit(app, 'b', b)).json()).toMatchObject({ error: { code: 'ledger_version_conflict' } });
      expect(await decideOn(app, claim300)).toMatchObject({ reasonCode: 'auto_credit_invoice_total_reached', approval: { requiredApprovals: 1 }, steps: [{ input: { kind: 'approved' } }] });
    });
  });

  test('the same duplicate disputed twice, at the same moment: one credit; the genuine charge stays', async () => {
    await withBilling(async (app, db) => {
      const [a, b] = [await decideOn(app, dup299), await decideOn(app, dup299)];
      expect((await credit(app, 'a', a)).statusCode).toBe(201);
      expect((await credit(app, 'b', b)).json()).toMatchObject({ error: { code: 'ledger_version_conflict' } });
      expect(await decideOn(app, dup299)).toMatchObject({ kind: 'reject', reasonCode: 'duplicate_already_credited' });
      expect(readInvoice(db, 'INV-2002')!.lines.map((l) => l.creditedAmount)).toEqual([0, 299]);
    });
  });

  test('billing refuses the second duplicate credit itself, even with a fresh ledger version', async () => {
    await withBilling(async (app, db) => {
      expect((await credit(app, 'a', await decideOn(app, dup299))).statusCode).toBe(201);
      const version = readInvoice(db, 'INV-2002')!.ledgerVersion;
      const res = await app.inject({
        method: 'POST', url: '/billing/credits', headers: { 'idempotency-key': 'b' },
        payload: { accountId: 'ACC-1002', invoiceId: 'INV-2002', lineNo: 1, amount: 299, currency: 'INR', kind: 'approved', expectedLedgerVersion: version },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('duplicate_already_credited');
    });
  });

  test('a tiny credit does not move a later full claim onto another line', async () => {
    await withBilling(async (app, db) => {
      expect((await credit(app, 'a', await decideOn(app, { ...claim500, amount: 1 }))).json()).toMatchObject({ lineNo: 1, amount: 1 });
      expect(await decideOn(app, { ...claim500, amount: 999 })).toMatchObject({ kind: 'reject', reasonCode: 'amount_exceeds_remaining' });
      expect(await decideOn(app, { ...claim500, amount: 999, item: undefined } as BillingDisputeClaims)).toMatchObject({ kind: 'reject', reasonCode: 'amount_exceeds_remaining' });
      const version = readInvoice(db, 'INV-2001')!.ledgerVersion;
      const res = await app.inject({
        method: 'POST', url: '/billing/credits', headers: { 'idempotency-key': 'b' },
        payload: { accountId: 'ACC-1001', invoiceId: 'INV-2001', lineNo: 1, amount: 999, currency: 'INR', kind: 'approved', expectedLedgerVersion: version },
      });
      expect(res.json()).toMatchObject({ error: { code: 'amount_exceeds_remaining' } });
    });
  });
});

describe('billing ledger: older databases', () => {
  test('a credits table with one credit per line is migrated; its credits count as automatic', () => {
    const file = `/tmp/ledger-migrate-${process.pid}-${Date.now()}.db`;
    const old = openSystemsDb(file);
    old.exec(`DROP TABLE credits; CREATE TABLE credits (id TEXT PRIMARY KEY, invoice_id TEXT NOT NULL, line_no INTEGER NOT NULL, account_id TEXT NOT NULL,
      amount REAL NOT NULL, currency TEXT NOT NULL, created_at TEXT NOT NULL, UNIQUE (invoice_id, line_no));
      INSERT INTO credits VALUES ('CR-old', 'INV-2002', 2, 'ACC-1002', 299, 'INR', '${new Date().toISOString()}');`);
    old.close();
    const db = openSystemsDb(file);
    try {
      const invoice = readInvoice(db, 'INV-2002')!;
      expect(invoice.lines.map((l) => l.creditedAmount)).toEqual([0, 299]);
      expect(invoice.accountCredits).toEqual([expect.objectContaining({ creditId: 'CR-old', kind: 'automatic' })]);
      expect(invoice.ledgerVersion).toBe(1);
    } finally {
      db.close();
    }
  });
});
