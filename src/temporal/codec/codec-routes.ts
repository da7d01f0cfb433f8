import cors from '@fastify/cors';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../../api/errors';
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

/**
 * Codec server for the Temporal Web UI and CLI (`--ui-codec-endpoint http://<api>/codec`):
 * `POST /codec/encode` and `POST /codec/decode` in Temporal's JSON payloads format, CORS for the
 * UI's origin, and the API's bearer keys: only approvers and admins (auditors) may decode.
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

  const routeOptions = { preHandler: app.requireRole('approver', 'admin'), bodyLimit: CODEC_BODY_LIMIT, schema: { hide: true } };
  app.post('/codec/encode', routeOptions, run('encode'));
  app.post('/codec/decode', routeOptions, run('decode'));
};
