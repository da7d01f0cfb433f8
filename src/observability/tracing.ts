import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter, type ReadableSpan, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { ClientInterceptors } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';
import type { Config } from '../config';
import type { WarnFn } from './safely';

/** Workflow interceptor module that traces workflows; must be bundled with the workflow code. */
export const OTEL_WORKFLOW_INTERCEPTOR_MODULE = require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

/**
 * Wraps an exporter so that a throwing exporter becomes a failed export: a broken collector
 * loses spans, never a request, an activity or a workflow task.
 */
export class SafeSpanExporter implements SpanExporter {
  constructor(private readonly inner: SpanExporter, private readonly warn?: WarnFn) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    try {
      this.inner.export(spans, (result) => {
        if (result.code !== ExportResultCode.SUCCESS) this.warn?.({ err: result.error }, 'span export failed (spans dropped)');
        resultCallback(result);
      });
    } catch (err) {
      this.warn?.({ err }, 'span exporter threw (spans dropped)');
      resultCallback({ code: ExportResultCode.FAILED, error: err instanceof Error ? err : new Error(String(err)) });
    }
  }

  async shutdown(): Promise<void> {
    await this.inner.shutdown().catch((err: unknown) => this.warn?.({ err }, 'span exporter shutdown failed'));
  }

  async forceFlush(): Promise<void> {
    await this.inner.forceFlush?.().catch((err: unknown) => this.warn?.({ err }, 'span exporter flush failed'));
  }
}

/** Tracing of one process: spans of the API, the Temporal client, workflows and activities. */
export interface Tracing {
  tracer: Tracer;
  resource: Resource;
  spanProcessor: SpanProcessor;
  /** Client interceptors: a span per start/update/query, its context sent in Temporal headers. */
  clientInterceptors(): ClientInterceptors;
  /** Worker options: activity spans, workflow spans (via the bundled module and the exporter sink). */
  workerOptions(): Pick<WorkerOptions, 'interceptors' | 'sinks'>;
  /** Flushes and stops exporting. */
  shutdown(): Promise<void>;
}

/** The span exporter named by OTEL_TRACES_EXPORTER (or OTEL_EXPORTER), sending to the OTEL_EXPORTER_OTLP_* endpoint and headers. */
export function spanExporterFor(tracing: Config['tracing']): SpanExporter | undefined {
  switch (tracing.exporter) {
    case 'none':
      return undefined;
    case 'console':
      return new ConsoleSpanExporter();
    case 'otlp':
      return new OTLPTraceExporter({ url: tracing.otlpTracesUrl, headers: tracing.otlpHeaders });
  }
}

/**
 * Sets up OpenTelemetry for a process (global tracer provider, async context, W3C propagation),
 * or returns undefined when OTEL_TRACES_EXPORTER=none (the default). Pass `exporter` to override the
 * configured one (tests use an in-memory exporter).
 */
export function setUpTracing(options: { config: Config['tracing']; serviceName: string; warn?: WarnFn; exporter?: SpanExporter }): Tracing | undefined {
  const exporter = options.exporter ?? spanExporterFor(options.config);
  if (!exporter) return undefined;
  const resource = new Resource({ ...options.config.resourceAttributes, 'service.name': options.config.serviceName ?? options.config.resourceAttributes['service.name'] ?? options.serviceName });
  const spanProcessor = new BatchSpanProcessor(new SafeSpanExporter(exporter, options.warn), { scheduledDelayMillis: 1000 });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  const tracer = trace.getTracer('problem-workflows');
  return {
    tracer,
    resource,
    spanProcessor,
    clientInterceptors: () => ({ workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer })] }),
    workerOptions: () => ({
      interceptors: {
        client: { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer })] },
        workflowModules: [OTEL_WORKFLOW_INTERCEPTOR_MODULE],
        activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer }), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })],
      },
      sinks: { exporter: makeWorkflowExporter(spanProcessor, resource) },
    }),
    async shutdown() {
      await provider.shutdown().catch((err: unknown) => options.warn?.({ err }, 'tracing shutdown failed'));
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
