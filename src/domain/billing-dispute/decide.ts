import { toPaise } from '../money';
import { step, type Decide } from '../plug-in';
import type { Decision } from '../types';
import type { BillingPolicy, InvoiceLookup } from './schema';
import { issueCredit } from './tools';
import type { billingVerification } from './verify';

type Invoice = Extract<InvoiceLookup, { found: true }>;
type InvoiceLine = Invoice['lines'][number];

const DAY_MS = 86_400_000;
const reject = (reasonCode: string, ruleId: string): Decision => ({ kind: 'reject', action: 'reject', reasonCode, ruleId });
const sumPaise = (amounts: number[]) => amounts.reduce((s, a) => s + toPaise(a), 0);

/** Plan words a customer uses for a line billed under a plan code. */
const PLAN_WORDS: [RegExp, string][] = [
  [/^fib(?:er|re)(?: plan)?$/, 'fiber-'],
  [/^mobile(?: plan)?$/, 'mob-'],
];

/** Whether a line is the item the customer names: its code or description, or its plan kind ("fiber plan"). */
function matchesItem(line: InvoiceLine, item: string): boolean {
  const description = line.description.toLowerCase();
  const named = item.trim().toLowerCase();
  if (description === named || description.includes(named)) return true;
  const prefix = PLAN_WORDS.find(([re]) => re.test(named))?.[1];
  return prefix !== undefined && description.startsWith(prefix);
}

/**
 * What a line can still take, in paise: its remaining charge, and in a duplicate-charge group
 * (the same item charged N times on the invoice) what is left of N−1 charges. Billing enforces
 * the same limits; deciding on them gives the user a reason code instead of a refused effect.
 */
function creditable(lines: InvoiceLine[], line: InvoiceLine): number {
  const own = toPaise(line.amount) - toPaise(line.creditedAmount);
  const group = lines.filter((l) => l.description.toLowerCase() === line.description.toLowerCase());
  if (group.length < 2) return Math.max(0, own);
  const left = sumPaise(group.map((l) => l.amount)) - Math.max(...group.map((l) => toPaise(l.amount))) - sumPaise(group.map((l) => l.creditedAmount));
  return Math.max(0, Math.min(own, left));
}

/**
 * Picks the line a claim is about, or says why none can take it. A line charged exactly the
 * claimed amount is the line meant (the last of a duplicate group that can still take it);
 * otherwise the line with the least remaining charge that covers the claim. Never another line
 * because the meant one was partly credited: a ₹999 claim on a ₹999 line with ₹1 credited is
 * refused, not moved onto a ₹1500 line.
 */
function pickLine(lines: InvoiceLine[], claimed: number): { line: InvoiceLine } | { reasonCode: string; ruleId: string } {
  if (!lines.some((l) => toPaise(l.amount) >= claimed)) return { reasonCode: 'amount_exceeds_charge', ruleId: 'BD-04' };
  const exact = lines.filter((l) => toPaise(l.amount) === claimed);
  const candidates = exact.length > 0 ? exact : lines.filter((l) => toPaise(l.amount) >= claimed);
  const open = candidates.filter((l) => creditable(lines, l) >= claimed);
  if (exact.length > 0 && open.length > 0) return { line: open[open.length - 1]! };
  if (open.length > 0) return { line: [...open].sort((a, b) => creditable(lines, a) - creditable(lines, b) || a.lineNo - b.lineNo)[0]! };
  // Why not: a line that could take it but for its duplicate group, every line credited in full, or too little left.
  if (candidates.some((l) => toPaise(l.amount) - toPaise(l.creditedAmount) >= claimed)) return { reasonCode: 'duplicate_already_credited', ruleId: 'BD-07' };
  if (candidates.every((l) => toPaise(l.creditedAmount) >= toPaise(l.amount))) return { reasonCode: 'already_credited', ruleId: 'BD-05' };
  return { reasonCode: 'amount_exceeds_remaining', ruleId: 'BD-08' };
}

/** Automatic credits so far: on this invoice, and on the account within the policy's rolling window. */
function automaticTotals(invoice: Invoice, policy: BillingPolicy): { invoice: number; account: number } {
  const since = Date.parse(invoice.asOf) - policy.autoCreditWindowDays * DAY_MS;
  const automatic = invoice.accountCredits.filter((c) => c.kind === 'automatic');
  return {
    invoice: sumPaise(automatic.filter((c) => c.invoiceId === invoice.invoiceId).map((c) => c.amount)),
    account: sumPaise(automatic.filter((c) => Date.parse(c.createdAt) > since).map((c) => c.amount)),
  };
}

/**
 * The invoice as today's lookup returns it. Facts recorded in the history of a problem that
 * started before billing returned ledger fields (a line was `credited: true|false`, no version,
 * no prior credits) read as what they said then: replaying such a problem decides as it did, and
 * its credit, if still to run, carries version 0, which billing refuses unless the ledger is
 * untouched, so the problem re-decides on fresh facts.
 */
function withLedgerFields(invoice: InvoiceLookup): InvoiceLookup {
  if (!invoice.found || 'ledgerVersion' in invoice) return invoice;
  const legacy = invoice as Omit<Invoice, 'lines' | 'ledgerVersion' | 'asOf' | 'accountCredits'> & { lines: (Omit<InvoiceLine, 'creditedAmount'> & { credited?: boolean })[] };
  return {
    ...legacy,
    lines: legacy.lines.map(({ credited, ...l }) => ({ ...l, creditedAmount: credited ? l.amount : 0 })),
    ledgerVersion: 0,
    asOf: new Date(0).toISOString(),
    accountCredits: [],
  };
}

/**
 * Decides a billing dispute from the invoice and the account's credits on record, never from
 * the claim alone. Rule ids are stable: audits and dashboards refer to them.
 */
export const decideBillingDispute: Decide<typeof billingVerification, BillingPolicy> = ({ claims, facts }, policy) => {
  const invoice = withLedgerFields(facts.invoice);
  if (claims.currency !== policy.currency) return reject('currency_mismatch', 'BD-01');
  if (!invoice.found) return reject('invoice_not_found', 'BD-02');
  if (invoice.accountId.toUpperCase() !== claims.accountId.toUpperCase()) return reject('invoice_account_mismatch', 'BD-03');
  if (invoice.currency !== policy.currency) return reject('currency_mismatch', 'BD-01');

  const lines = claims.item ? invoice.lines.filter((l) => matchesItem(l, claims.item!)) : invoice.lines;
  if (lines.length === 0) return reject('item_not_on_invoice', 'BD-09');
  const claimed = toPaise(claims.amount);
  const picked = pickLine(lines, claimed);
  if (!('line' in picked)) return reject(picked.reasonCode, picked.ruleId);
  const { line } = picked;
  if (claimed > toPaise(policy.creditMax)) return reject('amount_above_credit_limit', 'BD-06');

  const credit = (kind: 'automatic' | 'approved') => [
    step(issueCredit, {
      id: 'credit',
      input: { accountId: invoice.accountId, invoiceId: invoice.invoiceId, lineNo: line.lineNo, amount: claims.amount, currency: policy.currency, kind },
      // The concurrency token stays out of the approved action: a ledger that moved without
      // changing this decision does not need a new approval.
      guard: { expectedLedgerVersion: invoice.ledgerVersion },
      summary: `Credit ${invoice.invoiceId} line ${line.lineNo}`,
    }),
  ];
  const action = 'issue_credit';
  const group = policy.approverGroup ? { group: policy.approverGroup } : {};
  // Approval tiers add up per line, as automatic credits add up per invoice and account: two ₹4500
  // claims on one ₹9000 charge need two approvals between them, as one ₹9000 claim does. A claim
  // waiting while another is credited re-decides on the fresh ledger before its effect.
  const lineTotal = toPaise(line.creditedAmount) + claimed;
  const oneApproval = (reasonCode: string, ruleId: string): Decision =>
    lineTotal > toPaise(policy.singleApprovalMax)
      ? { kind: 'execute', action, reasonCode: 'line_credits_need_two_approvals', ruleId: 'BD-16', steps: credit('approved'), approval: { requiredApprovals: 2, ...group } }
      : { kind: 'execute', action, reasonCode, ruleId, steps: credit('approved'), approval: { requiredApprovals: 1, ...group } };
  if (claimed <= toPaise(policy.autoCreditMax)) {
    const prior = automaticTotals(invoice, policy);
    if (prior.invoice + claimed > toPaise(policy.autoCreditInvoiceMax)) return oneApproval('auto_credit_invoice_total_reached', 'BD-13');
    if (prior.account + claimed > toPaise(policy.autoCreditAccountMax)) return oneApproval('auto_credit_account_total_reached', 'BD-14');
    return { kind: 'execute', action, reasonCode: 'credit_within_auto_limit', ruleId: 'BD-10', steps: credit('automatic') };
  }
  if (claimed <= toPaise(policy.singleApprovalMax)) return oneApproval('credit_needs_approval', 'BD-11');
  return { kind: 'execute', action, reasonCode: 'credit_needs_two_approvals', ruleId: 'BD-12', steps: credit('approved'), approval: { requiredApprovals: 2, ...group } };
};
