import type { Facts } from './types';

/** Who a problem is acted on behalf of, as the API authenticated it (never from the text). */
export interface ActingScope {
  /** Accounts the submitting principal may act for; absent = every account (support staff). */
  accounts?: string[];
  /** The account the submission was made for (`customerId`), if any. */
  customerId?: string;
}

/** Why a problem may not act on the accounts it names, or `null` when it may. */
export type ScopeVerdict = null | { kind: 'reject'; reasonCode: 'account_not_entitled' } | { kind: 'clarify'; reasonCode: 'account_differs_from_customer'; accountId: string };

const ACCOUNT_ID = /^ACC-\d{3,10}$/i;

/**
 * Every account a problem touches: the one its claims name and the ones its verified facts
 * belong to (e.g. the invoice's account from billing). Generic over problem types: any claim or
 * fact field named `accountId`.
 */
export function accountsTouched(claims: Record<string, unknown>, facts: Facts): string[] {
  const found = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string' && ACCOUNT_ID.test(v)) found.add(v.toUpperCase());
  };
  add(claims.accountId);
  for (const fact of Object.values(facts)) if (fact && typeof fact === 'object') add((fact as Record<string, unknown>).accountId);
  return [...found].sort();
}

/** Whether every one of `accounts` is in `scope` (account ids compare case-insensitively); an absent scope is every account. */
export function withinScope(scope: readonly string[] | null | undefined, accounts: readonly string[]): boolean {
  return !scope || accounts.every((a) => scope.some((s) => s.toUpperCase() === a.toUpperCase()));
}

/**
 * Checks the accounts a problem touches against the submitter's scope: an account outside it is
 * refused (`account_not_entitled`), and an account other than the submission's `customerId`
 * is not acted on without the submitter clarifying it.
 */
export function checkAccountScope(scope: ActingScope, accounts: string[]): ScopeVerdict {
  if (!withinScope(scope.accounts, accounts)) return { kind: 'reject', reasonCode: 'account_not_entitled' };
  const customer = scope.customerId?.toUpperCase();
  const other = customer ? accounts.find((a) => a !== customer) : undefined;
  return other ? { kind: 'clarify', reasonCode: 'account_differs_from_customer', accountId: other } : null;
}
