import { context, propagation, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { safely } from './safely';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's server span, when tracing is on. */
    span?: Span;
  }
}

/**
 * A server span per HTTP request (continuing an incoming `traceparent`), made the active
 * context for the hooks and handler, so the Temporal client interceptor links workflow starts,
 * updates and queries to it. Span bookkeeping never fails a request.
 */
export const tracingPlugin = fp(async (app: FastifyInstance, opts: { tracer: Tracer }) => {
  app.addHook('onRequest', (req, _reply, done) => {
    let span: Span | undefined;
    let ctx = context.active();
    safely('request span', () => {
      const parent = propagation.extract(context.active(), req.headers);
      span = opts.tracer.startSpan(`HTTP ${req.method}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'http.request.id': req.id } }, parent);
      ctx = trace.setSpan(parent, span);
      req.span = span;
    }, (o, m) => req.log.warn(o, m));
    // Hooks and the handler run from `done`, so they inherit this context.
    context.with(ctx, done);
  });
  app.addHook('onResponse', async (req, reply) => {
    safely('request span', () => {
      const span = req.span;
      if (!span) return;
      const route = req.routeOptions.url ?? 'unmatched';
      span.updateName(`${req.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': reply.statusCode });
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }, (o, m) => req.log.warn(o, m));
  });
}, { name: 'tracing' });
