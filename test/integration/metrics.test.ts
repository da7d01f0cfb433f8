import { register } from 'prom-client';
import { freePort } from '../../scripts/lib/processes';
import { createLogger } from '../../src/logger';
import { startMetricsServer, type MetricsServer } from '../../src/observability/metrics-server';
import { installWorkerRuntime } from '../../src/observability/worker-runtime';
import { keys, startHarness, submit, waitForStatus, type Harness } from '../support/harness';
import { parsePrometheus, sampleValue } from '../support/prometheus';

let h: Harness;
let workerMetrics: MetricsServer;
let sdkMetricsUrl: string;

beforeAll(async () => {
  // Installed before the harness so the in-process worker exports Temporal SDK metrics, as worker-main does.
  const port = await freePort();
  installWorkerRuntime({ log: createLogger({ level: 'error', name: 'worker' }), metricsBindAddress: `127.0.0.1:${port}` });
  sdkMetricsUrl = `http://127.0.0.1:${port}/metrics`;
  h = await startHarness();
  workerMetrics = await startMetricsServer({ host: '127.0.0.1', port: 0, registries: [register] });
});
afterAll(async () => {
  await workerMetrics?.close();
  await h?.stop();
});

const apiMetrics = async () => {
  const res = await h.app.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  return parsePrometheus(res.body);
};
const scrape = async (url: string) => {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return res.text();
};

describe('/metrics after problems run', () => {
  test('API: latency by route and status, submissions by channel (replays not counted), approvals pending', async () => {
    const body = { text: 'I was charged twice for MOB-299 on invoice INV-2002, account ACC-1002. Please refund Rs 299.', channel: 'chat' };
    const first = await submit(h.app, keys.alice, body, { 'idempotency-key': 'metrics-1' });
    const replay = await submit(h.app, keys.alice, body, { 'idempotency-key': 'metrics-1' });
    expect([first.statusCode, replay.statusCode]).toEqual([202, 202]);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    await waitForStatus(h.app, keys.alice, first.json().id, ['completed']);
    const waiting = (await submit(h.app, keys.dave, { text: 'Account ACC-1001, invoice INV-2001: please credit Rs 999 for the fiber plan.', channel: 'email' })).json();
    await waitForStatus(h.app, keys.dave, waiting.id, ['awaiting_approval']);
    await h.app.inject({ method: 'GET', url: '/no/such/route' });

    const samples = await apiMetrics();
    expect(sampleValue(samples, 'http_request_duration_seconds_count', { method: 'POST', route: '/v1/problems', status_code: '202' })).toBe(3);
    expect(sampleValue(samples, 'http_request_duration_seconds_count', { method: 'GET', route: '/v1/problems/:id', status_code: '200' })).toBeGreaterThan(0);
    expect(sampleValue(samples, 'http_request_duration_seconds_bucket', { route: '/v1/problems', status_code: '202', le: '+Inf' })).toBe(3);
    expect(sampleValue(samples, 'http_request_duration_seconds_count', { route: 'unmatched', status_code: '404' })).toBe(1);
    expect(sampleValue(samples, 'problems_submitted_total', { channel: 'chat' })).toBe(1);
    expect(sampleValue(samples, 'problems_submitted_total', { channel: 'email' })).toBe(1);
    expect(sampleValue(samples, 'approvals_pending')).toBeGreaterThanOrEqual(1);
    // The API also serves the process's default registry (here: the in-process worker's series).
    expect(sampleValue(samples, 'activity_executions_total', { activity_type: 'extractProblem', outcome: 'completed' })).toBeGreaterThanOrEqual(2);
  });

  test('worker: activity outcomes by type (a transient failure counted as failed), extractions by type, decisions by reason code', async () => {
    h.systems.faults.configure({ failNext: [{ method: 'GET', pathPrefix: '/', status: 503, count: 1 }] });
    const { id } = (await submit(h.app, keys.alice, { text: 'I was charged twice for MOB-299 on invoice INV-2002, account ACC-1002. Please refund Rs 299.' })).json();
    const done = await waitForStatus(h.app, keys.alice, id, ['completed', 'failed', 'rejected']);
    const samples = parsePrometheus(await scrape(workerMetrics.url));
    const failed = samples.filter((s) => s.name === 'activity_executions_total' && s.labels.outcome === 'failed');
    expect(failed.reduce((n, s) => n + s.value, 0)).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, 'activity_executions_total', { activity_type: 'notify', outcome: 'completed' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, 'activity_duration_seconds_count', { activity_type: 'extractProblem', outcome: 'completed' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, 'problems_extracted_total', { type: 'billing_dispute', result: 'problem' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, 'problem_decisions_total', { status: done.status, reason_code: done.decision!.reasonCode })).toBeGreaterThanOrEqual(1);
  });

  test('worker: Temporal SDK runtime metrics are exported as Prometheus', async () => {
    const text = await scrape(sdkMetricsUrl);
    expect(text).toMatch(/^temporal_workflow_completed\{/m);
    expect(text).toMatch(/^temporal_activity_execution_latency\w*\{/m);
    expect(text).toMatch(/^temporal_worker_task_slots_available\{/m);
  });

  test('a failing metric never fails the request it measures', async () => {
    const observe = jest.spyOn(h.app.metrics.httpDuration, 'observe').mockImplementation(() => {
      throw new Error('metrics backend broken');
    });
    try {
      const res = await h.app.inject({ method: 'GET', url: '/healthz' });
      expect(res.statusCode).toBe(200);
      expect(observe).toHaveBeenCalled();
    } finally {
      observe.mockRestore();
    }
  });
});
