import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { TOKEN_LIMIT_REASON, tokenStanding, type PrincipalTokenBudget } from '../../../limits/principal-token-budget';
import { ApiError } from '../../errors';
import {
  approvalBody,
  clarificationBody,
  errorResponse,
  idempotencyHeaders,
  listProblemsQuery,
  listProblemsResponse,
  problemIdParams,
  problemView,
  submitProblemBody,
  submitProblemResponse,
} from '../../schemas';

const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse, 409: errorResponse, 503: errorResponse };
const links = (id: string) => ({ self: `/v1/problems/${id}`, audit: `/v1/problems/${id}/audit` });

/** Per-principal limits on submissions. */
export interface ProblemRoutesOptions {
  /** Problems one principal may submit a minute (SUBMISSIONS_PER_MINUTE); no such limit when absent. */
  submissionsPerMinute?: number;
  /** The daily LLM token allowance; a principal that spent it cannot submit until UTC midnight. */
  principalTokens?: PrincipalTokenBudget;
}

/** `/v1/problems`: submit, read, list, clarify, approve. */
export const problemRoutes: FastifyPluginAsyncZod<ProblemRoutesOptions> = async (app, opts) => {
  // Submissions per principal, counted on top of the per-key limit of every route (a route's own
  // `config.rateLimit` would replace that one, so this is a limiter of its own).
  const submissions = opts.submissionsPerMinute
    ? app.createRateLimit({ max: opts.submissionsPerMinute, timeWindow: '1 minute', keyGenerator: (req: FastifyRequest) => `submissions:${req.principal!.principal}` })
    : undefined;
  app.post('/v1/problems', {
    config: { roles: ['submitter'] },
    // After the key and role checks: the submission limit, then the day's LLM budget, before a workflow (and its model calls) starts.
    preHandler: async (req) => {
      const limited = await submissions?.(req);
      if (limited && !limited.isAllowed && limited.isExceeded) {
        const retryAfter = Math.max(1, limited.ttlInSeconds);
        throw new ApiError(429, 'submission_rate_limited', `too many problems submitted; retry in ${retryAfter} s`, [], { 'retry-after': String(retryAfter) });
      }
      if (!opts.principalTokens) return;
      const standing = tokenStanding(opts.principalTokens, req.principal!.principal);
      if (standing.exhausted) {
        throw new ApiError(429, TOKEN_LIMIT_REASON, 'the daily LLM token allowance of this key is spent; retry after midnight UTC', [], { 'retry-after': String(standing.retryAfterSeconds) });
      }
    },
    schema: {
      tags: ['problems'],
      operationId: 'submitProblem',
      summary: 'Submit a problem',
      description: 'Starts one workflow. With Idempotency-Key, the same key and body return the same id; another body is 409.',
      security: [{ bearer: [] }],
      headers: idempotencyHeaders,
      body: submitProblemBody,
      response: { 202: submitProblemResponse, 413: errorResponse, 429: errorResponse, ...errors },
    },
  }, async (req, reply) => {
    const { id, status, created } = await app.problems.submit(req.principal!, req.body, req.headers['idempotency-key']);
    reply.header('location', `/v1/problems/${id}`);
    if (!created) reply.header('idempotent-replayed', 'true');
    return reply.code(202).send({ id, status, links: links(id) });
  });

  app.get('/v1/problems', {
    config: { roles: ['submitter', 'approver', 'admin'] },
    schema: {
      tags: ['problems'],
      operationId: 'listProblems',
      summary: 'List problems (approvers and admins see all; submitters their own)',
      security: [{ bearer: [] }],
      querystring: listProblemsQuery,
      response: { 200: listProblemsResponse, ...errors },
    },
  }, async (req) => app.problems.list(req.principal!, req.query));

  app.get('/v1/problems/:id', {
    config: { roles: ['submitter', 'approver', 'admin'] },
    schema: {
      tags: ['problems'],
      operationId: 'getProblem',
      summary: 'Read a problem: status, entities, decision and outcome',
      security: [{ bearer: [] }],
      params: problemIdParams,
      response: { 200: problemView, ...errors },
    },
  }, async (req) => app.problems.get(req.params.id, req.principal!));

  app.post('/v1/problems/:id/clarifications', {
    config: { roles: ['submitter'] },
    schema: {
      tags: ['problems'],
      operationId: 'answerClarification',
      summary: 'Answer a clarification question (submitter of the problem only)',
      security: [{ bearer: [] }],
      params: problemIdParams,
      body: clarificationBody,
      response: { 202: problemView, 413: errorResponse, ...errors },
    },
  }, async (req, reply) => reply.code(202).send(await app.problems.clarify(req.params.id, req.principal!, req.body.text)));

  app.post('/v1/problems/:id/approvals', {
    config: { roles: ['approver'] },
    schema: {
      tags: ['approvals'],
      operationId: 'decideApproval',
      summary: 'Approve or reject the pending action, bound to its digest',
      security: [{ bearer: [] }],
      params: problemIdParams,
      body: approvalBody,
      response: { 200: problemView, 413: errorResponse, ...errors },
    },
  }, async (req) => {
    // A key scoped to accounts is checked against the problem's account first (403 account_not_entitled).
    if (req.principal!.accounts) await app.problems.get(req.params.id, req.principal!);
    return app.problems.approve(req.params.id, req.principal!, req.body);
  });
};
