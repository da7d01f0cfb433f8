import fs from 'node:fs';
import path from 'node:path';
import type { ExportResult } from '@opentelemetry/core';
import { InMemorySpanExporter, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { waitFor } from '../../scripts/lib/processes';
import { loadConfig } from '../../src/config';
import { setUpTracing, type Tracing } from '../../src/observability/tracing';
import { bundleWorkflows } from '../../src/temporal/workflow-bundle';
import { keys, startHarness, submit, waitForStatus, type Harness } from '../support/harness';

/** Records spans, or fails every export (a collector that is down) when `broken`. */
class SwitchableExporter implements SpanExporter {
  broken = false;
  readonly memory = new InMemorySpanExporter();
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (this.broken) throw new Error('collector unreachable');
    this.memory.export(spans, done);
  }
  async shutdown(): Promise<void> {
    await this.memory.shutdown();
  }
}

let h: Harness;
let tracing: Tracing;
const exporter = new SwitchableExporter();

beforeAll(async () => {
  // The prebuilt bundle every deployment runs (npm run bundle:workflows); workflow spans exist
  // only if it carries the interceptor module (the shared test bundle has none).
  const { code } = await bundleWorkflows();
  const bundlePath = path.join(process.env.TEST_TMP_DIR ?? '/tmp', `workflow-bundle-otel-${process.pid}.js`);
  fs.writeFileSync(bundlePath, code);
  tracing = setUpTracing({ config: loadConfig({}).tracing, serviceName: 'problems-test', exporter })!;
  h = await startHarness({ workflowBundlePath: bundlePath, tracing });
});
afterAll(async () => {
  await h?.stop();
  await tracing?.shutdown();
});

const TEXT = 'I was charged twice for MOB-299 on invoice INV-2002, account ACC-1002. Please refund Rs 299.';

describe('OpenTelemetry tracing API -> client -> workflow -> activities', () => {
  test('one trace links the HTTP request, the workflow start, the workflow run and its activities', async () => {
    const res = await submit(h.app, keys.alice, { text: TEXT }, { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
    expect(res.statusCode).toBe(202);
    await waitForStatus(h.app, keys.alice, res.json().id, ['completed']);
    const expected = ['POST /v1/problems', 'StartWorkflow:problemWorkflow', 'RunWorkflow:problemWorkflow', 'RunActivity:extractProblem', 'RunActivity:notify'];
    const traced = () => exporter.memory.getFinishedSpans().filter((s) => s.spanContext().traceId === '4bf92f3577b34da6a3ce929d0e0e4736');
    // The status reads "completed" a workflow task before the run ends (and its span is exported).
    await waitFor('the workflow run span', async () => {
      await tracing.spanProcessor.forceFlush();
      return expected.every((name) => traced().some((s) => s.name === name));
    }, 15_000, 200).catch(() => undefined);
    const spans = traced();
    const names = spans.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(expected));
    const http = spans.find((s) => s.name === 'POST /v1/problems')!;
    expect(http.attributes).toMatchObject({ 'http.route': '/v1/problems', 'http.response.status_code': 202 });
    expect(http.parentSpanId).toBe('00f067aa0ba902b7'); // continues the caller's traceparent
    const start = spans.find((s) => s.name === 'StartWorkflow:problemWorkflow')!;
    expect(start.parentSpanId).toBe(http.spanContext().spanId);
    // Spans carry no customer text.
    expect(JSON.stringify(spans.map((s) => s.attributes))).not.toContain('MOB-299');
  });

  test('a broken exporter loses spans, never a request or a workflow', async () => {
    exporter.broken = true;
    try {
      // (Another charge than TEXT's: its duplicate was refunded by the previous test, once.)
      const res = await submit(h.app, keys.alice, { text: 'Account ACC-1001, invoice INV-2001: I was overcharged, please refund Rs 100.' });
      expect(res.statusCode).toBe(202);
      const done = await waitForStatus(h.app, keys.alice, res.json().id, ['completed', 'failed', 'rejected']);
      expect(done.status).toBe('completed');
      // The export did fail (an explicit flush reports it); nothing else noticed.
      await expect(tracing.spanProcessor.forceFlush()).rejects.toThrow('collector unreachable');
    } finally {
      exporter.broken = false;
    }
  });
});
