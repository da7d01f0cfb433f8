/**
 * Plain words for the API's stable codes. Unknown codes fall back to the code itself with
 * underscores as spaces, so a new problem type or reason code still reads sensibly.
 */

const STATUS_WORDS: Record<string, string> = {
  received: 'Received',
  extracting: 'Reading the problem',
  needs_clarification: 'Needs your answer',
  awaiting_approval: 'Waiting for approval',
  executing: 'Carrying out the action',
  active: 'In effect until its follow-up',
  completed: 'Completed',
  rejected: 'Rejected',
  failed: 'Failed',
};

const REASON_WORDS: Record<string, string> = {
  credit_within_auto_limit: 'The disputed amount was verified and is within the automatic credit limit, so it is credited without approval.',
  credit_needs_approval: 'The disputed amount was verified; crediting it needs one approver.',
  credit_needs_two_approvals: 'The disputed amount was verified; crediting it needs two approvers.',
  amount_exceeds_charge: 'The amount claimed is more than the charge on the invoice.',
  amount_above_credit_limit: 'The amount is above the largest credit the policy allows.',
  invoice_not_found: 'No invoice with that number was found.',
  invoice_account_mismatch: 'The invoice belongs to another account.',
  line_not_found: 'No matching charge was found on the invoice.',
  already_credited: 'This charge has already been credited.',
  amount_exceeds_remaining: 'Part of this charge was already credited; the amount claimed is more than what remains.',
  duplicate_already_credited: 'The duplicate charge was already credited; the one genuine charge stays.',
  item_not_on_invoice: 'The invoice has no charge for the item named.',
  auto_credit_invoice_total_reached: 'Automatic credits on this invoice have reached their limit, so this credit needs an approver.',
  auto_credit_account_total_reached: 'Automatic credits on this account in the last 30 days have reached their limit, so this credit needs an approver.',
  ledger_contention: 'The account was changing too often to credit safely; nothing was credited. Please try again.',
  account_not_entitled: 'You may not act for that account.',
  account_differs_from_customer: 'The request names a different account from the one it was submitted for.',
  grant_not_found: 'The access grant was not found.',
  grant_mismatch: 'The access grant is not the one this request created.',
  account_not_found: 'No account with that number was found.',
  account_not_active: 'The account is not active.',
  currency_mismatch: 'The currency does not match the invoice.',
  unpaid_dues: 'The account has unpaid dues.',
  lock_in_active: 'The account is still in its lock-in period.',
  plan_not_found: 'That plan does not exist.',
  same_plan: 'The account is already on that plan.',
  plan_service_mismatch: 'That plan is for another kind of service.',
  plan_mismatch: 'The plan does not match the account.',
  eligible_plan_change: 'The account is eligible for the plan change.',
  effective_date_in_past: 'The requested date is in the past.',
  effective_date_too_far: 'The requested date is too far ahead.',
  service_not_on_account: 'The account does not have that service.',
  location_mismatch: 'The location does not match the account.',
  known_outage: 'There is a known outage in the area; the account is linked to it.',
  remote_fault_reset: 'A remote reset was scheduled for the line.',
  repeated_resets: 'The line was reset several times; a remote fix is arranged.',
  field_fault: 'A technician visit is needed.',
  intent_unknown: 'The problem could not be matched to a kind of request the system handles.',
  extraction_invalid: 'The problem could not be read reliably.',
  extraction_failed: 'The problem could not be read.',
  empty_text: 'The problem text was empty.',
  verification_failed: 'The facts could not be checked against the records.',
  downstream_unavailable: 'A system of record was unavailable.',
  tool_failed: 'An action failed.',
  tool_input_invalid: 'An action was given invalid input.',
  compensation_failed: 'An action failed and could not be fully undone.',
  approval_rejected: 'An approver rejected the action.',
  approval_timeout: 'Nobody approved the action in time.',
  llm_unavailable: 'The language model was unavailable.',
  llm_error: 'The language model returned an error.',
  llm_request_rejected: 'The language model refused the request.',
  token_budget_exceeded: 'The problem needed more model usage than allowed.',
  workflow_failed: 'The workflow failed.',
};

const ERROR_WORDS: Record<string, string> = {
  self_approval_forbidden: 'You submitted this problem yourself, so another approver must decide on it.',
  stale_action_digest: 'The action changed since this page showed it. The queue was refreshed: check the action again before you decide.',
  already_decided: 'You have already decided on this action.',
  not_awaiting_approval: 'This problem is no longer waiting for approval.',
  approver_group_required: 'This action needs an approver from another group.',
  approver_role_required: 'Your key does not have the approver role.',
  not_awaiting_clarification: 'This problem is no longer waiting for an answer.',
  not_submitter: 'Only the person who submitted this problem can answer.',
  idempotency_key_conflict: 'This submission clashed with an earlier one. Submit again.',
  rate_limited: 'Too many requests. Wait a moment and try again.',
  temporal_unavailable: 'The workflow service is unavailable right now.',
  forbidden: 'Your key is not allowed to do this.',
  problem_not_found: 'There is no such problem.',
  network_error: 'The API cannot be reached.',
  timeout: 'The API is too slow to answer.',
};

const humanize = (code: string) => code.replace(/_/g, ' ');

/** A status in words. */
export function statusWords(status: string | null | undefined): string {
  if (!status) return 'Unknown';
  return STATUS_WORDS[status] ?? humanize(status);
}

/** A reason code in words. */
export function reasonWords(code: string): string {
  return REASON_WORDS[code] ?? `${humanize(code[0]?.toUpperCase() + code.slice(1))}.`;
}

/** An API error code in words, or null when the API's own message says it best. */
export function errorWords(code: string): string | null {
  return ERROR_WORDS[code] ?? null;
}

/** A problem type, action or field name in words (`billing_dispute`, `creditId` → "billing dispute", "credit id"). */
export function nameWords(name: string | null | undefined): string {
  return name ? humanize(name).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() : 'not known yet';
}

/** A role list in words. */
export function rolesWords(roles: string[]): string {
  return roles.join(', ');
}

/** A point in time in the reader's locale. */
export function timeWords(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** "3 h 20 min" for a duration; "now" when it has passed. */
export function durationWords(ms: number): string {
  if (ms <= 0) return 'now';
  const minutes = Math.ceil(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${mins} min`;
  return `${mins} min`;
}

/** Amounts are INR with two decimals. */
export function moneyWords(value: unknown): string {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) ? `₹${n.toLocaleString('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}` : String(value);
}

/** Any value from an action's input or result, in short text. */
export function valueWords(key: string, value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (/amount|credit|refund|price|total/i.test(key) && (typeof value === 'number' || (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)))) return moneyWords(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
