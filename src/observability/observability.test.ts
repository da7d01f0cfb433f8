import type { Context as ActivityContext } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { ActivityExecuteInput } from '@temporalio/worker';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { Registry } from 'prom-client';
import { MetricsActivityInboundInterceptor } from './metrics-interceptor';
import { cachedCount } from './pending-approvals';
import { SafeSpanExporter } from './tracing';
import { workerMetrics, type WorkerMetrics } from './worker-metrics';

const ctx = (activityType: string) => ({ info: { activityType } }) as unknown as ActivityContext;
const input = (...args: unknown[]) => ({ args, headers: {} }) as unknown as ActivityExecuteInput;
const value = async (registry: Registry, name: string, labels: Record<string, string>) =>
  (await registry.getSingleMetric(name)!.get()).values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;

describe('activity metrics interceptor', () => {
  test('counts outcomes by type, extractions by problem type and finished problems by reason code', async () => {
    const registry = new Registry();
    const metrics = workerMetrics(registry);
    await new MetricsActivityInboundInterceptor(ctx('extractProblem'), metrics).execute(input({}), async () => ({ kind: 'problem', type: 'billing_dispute' }));
    await new MetricsActivityInboundInterceptor(ctx('extractProblem'), metrics).execute(input({}), async () => ({ kind: 'clarify', reasonCode: 'missing_fields' }));
    await new MetricsActivityInboundInterceptor(ctx('notify'), metrics).execute(input({ event: 'completed', status: 'rejected', reasonCode: 'amount_exceeds_charge' }), async () => undefined);
    await new MetricsActivityInboundInterceptor(ctx('notify'), metrics).execute(input({ event: 'reminder', problemId: 'p' }), async () => undefined);
    const failing = new MetricsActivityInboundInterceptor(ctx('lookUpInvoice'), metrics);
    await expect(failing.execute(input({}), async () => { throw ApplicationFailure.create({ message: 'down' }); })).rejects.toThrow('down');
    await expect(failing.execute(input({}), async () => { throw new CancelledFailure('cancelled'); })).rejects.toThrow('cancelled');

    expect(await value(registry, 'activity_executions_total', { activity_type: 'extractProblem', outcome: 'completed' })).toBe(2);
    expect(await value(registry, 'activity_executions_total', { activity_type: 'lookUpInvoice', outcome: 'failed' })).toBe(1);
    expect(await value(registry, 'activity_executions_total', { activity_type: 'lookUpInvoice', outcome: 'cancelled' })).toBe(1);
    expect(await value(registry, 'problems_extracted_total', { type: 'billing_dispute', result: 'problem' })).toBe(1);
    expect(await value(registry, 'problems_extracted_total', { type: 'unknown', result: 'clarify' })).toBe(1);
    expect(await value(registry, 'problem_decisions_total', { status: 'rejected', reason_code: 'amount_exceeds_charge' })).toBe(1);
    expect((await registry.getSingleMetric('problem_decisions_total')!.get()).values).toHaveLength(1); // reminders are not decisions
  });

  test('a broken metric never changes the activity result or error', async () => {
    const broken = new Proxy({}, { get: () => ({ inc: () => { throw new Error('metrics down'); }, observe: () => { throw new Error('metrics down'); } }) }) as WorkerMetrics;
    const warnings: string[] = [];
    const interceptor = new MetricsActivityInboundInterceptor(ctx('extractProblem'), broken, (_o, msg) => warnings.push(msg));
    await expect(interceptor.execute(input({}), async () => 'result')).resolves.toBe('result');
    await expect(interceptor.execute(input({}), async () => { throw new Error('real failure'); })).rejects.toThrow('real failure');
    expect(warnings).toEqual(['activity metrics failed (ignored)', 'activity metrics failed (ignored)']);
  });

  test('worker metrics are created once per registry (several workers per process)', () => {
    const registry = new Registry();
    expect(workerMetrics(registry).decisions).toBe(workerMetrics(registry).decisions);
  });
});

describe('cached approvals_pending count', () => {
  test('one visibility call per cache period; a failure keeps the last value', async () => {
    let calls = 0;
    let fail = false;
    const errors: unknown[] = [];
    const count = async () => {
      calls++;
      if (fail) throw new Error('visibility down');
      return 7;
    };
    const cached = cachedCount(count, 60_000, (e) => errors.push(e));
    expect(await Promise.all([cached(), cached()])).toEqual([7, 7]);
    expect(calls).toBe(1);
    const uncached = cachedCount(count, 0, (e) => errors.push(e));
    expect(await uncached()).toBe(7);
    fail = true;
    expect(await uncached()).toBe(7);
    expect(errors).toHaveLength(1);
    expect(await cachedCount(count, 0, () => undefined)()).toBeUndefined(); // never counted: unknown, not 0
  });
});

describe('SafeSpanExporter', () => {
  test('turns a throwing exporter into a failed export', () => {
    const throwing: SpanExporter = { export: () => { throw new Error('collector down'); }, shutdown: async () => undefined };
    const results: ExportResult[] = [];
    new SafeSpanExporter(throwing).export([] as ReadableSpan[], (r) => results.push(r));
    expect(results).toEqual([{ code: ExportResultCode.FAILED, error: new Error('collector down') }]);
  });
});
