import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../../src/config';
import { catalog } from '../../src/domain/registry';
import type { LlmProvider } from '../../src/llm/provider';
import { createRulesProvider } from '../../src/llm/rules-provider';
import { createExtractionWorker } from '../../src/temporal/worker';
import type { ProblemInput } from '../../workflows/definitions';
import { keys, startHarness, testCommandSigner, waitForStatus, type Harness } from '../support/harness';

/** EXTRACTION_TASK_QUEUE: extraction runs on model-hosting workers, everything else on the orchestration worker. */
const orchestrationLlm: LlmProvider = {
  name: 'orchestration',
  model: 'none',
  extract: async () => {
    throw ApplicationFailure.nonRetryable('the orchestration worker must not extract', 'WrongWorker');
  },
};

let h: Harness;
let connection: NativeConnection;
beforeAll(async () => {
  h = await startHarness({ llm: orchestrationLlm });
  connection = await NativeConnection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! });
});
afterAll(async () => {
  await h?.stop();
  await connection?.close();
});

test('a problem started with an extraction queue is extracted by the extraction worker only, and waits while none polls', async () => {
  const queue = `extraction-${randomUUID()}`;
  const config = loadConfig({ TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS, TEMPORAL_TASK_QUEUE: h.taskQueue, WORKER_DEPLOYMENT_NAME: h.taskQueue, EXTRACTION_TASK_QUEUE: queue, LOG_LEVEL: 'silent', NODE_ENV: 'test' });
  const rules = createRulesProvider(catalog);
  let extractions = 0;
  const llm: LlmProvider = { name: 'rules', model: 'rules-v1', extract: (request) => ((extractions += 1), rules.extract(request)) };

  const id = `prb_${ulid()}`;
  // Started as the API starts problems, signed (the workflow admits no other start).
  const input: ProblemInput = testCommandSigner()('start', id, {
    problemId: id,
    text: 'I was charged 299 twice on invoice INV-2002 for my mobile plan, account ACC-1002. Please refund Rs 299.',
    channel: 'api' as const,
    submittedBy: 'alice',
    requestDigest: 'test',
    extractionTaskQueue: queue,
  });
  await h.client.workflow.start('problemWorkflow', { workflowId: id, taskQueue: h.taskQueue, args: [input], memo: { requestDigest: 'test' } });
  // No extraction worker yet: the problem waits in `extracting` instead of failing.
  await waitForStatus(h.app, keys.alice, id, ['extracting']);
  await new Promise((r) => setTimeout(r, 1500));
  expect((await waitForStatus(h.app, keys.alice, id, ['extracting'])).status).toBe('extracting');

  const { worker } = await createExtractionWorker({ config, connection, deps: { catalog, llm, repairAttempts: 1, tokenBudget: 20_000 } });
  const running = worker.run();
  try {
    const done = await waitForStatus(h.app, keys.alice, id, ['completed', 'rejected', 'failed', 'needs_clarification', 'awaiting_approval']);
    expect(done).toMatchObject({ status: 'completed', type: 'billing_dispute', entities: { invoiceId: 'INV-2002', amount: 299 } });
    expect(extractions).toBe(1);
  } finally {
    worker.shutdown();
    await running;
  }
});
