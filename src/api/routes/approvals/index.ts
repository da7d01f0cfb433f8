import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponse, pendingApprovalsQuery, pendingApprovalsResponse } from '../../schemas';

/** `/v1/approvals`: the queue of actions waiting for a person. */
export const approvalRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/approvals', {
    config: { roles: ['approver'] },
    schema: {
      tags: ['approvals'],
      operationId: 'listPendingApprovals',
      summary: 'Pending approvals, one visibility page, most recent first, each with the exact action, its digest and the evidence',
      security: [{ bearer: [] }],
      querystring: pendingApprovalsQuery,
      response: { 200: pendingApprovalsResponse, 400: errorResponse, 401: errorResponse, 403: errorResponse, 503: errorResponse },
    },
  }, async (req) => app.problems.pendingApprovals(req.principal!, req.query.limit, req.query.cursor));
};
