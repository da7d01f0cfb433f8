import cookie, { type FastifyCookieOptions } from '@fastify/cookie';
import cors from '@fastify/cors';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { ApiError } from '../../api/errors';
import { bearerKey } from '../../api/plugins/auth';
import { PayloadDecryptionError } from './encryption-codec';

/** Options of the codec server routes. */
export interface CodecRoutesOptions {
  /** The codec the worker uses; undefined when encryption is off (payloads then pass through). */
  codec: PayloadCodec | undefined;
  /** The namespace whose payloads this codec serves (the `X-Namespace` header must match when sent). */
  namespace: string;
  /** Browser origins allowed by CORS, i.e. the Temporal Web UI. */
  corsOrigins: string[];
}

/** Largest codec request; the Web UI sends a whole page of history payloads at once. */
export const CODEC_BODY_LIMIT = 4 * 1024 * 1024;

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');
/** Temporal's JSON form of payloads: metadata values and data are base64. */
const payloadsBody = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), base64).default({}), data: base64.default('') })),
});
type JsonPayload = z.infer<typeof payloadsBody>['payloads'][number];

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data, 'base64'),
});
const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

/** Cookie that carries an auditor's API key to the codec routes only (Web UI "include credentials"). */
export const CODEC_COOKIE = 'codec_key';
const COOKIE_MAX_AGE_S = 8 * 3600;

/** Sign-in attempts per minute per client address on `POST /codec/session` (it answers whether a key is valid). */
export const CODEC_SESSION_PER_MINUTE = 10;

/** The percent-decoded `codec_key` cookie; a malformed encoding is the client's error (400), not ours. */
function codecCookie(req: FastifyRequest): string | undefined {
  const raw = req.cookies[CODEC_COOKIE];
  if (!raw) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ApiError(400, 'invalid_cookie', `the ${CODEC_COOKIE} cookie is not valid percent-encoding`);
  }
}

/**
 * Lets a browser authenticate to `/codec/*` with the `codec_key` cookie instead of a bearer
 * header (the Temporal Web UI sends cookies when "include cross-origin credentials" is on, but
 * has no API key to send). Registered before the auth plugin, it turns the cookie into the
 * bearer header for codec routes only, so authentication stays in one place. Cookies are parsed
 * by @fastify/cookie, raw (its decoder swallows bad escapes), and decoded here.
 */
export const codecCookieAuthPlugin = fp(async (app: FastifyInstance) => {
  // `decode` is passed on to cookie.parse at run time; @fastify/cookie's typings only list serialize options.
  const raw = { decode: (value: string) => value } as unknown as FastifyCookieOptions['parseOptions'];
  await app.register(cookie, { parseOptions: raw });
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/codec/') || req.headers.authorization) return;
    const key = codecCookie(req);
    if (key) req.headers.authorization = `Bearer ${key}`;
  });
}, { name: 'codec-cookie-auth' });

/** A page where an auditor pastes an approver/admin key once; the browser then holds it as an HttpOnly cookie for /codec. */
const LOGIN_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Codec sign-in</title></head>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>Payload codec sign-in</h1>
<p>Paste an approver or admin API key. It is kept by this browser as an HttpOnly cookie sent only to <code>/codec</code>,
so the Temporal Web UI (codec endpoint <code>&lt;this origin&gt;/codec</code>, "Include cross-origin credentials" on) can decrypt payloads.</p>
<form id="f"><input id="k" type="password" size="40" autocomplete="off" placeholder="API key"> <button>Sign in</button></form>
<p id="r"></p>
<script>
document.getElementById('f').onsubmit = async (e) => {
  e.preventDefault();
  const res = await fetch('/codec/session', { method: 'POST', headers: { authorization: 'Bearer ' + document.getElementById('k').value } });
  document.getElementById('r').textContent = res.ok ? 'Signed in: reload the Web UI.' : 'Refused (' + res.status + '): an approver or admin key is required.';
};
</script></body></html>`;

/**
 * Sets (or clears) the codec cookie. `Secure` whenever the client reached us over TLS, which
 * behind a proxy is known from X-Forwarded-Proto only when TRUST_PROXY trusts that proxy.
 */
function setCodecCookie(req: FastifyRequest, reply: FastifyReply, value: string, maxAge: number): void {
  reply.setCookie(CODEC_COOKIE, value, { path: '/codec', httpOnly: true, sameSite: 'strict', maxAge, secure: req.protocol === 'https' });
}

/**
 * Codec server for the Temporal Web UI and CLI (`--ui-codec-endpoint http://<api>/codec`):
 * `POST /codec/encode` and `POST /codec/decode` in Temporal's JSON payloads format, CORS for the
 * UI's origin, and the API's bearer keys (or the `codec_key` cookie set by `POST /codec/session`,
 * see `GET /codec/login`): only approvers and admins (auditors) may encode or decode.
 * A payload that cannot be decrypted is a 422 naming the key, never garbage.
 */
export const codecRoutes: FastifyPluginAsync<CodecRoutesOptions> = async (app, opts) => {
  await app.register(cors, {
    origin: opts.corsOrigins,
    methods: ['POST', 'OPTIONS'],
    allowedHeaders: ['content-type', 'authorization', 'x-namespace'],
    credentials: true,
    maxAge: 600,
  });

  const run = (direction: 'encode' | 'decode') => async (req: FastifyRequest) => {
    const namespace = req.headers['x-namespace'];
    if (typeof namespace === 'string' && namespace !== opts.namespace) {
      throw new ApiError(400, 'namespace_not_served', `this codec serves namespace "${opts.namespace}", not "${namespace}"`);
    }
    const parsed = payloadsBody.safeParse(req.body);
    if (!parsed.success) {
      throw new ApiError(400, 'invalid_payloads', 'body must be {"payloads":[{"metadata":{<key>:<base64>},"data":<base64>}]}', parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
    }
    const payloads = parsed.data.payloads.map(fromJson);
    if (!opts.codec) return { payloads: payloads.map(toJson) };
    try {
      const out = direction === 'encode' ? await opts.codec.encode(payloads) : await opts.codec.decode(payloads);
      return { payloads: out.map(toJson) };
    } catch (err) {
      if (err instanceof PayloadDecryptionError) throw new ApiError(422, err.code, err.message, err.keyId ? [{ keyId: err.keyId }] : []);
      throw err;
    }
  };

  const routeOptions = { config: { roles: ['approver', 'admin'] as const }, bodyLimit: CODEC_BODY_LIMIT, schema: { hide: true } };
  app.post('/codec/encode', routeOptions, run('encode'));
  app.post('/codec/decode', routeOptions, run('decode'));

  app.get('/codec/login', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(LOGIN_PAGE));
  // Throttled per client address, whatever the key: each call says whether a key is valid.
  const sessionLimit = { max: CODEC_SESSION_PER_MINUTE, timeWindow: '1 minute', keyGenerator: (req: FastifyRequest) => `codec-session:${req.ip}` };
  app.post('/codec/session', { config: { roles: ['approver', 'admin'] as const, rateLimit: sessionLimit }, schema: { hide: true } }, async (req, reply) => {
    const key = bearerKey(req) ?? '';
    setCodecCookie(req, reply, key, COOKIE_MAX_AGE_S);
    return reply.code(204).send();
  });
  app.delete('/codec/session', { schema: { hide: true } }, async (req, reply) => {
    setCodecCookie(req, reply, '', 0);
    return reply.code(204).send();
  });
};
