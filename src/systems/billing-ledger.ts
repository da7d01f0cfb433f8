import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SystemsDb } from './db';
import { EffectError } from './idempotency';

/**
 * Billing's ledger: the last line of defence for money. Whatever a workflow decided, a credit
 * is refused here (atomically, inside the caller's SQLite transaction) when it would take a
 * line beyond its charge, a duplicate-charge group beyond N−1 charges, or when the account's
 * ledger moved since the caller read it (optimistic concurrency: the caller re-reads and
 * re-decides, so every interleaving equals a serial order).
 */

/** How far back an invoice lookup lists the account's credits (the longest policy window allowed). */
export const ACCOUNT_CREDIT_HISTORY_DAYS = 365;

const paise = (rupees: number) => Math.round(rupees * 100);
const rupees = (p: number) => Math.round(p) / 100;

/** A credit request as billing's API accepts it. */
export const creditRequestSchema = z.object({
  accountId: z.string(),
  invoiceId: z.string(),
  lineNo: z.number().int().positive(),
  amount: z.number().positive(),
  currency: z.string().length(3),
  /** `automatic` (within the auto-credit policy) or `approved` (after human approval): counted apart. */
  kind: z.enum(['automatic', 'approved']),
  /** The account's ledger version the decision was made on; a moved ledger is refused with 409. */
  expectedLedgerVersion: z.number().int().nonnegative(),
});
/** A credit request. */
export type CreditRequest = z.infer<typeof creditRequestSchema>;

/** A recorded credit. */
export interface CreditRecord {
  creditId: string;
  invoiceId: string;
  lineNo: number;
  amount: number;
  kind: 'automatic' | 'approved';
  createdAt: string;
}

/** An invoice as billing shows it: charged and credited amounts per line, and the account's credit history. */
export interface InvoiceView {
  invoiceId: string;
  accountId: string;
  period: string;
  currency: string;
  lines: { lineNo: number; description: string; amount: number; creditedAmount: number }[];
  /** Counts the account's credits: any credit on the account moves it. */
  ledgerVersion: number;
  /** Billing's clock when the view was read; rolling windows are measured back from it. */
  asOf: string;
  /** The account's credits of the last {@link ACCOUNT_CREDIT_HISTORY_DAYS} days, on any invoice. */
  accountCredits: CreditRecord[];
}

/**
 * Brings an older database to the ledger schema: credits lose the one-credit-per-line
 * constraint (partial credits add up) and gain their kind. Credits of an older database count
 * as automatic, which can only make the automatic limits stricter.
 */
export function migrateCredits(db: SystemsDb): void {
  const columns = db.prepare('PRAGMA table_info(credits)').all() as { name: string }[];
  if (!columns.some((c) => c.name === 'kind')) {
    db.transaction(() => {
    db.exec(`ALTER TABLE credits RENAME TO credits_before_ledger;
      CREATE TABLE credits (id TEXT PRIMARY KEY, invoice_id TEXT NOT NULL, line_no INTEGER NOT NULL, account_id TEXT NOT NULL,
        amount REAL NOT NULL, currency TEXT NOT NULL, kind TEXT NOT NULL, created_at TEXT NOT NULL);
      INSERT INTO credits SELECT id, invoice_id, line_no, account_id, amount, currency, 'automatic', created_at FROM credits_before_ledger;
      DROP TABLE credits_before_ledger;`);
    })();
  }
  db.exec('CREATE INDEX IF NOT EXISTS credits_by_account ON credits (account_id, created_at)');
}

interface CreditRow { id: string; invoice_id: string; line_no: number; amount: number; kind: 'automatic' | 'approved'; created_at: string }
const toRecord = (r: CreditRow): CreditRecord => ({ creditId: r.id, invoiceId: r.invoice_id, lineNo: r.line_no, amount: r.amount, kind: r.kind, createdAt: r.created_at });

/** The account's ledger version: the number of credits it ever received (credits are never deleted). */
function ledgerVersionOf(db: SystemsDb, accountId: string): number {
  return (db.prepare('SELECT count(*) AS n FROM credits WHERE account_id = ?').get(accountId) as { n: number }).n;
}

/** Reads an invoice with its ledger state, or `undefined` when billing has no such invoice. */
export function readInvoice(db: SystemsDb, id: string, now: Date = new Date()): InvoiceView | undefined {
  const invoice = db.prepare('SELECT id, account_id, period, currency FROM invoices WHERE upper(id) = upper(?)').get(id) as
    | { id: string; account_id: string; period: string; currency: string }
    | undefined;
  if (!invoice) return undefined;
  const lines = db
    .prepare(`SELECT l.line_no, l.description, l.amount,
                (SELECT coalesce(sum(c.amount), 0) FROM credits c WHERE c.invoice_id = l.invoice_id AND c.line_no = l.line_no) AS credited
              FROM invoice_lines l WHERE l.invoice_id = ? ORDER BY l.line_no`)
    .all(invoice.id) as { line_no: number; description: string; amount: number; credited: number }[];
  const since = new Date(now.getTime() - ACCOUNT_CREDIT_HISTORY_DAYS * 86_400_000).toISOString();
  const credits = db
    .prepare('SELECT id, invoice_id, line_no, amount, kind, created_at FROM credits WHERE account_id = ? AND created_at >= ? ORDER BY created_at, id')
    .all(invoice.account_id, since) as CreditRow[];
  return {
    invoiceId: invoice.id,
    accountId: invoice.account_id,
    period: invoice.period,
    currency: invoice.currency,
    lines: lines.map((l) => ({ lineNo: l.line_no, description: l.description, amount: l.amount, creditedAmount: rupees(paise(l.credited)) })),
    ledgerVersion: ledgerVersionOf(db, invoice.account_id),
    asOf: now.toISOString(),
    accountCredits: credits.map(toRecord),
  };
}

/**
 * Lines charged for the same item on one invoice (same description, case-insensitive): a
 * duplicate-charge group when it has two or more lines.
 */
export function duplicateGroupOf<L extends { lineNo: number; description: string }>(lines: L[], line: L): L[] {
  return lines.filter((l) => l.description.toLowerCase() === line.description.toLowerCase());
}

/**
 * What a line can still take, in paise: its own remaining charge, and in a duplicate-charge
 * group of N lines, what is left of N−1 charges (the largest charge of the group stays paid).
 */
export function creditableOf(lines: { lineNo: number; description: string; amount: number; creditedAmount: number }[], lineNo: number): number {
  const line = lines.find((l) => l.lineNo === lineNo);
  if (!line) return 0;
  const own = paise(line.amount) - paise(line.creditedAmount);
  const group = duplicateGroupOf(lines, line);
  if (group.length < 2) return Math.max(0, own);
  const charged = group.reduce((s, l) => s + paise(l.amount), 0);
  const credited = group.reduce((s, l) => s + paise(l.creditedAmount), 0);
  const largest = Math.max(...group.map((l) => paise(l.amount)));
  return Math.max(0, Math.min(own, charged - largest - credited));
}

/**
 * Records a credit, or throws `EffectError` (409 with a stable code) when the ledger cannot
 * take it. Call inside one SQLite transaction (`runIdempotent` opens an immediate one), so the
 * checks and the insert are atomic against every other writer.
 */
export function recordCredit(db: SystemsDb, input: CreditRequest, now: Date = new Date()): CreditRecord & { accountId: string; currency: string; ledgerVersion: number } {
  const invoice = readInvoice(db, input.invoiceId, now);
  if (!invoice) throw new EffectError(404, 'invoice_not_found', 'no such invoice');
  if (invoice.accountId !== input.accountId) throw new EffectError(409, 'invoice_account_mismatch', 'invoice belongs to another account');
  if (invoice.currency !== input.currency) throw new EffectError(409, 'currency_mismatch', 'credit currency differs from the invoice currency');
  const line = invoice.lines.find((l) => l.lineNo === input.lineNo);
  if (!line) throw new EffectError(404, 'line_not_found', 'no such invoice line');
  // A moved ledger first: the caller re-decides on fresh facts, as a serial order would have.
  if (invoice.ledgerVersion !== input.expectedLedgerVersion) {
    throw new EffectError(409, 'ledger_version_conflict', 'the account ledger changed since it was read; read it again and re-decide');
  }
  const amount = paise(input.amount);
  if (amount > paise(line.amount)) throw new EffectError(409, 'amount_exceeds_charge', 'credit exceeds the charged line');
  const own = paise(line.amount) - paise(line.creditedAmount);
  if (own <= 0) throw new EffectError(409, 'already_credited', 'this charge line is already credited in full');
  if (amount > own) throw new EffectError(409, 'amount_exceeds_remaining', 'credit exceeds what remains uncredited on the line');
  if (amount > creditableOf(invoice.lines, line.lineNo)) {
    throw new EffectError(409, 'duplicate_already_credited', 'the duplicate charges of this item are already credited; one charge stays');
  }
  const credit = { creditId: `CR-${randomUUID()}`, invoiceId: invoice.invoiceId, lineNo: line.lineNo, amount: input.amount, kind: input.kind, createdAt: now.toISOString() };
  db.prepare('INSERT INTO credits (id, invoice_id, line_no, account_id, amount, currency, kind, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    credit.creditId, credit.invoiceId, credit.lineNo, invoice.accountId, credit.amount, input.currency, credit.kind, credit.createdAt,
  );
  return { ...credit, accountId: invoice.accountId, currency: input.currency, ledgerVersion: invoice.ledgerVersion + 1 };
}

/** A broken money invariant found in the ledger. */
export interface LedgerViolation {
  invariant: 'line_over_charge' | 'duplicate_group_over_n_minus_1' | 'automatic_over_invoice_limit' | 'automatic_over_account_limit';
  ref: string;
  detail: string;
}

/**
 * Checks the whole ledger against the money invariants: no line credited beyond its charge,
 * no duplicate-charge group beyond N−1 charges, and automatic credits within the per-invoice
 * total and the per-account rolling window. Used by property tests and the drills.
 */
export function checkLedgerInvariants(db: SystemsDb, limits: { invoiceAutoMax: number; accountAutoMax: number; windowDays: number }): LedgerViolation[] {
  const violations: LedgerViolation[] = [];
  const invoices = db.prepare('SELECT DISTINCT invoice_id AS id FROM credits').all() as { id: string }[];
  for (const { id } of invoices) {
    const invoice = readInvoice(db, id)!;
    for (const line of invoice.lines) {
      if (paise(line.creditedAmount) > paise(line.amount)) violations.push({ invariant: 'line_over_charge', ref: `${id}#${line.lineNo}`, detail: `${line.creditedAmount} credited of ${line.amount}` });
    }
    const seen = new Set<string>();
    for (const line of invoice.lines) {
      const group = duplicateGroupOf(invoice.lines, line);
      const key = line.description.toLowerCase();
      if (group.length < 2 || seen.has(key)) continue;
      seen.add(key);
      const charged = group.reduce((s, l) => s + paise(l.amount), 0);
      const credited = group.reduce((s, l) => s + paise(l.creditedAmount), 0);
      const cap = charged - Math.max(...group.map((l) => paise(l.amount)));
      if (credited > cap) violations.push({ invariant: 'duplicate_group_over_n_minus_1', ref: `${id}:${line.description}`, detail: `${rupees(credited)} credited of ${group.length} charges` });
    }
  }
  const auto = db.prepare("SELECT invoice_id, account_id, amount, created_at FROM credits WHERE kind = 'automatic' ORDER BY created_at, id").all() as
    { invoice_id: string; account_id: string; amount: number; created_at: string }[];
  const perInvoice = new Map<string, number>();
  for (const c of auto) perInvoice.set(c.invoice_id, (perInvoice.get(c.invoice_id) ?? 0) + paise(c.amount));
  for (const [id, total] of perInvoice) {
    if (total > paise(limits.invoiceAutoMax)) violations.push({ invariant: 'automatic_over_invoice_limit', ref: id, detail: `${rupees(total)} automatic` });
  }
  const windowMs = limits.windowDays * 86_400_000;
  for (const [i, c] of auto.entries()) {
    // Every window that ends at a credit: the automatic total of the account inside it.
    const end = Date.parse(c.created_at);
    const total = auto.slice(0, i + 1).filter((o) => o.account_id === c.account_id && Date.parse(o.created_at) > end - windowMs).reduce((s, o) => s + paise(o.amount), 0);
    if (total > paise(limits.accountAutoMax)) {
      violations.push({ invariant: 'automatic_over_account_limit', ref: c.account_id, detail: `${rupees(total)} automatic in ${limits.windowDays} days` });
      break;
    }
  }
  return violations;
}
