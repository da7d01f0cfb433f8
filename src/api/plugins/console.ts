import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build:console` writes the console (vite build output). */
export const DEFAULT_CONSOLE_DIR = path.resolve('console/dist');

/** Options of {@link consolePlugin}; register it with `prefix: '/console'`. */
export interface ConsolePluginOptions {
  /** Folder of the built console; {@link DEFAULT_CONSOLE_DIR} by default. */
  root?: string;
  /** Base URL of Temporal Web UI, for the audit view's link to a workflow. */
  temporalUiUrl?: string;
  /** Temporal namespace of the problem workflows. */
  namespace?: string;
}

/** Vite names every built asset `<name>-<content hash>.<ext>`: safe to cache for a year. */
const HASHED_ASSET = /[-.][A-Za-z0-9_-]{8,}\.(?:js|css|woff2?|svg|png|jpg|webp)$/;

/**
 * Same-origin CSP for the console's pages: the bundle only talks to this API and loads nothing
 * from elsewhere (no CDN), so everything else is refused.
 */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/** The answer without a build: how to build it, without the server's file paths (the log has them). */
const NOT_BUILT_BODY = {
  error: {
    code: 'console_not_built',
    message: 'the web console is not built: run `npm run build:console` (npm start and npm test build it first), then reload',
    details: [],
  },
};

/**
 * Serves the web console (built static files) under `/console`, on the API's origin: hashed
 * assets are cached as immutable, `index.html` is revalidated and answers every client route
 * (`/console/problems/...`), `/console/config.json` carries deployment settings. Without a
 * build, `/console` answers 503 saying how to build it; the API itself is unaffected.
 */
export async function consolePlugin(app: FastifyInstance, opts: ConsolePluginOptions): Promise<void> {
  const root = opts.root ?? DEFAULT_CONSOLE_DIR;
  const settings = { temporalUiUrl: opts.temporalUiUrl ?? 'http://127.0.0.1:8233', namespace: opts.namespace ?? 'default' };

  app.get('/config.json', { schema: { hide: true } }, async (_req, reply) => reply.header('cache-control', 'no-cache').send(settings));

  if (!fs.existsSync(path.join(root, 'index.html'))) {
    app.log.warn({ root }, 'web console not built: /console answers 503 (run `npm run build:console`)');
    const notBuilt = async (_req: FastifyRequest, reply: FastifyReply) => reply.code(503).header('retry-after', '30').send(NOT_BUILT_BODY);
    app.get('/', { schema: { hide: true } }, notBuilt);
    app.get('/*', { schema: { hide: true } }, notBuilt);
    return;
  }

  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    index: false,
    wildcard: true,
    cacheControl: false,
    schemaHide: true,
    setHeaders(reply, filePath) {
      if (filePath.endsWith('.html')) {
        reply.header('cache-control', 'no-cache');
        reply.header('content-security-policy', CSP);
      } else if (HASHED_ASSET.test(path.basename(filePath))) {
        reply.header('cache-control', 'public, max-age=31536000, immutable');
      } else {
        reply.header('cache-control', 'no-cache');
      }
    },
  });

  const sendIndex = (_req: FastifyRequest, reply: FastifyReply) => reply.header('cache-control', 'no-cache').header('content-security-policy', CSP).sendFile('index.html');
  app.get('/', { schema: { hide: true } }, sendIndex);
  // Client routes have no file extension: they get the app shell; a missing asset stays a 404.
  app.setNotFoundHandler((req, reply) => {
    const pathname = req.url.split('?')[0] ?? '';
    if ((req.method === 'GET' || req.method === 'HEAD') && path.extname(pathname) === '') return sendIndex(req, reply);
    return reply.code(404).send({ error: { code: 'route_not_found', message: `no route ${req.method} ${pathname}`, details: [] } });
  });
}
