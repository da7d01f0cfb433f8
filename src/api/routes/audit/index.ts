import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AuditService } from '../../../audit/audit-service';
import { auditQuery, auditResponse, errorResponse, problemIdParams } from '../../schemas';

const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse, 503: errorResponse };

/** `GET /v1/problems/:id/audit`: the problem's ordered steps, read from its Temporal history. */
export const auditRoutes: FastifyPluginAsyncZod<{ audit: AuditService }> = async (app, { audit }) => {
  app.get('/v1/problems/:id/audit', {
    config: { roles: ['approver', 'admin'] },
    schema: {
      tags: ['audit'],
      operationId: 'getProblemAudit',
      summary: 'Audit trail of a problem, reconstructed from its workflow history',
      description:
        'Ordered steps: extraction (provider, model, token usage, validation, repairs), verification (facts and the tools they came from), ' +
        'decision (rule id, policy version, reason code, input digest), approvals, clarifications, tool calls and compensations (idempotency key, attempts, result), ' +
        'timers fired and status changes. A running problem gives the steps so far. Pages with `limit` and `cursor`. Never the submitted text, prompts or model output.',
      security: [{ bearer: [] }],
      params: problemIdParams,
      querystring: auditQuery,
      response: { 200: auditResponse, ...errors },
    },
  }, async (req) => {
    // A key scoped to accounts reads the audit of its accounts' problems only.
    if (req.principal!.accounts) await app.problems.get(req.params.id, req.principal!);
    return audit.audit(req.params.id, req.query);
  });
};
