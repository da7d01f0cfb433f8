import { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

const PROBLEM_ID = /^prb_[0-9A-Za-z]{1,64}$/;

/** Fastify's own per-request log lines, off when requests are logged at debug by {@link logRequestsAt}. */
export function requestLogController(level: 'debug' | 'info' | undefined): LogController {
  return new LogController({ disableRequestLogging: level === 'debug' });
}

/**
 * Logs each request once, on completion, at `level`: with fastify's own request logs turned off
 * (`disableRequestLogging`), a development terminal shows what the processes do, not every request.
 */
export function logRequestsAt(app: FastifyInstance, level: 'debug' | 'info'): void {
  app.addHook('onResponse', async (req, reply) => {
    req.log[level]({ method: req.method, url: req.url, statusCode: reply.statusCode, responseTime: Math.round(reply.elapsedTime) }, 'request completed');
  });
}

/** Makes every later log line of this request (including "request completed") carry `workflowId`. */
function bindWorkflowId(req: FastifyRequest, reply: FastifyReply, workflowId: string): void {
  const child = req.log.child({ workflowId });
  req.log = child;
  reply.log = child;
}

/**
 * Log correlation: the request id (fastify's `reqId`, from `X-Request-Id` when sent) is echoed in
 * the `x-request-id` response header, and once a request concerns a problem its workflow id is
 * bound to the request's logger, so API log lines join the worker's (which carry `workflowId`).
 */
export const requestLoggingPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.addHook('preHandler', async (req, reply) => {
    const id = (req.params as { id?: unknown } | undefined)?.id;
    if (typeof id === 'string' && PROBLEM_ID.test(id)) bindWorkflowId(req, reply, id);
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.method !== 'POST' || req.routeOptions.url !== '/v1/problems' || reply.statusCode !== 202 || typeof payload !== 'string') return payload;
    try {
      const id = (JSON.parse(payload) as { id?: unknown }).id;
      if (typeof id === 'string' && PROBLEM_ID.test(id)) bindWorkflowId(req, reply, id);
    } catch {
      // not JSON: nothing to correlate
    }
    return payload;
  });
}, { name: 'request-logging' });
