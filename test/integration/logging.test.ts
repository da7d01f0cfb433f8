import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app';
import { createProblemService } from '../../src/api/problem-service';
import { DEV_API_KEYS } from '../../src/config';
import { createLogger } from '../../src/logger';
import { keys, startHarness, submit, waitForStatus, type Harness, testCommandSigner } from '../support/harness';

let h: Harness;
let app: FastifyInstance;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  h = await startHarness();
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  // An API with a real pino logger on the harness's Temporal client and task queue.
  const service = createProblemService({ client: h.client, taskQueue: h.taskQueue, namespace: 'default' , signCommand: testCommandSigner() });
  app = await buildApp({ apiKeys: DEV_API_KEYS, service, logger: createLogger({ level: 'info', name: 'api', destination }) });
});
afterAll(async () => {
  await app?.close();
  await h?.stop();
});

const TEXT = 'Hi, Kavya Rao here. I was charged twice for MOB-299 on invoice INV-2002, account ACC-1002. Please refund Rs 299.';

test('API log lines carry the request id and the workflow id, never the user text or the API key', async () => {
  const res = await submit(app, keys.alice, { text: TEXT }, { 'x-request-id': 'req-log-test-1' });
  expect(res.statusCode).toBe(202);
  expect(res.headers['x-request-id']).toBe('req-log-test-1');
  const { id } = res.json();
  await waitForStatus(app, keys.alice, id, ['completed']);

  const submitted = lines.filter((l) => l.reqId === 'req-log-test-1');
  expect(submitted.map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
  expect(submitted[1]).toMatchObject({ workflowId: id, res: { statusCode: 202 } });
  // The polls (GET /v1/problems/:id) are bound to the workflow too, each with a generated request id.
  const reads = lines.filter((l) => l.msg === 'request completed' && l.workflowId === id && l.reqId !== 'req-log-test-1');
  expect(reads.length).toBeGreaterThanOrEqual(1);
  for (const read of reads) expect(String(read.reqId)).toMatch(/^[0-9a-f-]{36}$/);

  const all = JSON.stringify(lines);
  for (const secret of ['Kavya', 'charged twice', keys.alice]) expect(all).not.toContain(secret);
});
