import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { ConfigError, loadConfig } from '../config';
import { setUpTracing, spanExporterFor } from './tracing';

describe('tracing configuration from the standard OpenTelemetry variables', () => {
  test('off by default', () => {
    expect(loadConfig({}).tracing).toMatchObject({ exporter: 'none', otlpTracesUrl: 'http://127.0.0.1:4318/v1/traces', otlpHeaders: {} });
    expect(spanExporterFor(loadConfig({}).tracing)).toBeUndefined();
  });

  test('OTEL_TRACES_EXPORTER wins over the older OTEL_EXPORTER', () => {
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER: 'console' }).tracing.exporter).toBe('otlp');
    expect(loadConfig({ OTEL_EXPORTER: 'console' }).tracing.exporter).toBe('console');
  });

  test('the general endpoint gets /v1/traces, the traces endpoint is used as is', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing.otlpTracesUrl).toBe('http://collector:4318/v1/traces');
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/api/otlp' }).tracing.otlpTracesUrl).toBe('https://traces.example/api/otlp');
  });

  test('headers: percent-decoded key=value lists, the traces list overriding the general one', () => {
    const { otlpHeaders } = loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Basic%20abc, x-team=a', OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-team=b' }).tracing;
    expect(otlpHeaders).toEqual({ authorization: 'Basic abc', 'x-team': 'b' });
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'no-equals-sign' })).toThrow(ConfigError);
  });

  test('the OTLP exporter sends to the configured URL with the headers', async () => {
    const seen: { url?: string; apiKey?: string }[] = [];
    const collector = http.createServer((req, res) => {
      seen.push({ url: req.url, apiKey: req.headers['api-key'] as string | undefined });
      req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const { port } = collector.address() as AddressInfo;
    try {
      const config = loadConfig({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${port}/custom/traces`, OTEL_EXPORTER_OTLP_HEADERS: 'api-key=k1' }).tracing;
      const exporter = spanExporterFor(config);
      expect(exporter).toBeInstanceOf(OTLPTraceExporter);
      const tracing = setUpTracing({ config, serviceName: 'problems-test', exporter })!;
      tracing.tracer.startSpan('probe').end();
      await tracing.spanProcessor.forceFlush();
      await tracing.shutdown();
      expect(seen).toEqual([{ url: '/custom/traces', apiKey: 'k1' }]);
    } finally {
      collector.close();
    }
  });

  test('OTEL_RESOURCE_ATTRIBUTES land on the resource; OTEL_SERVICE_NAME names the service', async () => {
    const config = loadConfig({ OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=staging,service.name=from-attributes', OTEL_SERVICE_NAME: 'problems-api-eu' }).tracing;
    const tracing = setUpTracing({ config, serviceName: 'problems-api', exporter: new InMemorySpanExporter() })!;
    try {
      expect(tracing.resource.attributes).toMatchObject({ 'deployment.environment': 'staging', 'service.name': 'problems-api-eu' });
    } finally {
      await tracing.shutdown();
    }
  });
});
