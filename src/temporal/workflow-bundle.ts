import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { OTEL_WORKFLOW_INTERCEPTOR_MODULE } from '../observability/tracing';
import { workflowSourceBundle } from './worker';

/** The bundler's logger that reports only errors (webpack's progress lines otherwise fill the output). */
export const quietBundleLogger = { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} };

/** Bundles the workflow sources as the worker would at start-up (shared modules included), quietly: tests, drills, benches. */
export const bundleWorkflowSources = (): Promise<WorkflowBundleWithSourceMap> => bundleWorkflowCode({ ...workflowSourceBundle, logger: quietBundleLogger });

/**
 * Bundles the workflow code ahead of time, the way every deployment runs it (Docker image,
 * cluster, drills). The OpenTelemetry workflow interceptors are always inside: a prebuilt
 * bundle ignores the worker's `interceptors.workflowModules`, so without them workflow spans
 * would be silently missing wherever the bundle is used. With tracing off they report to a
 * no-op sink (see worker-instrumentation.ts).
 */
export async function bundleWorkflows(options: { verbose?: boolean } = {}): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    ...workflowSourceBundle,
    workflowInterceptorModules: [OTEL_WORKFLOW_INTERCEPTOR_MODULE],
    ...(options.verbose ? {} : { logger: quietBundleLogger }),
  });
}
