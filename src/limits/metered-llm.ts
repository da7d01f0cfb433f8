import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { LlmProvider } from '../llm/provider';
import { problemSearchAttributes } from '../temporal/search-attributes';
import { chargeTokens, TOKEN_LIMIT_REASON, tokenStanding, type PrincipalTokenBudget } from './principal-token-budget';

/** Rough tokens of a prompt that failed before the model reported usage: 4 characters a token. */
const estimateTokens = (texts: string[]) => Math.ceil(texts.reduce((n, t) => n + t.length, 0) / 4);

/**
 * The provider, charged to `principal`'s daily token ledger: the day's budget is checked before
 * every call (repairs included) and each call is charged with what it cost, a failed call with an
 * estimate of its prompt, so retries and invalid answers count. Refusal is a non-retryable
 * `PrincipalTokenLimitExceeded` with reason code `llm_daily_token_limit_exceeded`.
 */
export function meteredProvider(llm: LlmProvider, budget: PrincipalTokenBudget, principal: string): LlmProvider {
  return {
    name: llm.name,
    model: llm.model,
    async extract(request) {
      if (tokenStanding(budget, principal).exhausted) {
        throw ApplicationFailure.nonRetryable(`daily LLM token limit of ${budget.perDay} reached`, 'PrincipalTokenLimitExceeded', { reasonCode: TOKEN_LIMIT_REASON });
      }
      let answer;
      try {
        answer = await llm.extract(request);
      } catch (err) {
        chargeTokens(budget, principal, estimateTokens(request.texts));
        throw err;
      }
      chargeTokens(budget, principal, answer.usage.promptTokens + answer.usage.completionTokens);
      return answer;
    },
  };
}

/** The principal who submitted the running activity's problem (its `SubmittedBy` search attribute). */
export async function submitterOfCurrentProblem(): Promise<string> {
  const ctx = Context.current();
  const workflowId = ctx.info.workflowExecution?.workflowId;
  if (!workflowId) return '(unattributed)';
  const description = await ctx.client.workflow.getHandle(workflowId).describe();
  // Problems are started by the API, which always sets it; anything else shares one budget.
  return description.typedSearchAttributes.get(problemSearchAttributes.submittedBy) ?? '(unattributed)';
}
