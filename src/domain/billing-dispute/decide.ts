import { toPaise } from '../money';
import type { Decision, Facts } from '../types';
import type { BillingDisputeClaims, BillingPolicy, InvoiceLookup } from './schema';

type InvoiceLine = Extract<InvoiceLookup, { found: true }>['lines'][number];

const reject = (reasonCode: string, ruleId: string): Decision => ({ kind: 'reject', action: 'reject', reasonCode, ruleId });

/**
 * Picks the line a disputed amount refers to: an uncredited line of exactly that amount
 * (the last one, since a duplicate charge is the later line), else the smallest uncredited
 * line that covers it.
 */
function pickLine(lines: InvoiceLine[], claimed: number): InvoiceLine | undefined {
  const open = lines.filter((l) => !l.credited && toPaise(l.amount) >= claimed);
  const exact = open.filter((l) => toPaise(l.amount) === claimed);
  if (exact.length > 0) return exact[exact.length - 1];
  return [...open].sort((a, b) => a.amount - b.amount)[0];
}

/**
 * Decides a billing dispute from the invoice on record, never from the claim alone.
 * Rule ids are stable: audits and dashboards refer to them.
 */
export function decideBillingDispute(
  { claims, facts }: { claims: BillingDisputeClaims; facts: Facts },
  policy: BillingPolicy,
): Decision {
  const invoice = facts.invoice as InvoiceLookup;
  if (claims.currency !== policy.currency) return reject('currency_mismatch', 'BD-01');
  if (!invoice.found) return reject('invoice_not_found', 'BD-02');
  if (invoice.accountId.toUpperCase() !== claims.accountId.toUpperCase()) return reject('invoice_account_mismatch', 'BD-03');
  if (invoice.currency !== policy.currency) return reject('currency_mismatch', 'BD-01');

  const claimed = toPaise(claims.amount);
  if (!invoice.lines.some((l) => toPaise(l.amount) >= claimed)) return reject('amount_exceeds_charge', 'BD-04');
  const line = pickLine(invoice.lines, claimed);
  if (!line) return reject('already_credited', 'BD-05');
  if (claimed > toPaise(policy.creditMax)) return reject('amount_above_credit_limit', 'BD-06');

  const steps = [
    {
      id: 'credit',
      tool: 'issueCredit',
      input: { accountId: invoice.accountId, invoiceId: invoice.invoiceId, lineNo: line.lineNo, amount: claims.amount, currency: policy.currency },
      summary: `Credit ${invoice.invoiceId} line ${line.lineNo}`,
    },
  ];
  const action = 'issue_credit';
  const group = policy.approverGroup ? { group: policy.approverGroup } : {};
  if (claimed <= toPaise(policy.autoCreditMax)) {
    return { kind: 'execute', action, reasonCode: 'credit_within_auto_limit', ruleId: 'BD-10', steps };
  }
  if (claimed <= toPaise(policy.singleApprovalMax)) {
    return { kind: 'execute', action, reasonCode: 'credit_needs_approval', ruleId: 'BD-11', steps, approval: { requiredApprovals: 1, ...group } };
  }
  return { kind: 'execute', action, reasonCode: 'credit_needs_two_approvals', ruleId: 'BD-12', steps, approval: { requiredApprovals: 2, ...group } };
}
