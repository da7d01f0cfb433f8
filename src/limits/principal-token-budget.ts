import type { Config } from '../config';
import { openTokenLedger, type TokenLedger } from './token-ledger';

/** Reason code of a principal whose LLM tokens for the day are spent (API 429 and failed problems). */
export const TOKEN_LIMIT_REASON = 'llm_daily_token_limit_exceeded';

/** A daily LLM token allowance per principal over a shared ledger. */
export interface PrincipalTokenBudget {
  ledger: TokenLedger;
  /** Tokens a principal may spend per UTC day. */
  perDay: number;
  now?: () => Date;
}

/** Where a principal stands today: spent, and seconds until the allowance renews (UTC midnight). */
export function tokenStanding(budget: PrincipalTokenBudget, principal: string): { used: number; exhausted: boolean; retryAfterSeconds: number } {
  const now = (budget.now ?? (() => new Date()))();
  const used = budget.ledger.used(principal, utcDay(now));
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return { used, exhausted: used >= budget.perDay, retryAfterSeconds: Math.max(1, Math.ceil((midnight - now.getTime()) / 1000)) };
}

/** Charges `tokens` to `principal` for today. */
export function chargeTokens(budget: PrincipalTokenBudget, principal: string, tokens: number): number {
  return budget.ledger.charge(principal, utcDay((budget.now ?? (() => new Date()))()), tokens);
}

/** `YYYY-MM-DD` of a time, in UTC. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

/**
 * Each principal's daily LLM allowance (LLM_TOKENS_PER_DAY) over the ledger in DATA_DIR that the
 * API and the workers share; none for the offline rules (they spend no tokens) or when it is 0.
 */
export function principalTokenBudget(config: Config): PrincipalTokenBudget | undefined {
  if (config.llm.provider === 'rules' || config.limits.llmTokensPerDay === 0) return undefined;
  return { ledger: openTokenLedger(config.limits.ledgerFile), perDay: config.limits.llmTokensPerDay };
}
