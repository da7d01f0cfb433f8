import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { OTEL_WORKFLOW_INTERCEPTOR_MODULE } from '../observability/tracing';
import { workflowSourceBundle } from './worker';

const quietLogger = { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} };

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
    ...(options.verbose ? {} : { logger: quietLogger }),
  });
}
