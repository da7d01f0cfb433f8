import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ProblemService } from '../problem-service';

declare module 'fastify' {
  interface FastifyInstance {
    /** The Temporal-backed problem service. */
    problems: ProblemService;
  }
}

/** Decorates the app with the problem service and closes its Temporal connection on close. */
export const problemsPlugin = fp(async (app: FastifyInstance, opts: { service: ProblemService; close?: () => Promise<void> }) => {
  app.decorate('problems', opts.service);
  if (opts.close) app.addHook('onClose', opts.close);
}, { name: 'problems' });
