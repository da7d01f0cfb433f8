import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError } from '../../errors';
import type { PolicyService } from '../../policy-service';
import { errorResponse, policyResponse, simulationBody, simulationResponse } from '../../schemas';

const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 503: errorResponse };

/** `/v1/policy`: the policy in force, and what a candidate would have decided on past problems. */
export const policyRoutes: FastifyPluginAsyncZod<{ policy: PolicyService }> = async (app, { policy }) => {
  app.get('/v1/policy', {
    config: { roles: ['approver', 'admin'] },
    schema: {
      tags: ['policy'],
      operationId: 'getPolicy',
      summary: 'The policy in force, every type\'s section resolved (defaults filled in)',
      security: [{ bearer: [] }],
      response: { 200: policyResponse, ...errors },
    },
  }, async () => policy.current());

  app.post('/v1/policy/simulations', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['policy'],
      operationId: 'simulatePolicy',
      summary: 'What-if: replay past decisions over a candidate policy',
      description:
        'Validates `policy` exactly as POLICY_FILE is (400 `invalid_policy` with the failing paths), then replays the problems of the window that reached a decision: ' +
        'each one\'s last recorded decision input (claims, verified facts, scope) through today\'s decision code with the candidate\'s section. ' +
        'Read-only: no tool or model call, nothing waiting changes. `items` holds every changed decision plus every problem of `types`; ' +
        'problems that cannot be replayed are counted in `skipped` (`totals.skippedByReason`). Large sets run as a Temporal workflow (`mode: workflow`).',
      security: [{ bearer: [] }],
      body: simulationBody,
      response: { 200: simulationResponse, ...errors },
    },
  }, async (req) => {
    // A simulation reads the decisions of every account: a key scoped to some accounts may not run one.
    if (req.principal!.accounts) throw new ApiError(403, 'account_not_entitled', 'a key scoped to accounts cannot replay the decisions of every account');
    return policy.simulate(req.body);
  });
};
