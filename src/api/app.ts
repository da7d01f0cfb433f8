import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AuditService } from '../audit/audit-service';
import type { Tracer } from '@opentelemetry/api';
import type { ApiKeyEntry } from '../config';
import { metricsPlugin, type MetricsPluginOptions } from '../observability/metrics-plugin';
import { logRequestsAt, requestLogController, requestLoggingPlugin } from '../observability/request-logging';
import { tracingPlugin } from '../observability/tracing-plugin';
import { codecCookieAuthPlugin, codecRoutes, type CodecRoutesOptions } from '../temporal/codec/codec-routes';
import { catalog, type Catalog } from '../domain/registry';
import type { Logger } from '../logger';
import { authPlugin } from './plugins/auth';
import { consolePlugin, type ConsolePluginOptions } from './plugins/console';
import { openApiOptions } from './openapi';
import { SECURITY_HEADERS, errorHandlerPlugin, frameworkErrorReply } from './plugins/error-handler';
import { outcomeGuardPlugin } from './plugins/outcome-guard';
import { problemsPlugin } from './plugins/problems';
import type { PolicyService } from './policy-service';
import type { ProblemService } from './problem-service';
import { approvalRoutes } from './routes/approvals';
import { auditRoutes } from './routes/audit';
import { healthRoutes } from './routes/health';
import { policyRoutes } from './routes/policy';
import { problemRoutes, type ProblemRoutesOptions } from './routes/problems';

/** Largest request body accepted (the contract's 16 KiB). */
export const BODY_LIMIT = 16 * 1024;

/** What the app needs; tests pass a service bound to their own dev server. */
export interface BuildAppOptions {
  apiKeys: ApiKeyEntry[];
  service: ProblemService;
  /** Audit trails from workflow histories; `GET /v1/problems/:id/audit` is served when given. */
  audit?: AuditService;
  /** The policy in force and its what-if; `/v1/policy` is served when given. */
  policy?: PolicyService;
  /** Closes the Temporal connection when the app closes. */
  close?: () => Promise<void>;
  logger?: Logger | false;
  /** Level of the one line logged per request: `debug` in a development terminal, `info` (JSON) otherwise. */
  requestLogLevel?: 'debug' | 'info';
  rateLimitPerMinute?: number;
  /** Per-principal limits on `POST /v1/problems`: submissions a minute and the LLM token ledger. */
  limits?: ProblemRoutesOptions;
  /** Fastify `trustProxy` (TRUST_PROXY): which proxies' X-Forwarded-For/Proto to believe. */
  trustProxy?: boolean | string;
  /** `GET /metrics`: the approvals_pending source and extra registries to serve. */
  metrics?: MetricsPluginOptions;
  /** OpenTelemetry tracer for request spans (OTEL_EXPORTER); no spans when undefined. */
  tracer?: Tracer;
  /** Codec server for the Temporal Web UI (`/codec/encode`, `/codec/decode`); not served when undefined. */
  codec?: CodecRoutesOptions;
  /** The web console under `/console` (built files folder, Temporal Web UI link). */
  console?: ConsolePluginOptions;
  /** The problem types the OpenAPI document lists (type enum, claims schemas); the registered catalog when absent. */
  catalog?: Catalog;
}

/** Builds the HTTP API (plugins, routes, one error handler); `server.ts` only listens. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: (options.logger || undefined) as FastifyBaseLogger | undefined,
    bodyLimit: BODY_LIMIT,
    genReqId: (req) => (typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id'].length <= 128 ? req.headers['x-request-id'] : crypto.randomUUID()),
    requestIdHeader: false,
    logController: requestLogController(options.requestLogLevel),
    trustProxy: options.trustProxy ?? false,
    frameworkErrors: frameworkErrorReply,
  }).withTypeProvider<ZodTypeProvider>();
  if (options.requestLogLevel === 'debug') logRequestsAt(app, 'debug');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  if (options.tracer) await app.register(tracingPlugin, { tracer: options.tracer });
  await app.register(requestLoggingPlugin);
  if (options.codec) await app.register(codecCookieAuthPlugin);
  await app.register(metricsPlugin, options.metrics ?? {});
  await app.register(errorHandlerPlugin);
  await app.register(outcomeGuardPlugin);
  await app.register(helmet, SECURITY_HEADERS);
  await app.register(swagger, openApiOptions(options.catalog ?? catalog));
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // Both run in each protected route's onRequest, rate limit first (so guessing keys is throttled
  // too), before the body is parsed. Callers are identified by key in the global onRequest of auth.
  await app.register(rateLimit, {
    max: options.rateLimitPerMinute ?? 600,
    timeWindow: '1 minute',
    keyGenerator: (req) => req.principal?.principal ?? req.ip,
    allowList: (req) => !req.routeOptions.config.roles,
  });
  await app.register(authPlugin, { keys: options.apiKeys });
  await app.register(problemsPlugin, { service: options.service, close: options.close });
  await app.register(healthRoutes);
  await app.register(problemRoutes, options.limits ?? {});
  await app.register(approvalRoutes);
  if (options.codec) await app.register(codecRoutes, options.codec);
  if (options.audit) await app.register(auditRoutes, { audit: options.audit });
  if (options.policy) await app.register(policyRoutes, { policy: options.policy });
  await app.register(consolePlugin, { ...options.console, prefix: '/console' });
  return app;
}
