import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { ApiError, isTemporalUnavailable } from '../errors';

const body = (code: string, message: string, details: unknown[] = []) => ({ error: { code, message, details } });

/** Fastify's own client errors, mapped to stable codes. */
const FASTIFY_CODES: Record<string, [number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body_too_large'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'empty_body'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_content_length'],
  FST_ERR_VALIDATION: [400, 'invalid_request'],
};

/** Errors fastify raises before routing, in its contract shape (as the route's own checks would answer). */
const FRAMEWORK_CODES: Record<string, [number, string, string]> = {
  FST_ERR_BAD_URL: [400, 'invalid_url', 'the URL is not valid: a percent-encoding is malformed'],
  // find-my-way refuses a path parameter over its maximum length: an id no route accepts.
  FST_ERR_MAX_PARAM_LENGTH: [400, 'invalid_params', 'a path parameter is too long'],
};

/** The security headers of every answer (@fastify/helmet's options, and helmet's own for answers given before routing). */
export const SECURITY_HEADERS: HelmetOptions = { contentSecurityPolicy: false };
const securityHeaders = helmet(SECURITY_HEADERS);

/**
 * Fastify's `frameworkErrors`: a URL that cannot be routed (bad percent-encoding, an overlong
 * parameter) answers with the one error body and the security headers, not fastify's default
 * shape; like an unknown route, it needs no key (no route, no roles). Fastify runs no hooks for
 * it, so helmet's headers are set here.
 */
export function frameworkErrorReply(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const [status, code, message] = FRAMEWORK_CODES[err.code] ?? [400, 'bad_request', 'the request is invalid'];
  securityHeaders(req.raw, reply.raw, () => void reply.code(status).send(body(code, message)));
}

/**
 * The one error handler: domain errors keep their status and code, validation errors list
 * the offending fields, Temporal outages are 503, anything else is a 500 without internals.
 */
export const errorHandlerPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof ApiError) return reply.code(err.status).headers(err.headers).send(body(err.code, err.message, err.details));
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => ({ path: v.instancePath || '/', message: v.message }));
      const where = err.validationContext ?? 'request';
      return reply.code(400).send(body(`invalid_${where}`, `the ${where} is invalid`, details));
    }
    if (err.statusCode === 429) return reply.code(429).send(body('rate_limited', err.message));
    const known = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (known) return reply.code(known[0]).send(body(known[1], err.message));
    if (isTemporalUnavailable(err)) {
      req.log.warn({ err }, 'temporal unavailable');
      return reply.code(503).header('retry-after', '5').send(body('temporal_unavailable', 'the workflow service is unavailable; retry shortly'));
    }
    if (isResponseSerializationError(err)) req.log.error({ err }, 'response does not match its schema');
    else req.log.error({ err }, 'unhandled error');
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return reply.code(err.statusCode).send(body('bad_request', err.message));
    return reply.code(500).send(body('internal_error', 'internal error'));
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send(body('route_not_found', `no route ${req.method} ${req.url.split('?')[0]}`)));
}, { name: 'error-handler' });
