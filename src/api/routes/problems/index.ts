import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
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

/** `/v1/problems`: submit, read, list, clarify, approve. */
export const problemRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/v1/problems', {
    preHandler: app.requireRole('submitter'),
    schema: {
      tags: ['problems'],
      summary: 'Submit a problem',
      description: 'Starts one workflow. With Idempotency-Key, the same key and body return the same id; another body is 409.',
      security: [{ bearer: [] }],
      headers: idempotencyHeaders,
      body: submitProblemBody,
      response: { 202: submitProblemResponse, 413: errorResponse, ...errors },
    },
  }, async (req, reply) => {
    const { id, status, created } = await app.problems.submit(req.principal!, req.body, req.headers['idempotency-key']);
    reply.header('location', `/v1/problems/${id}`);
    if (!created) reply.header('idempotent-replayed', 'true');
    return reply.code(202).send({ id, status, links: links(id) });
  });

  app.get('/v1/problems', {
    preHandler: app.requireRole('submitter', 'approver', 'admin'),
    schema: {
      tags: ['problems'],
      summary: 'List problems (approvers and admins see all; submitters their own)',
      security: [{ bearer: [] }],
      querystring: listProblemsQuery,
      response: { 200: listProblemsResponse, ...errors },
    },
  }, async (req) => app.problems.list(req.principal!, req.query));

  app.get('/v1/problems/:id', {
    preHandler: app.requireRole('submitter', 'approver', 'admin'),
    schema: {
      tags: ['problems'],
      summary: 'Read a problem: status, entities, decision and outcome',
      security: [{ bearer: [] }],
      params: problemIdParams,
      response: { 200: problemView, ...errors },
    },
  }, async (req) => app.problems.get(req.params.id, req.principal!));

  app.post('/v1/problems/:id/clarifications', {
    preHandler: app.requireRole('submitter'),
    schema: {
      tags: ['problems'],
      summary: 'Answer a clarification question (submitter of the problem only)',
      security: [{ bearer: [] }],
      params: problemIdParams,
      body: clarificationBody,
      response: { 202: problemView, 413: errorResponse, ...errors },
    },
  }, async (req, reply) => reply.code(202).send(await app.problems.clarify(req.params.id, req.principal!, req.body.text)));

  app.post('/v1/problems/:id/approvals', {
    preHandler: app.requireRole('approver'),
    schema: {
      tags: ['approvals'],
      summary: 'Approve or reject the pending action, bound to its digest',
      security: [{ bearer: [] }],
      params: problemIdParams,
      body: approvalBody,
      response: { 200: problemView, 413: errorResponse, ...errors },
    },
  }, async (req) => app.problems.approve(req.params.id, req.principal!, req.body));
};
