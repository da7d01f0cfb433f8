import { Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, createSimulationActivities, type ActivityDeps } from '../../activities';
import { extractProblem, type ExtractDeps } from '../../activities/extract-problem';
import type { Config } from '../config';
import { assertCatalogServed } from '../domain/registry';
import type { Logger } from '../logger';
import type { Tracing } from '../observability/tracing';
import { workerInstrumentation } from '../observability/worker-instrumentation';
import { dataConverterFor } from './codec/data-converter';
import { connectionOptions } from './connection';
import { workerDeploymentOptions } from './deployment';

/** The deployment version this configuration's workers poll as (WORKER_DEPLOYMENT_NAME + the build id). */
export const deploymentOf = (config: Config) => ({ name: config.worker.deployment.name, buildId: config.buildId });

/** Where the workflow code lives; bundled by the worker (or prebuilt for production). */
const WORKFLOWS_PATH = require.resolve('../../workflows');

/**
 * Modules the worker evaluates once and its workflows share (the SDK's `preloadModules`): with
 * the reusable V8 context every other module of the bundle is evaluated again for each workflow,
 * and stays in memory while the workflow is cached. The whole workflow graph is shared: its modules
 * hold no state of their own (functions, definitions and constants, which the SDK deep-freezes;
 * every workflow's state lives in its function's closures), which
 * `test/unit/workflow-bundle-graph.test.ts` checks. A `require()` inside a function (the legacy
 * rules' catalog, the Ed25519 verifier) still loads per workflow, on first use.
 */
export const SHARED_WORKFLOW_MODULES = [WORKFLOWS_PATH];

/** How to bundle the workflow code from source (`bundleWorkflowCode`, replayers). */
export const workflowSourceBundle = { workflowsPath: WORKFLOWS_PATH, preloadModules: SHARED_WORKFLOW_MODULES };

/** The worker option that bundles the workflow code from source, as {@link workflowSourceBundle}. */
export const workflowSourceOptions = { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { preloadModules: SHARED_WORKFLOW_MODULES } } satisfies Partial<WorkerOptions>;

/** Options for building a worker; tests pass a prebuilt bundle to save seconds per file. */
export interface CreateWorkerOptions {
  config: Config;
  deps: ActivityDeps;
  connection?: NativeConnection;
  workflowBundle?: WorkerOptions['workflowBundle'];
  identity?: string;
  /** OpenTelemetry tracing (OTEL_EXPORTER); activity metrics are recorded either way. */
  tracing?: Tracing;
  /** Logs a line per activity attempt (with its workflow id) and instrumentation failures. */
  log?: Logger;
}

/** Explicit bundle, else the prebuilt one of WORKFLOW_BUNDLE_PATH, else bundle the sources at start-up. */
export function workflowSource(options: Pick<CreateWorkerOptions, 'config' | 'workflowBundle'>): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'> {
  if (options.workflowBundle) return { workflowBundle: options.workflowBundle };
  const prebuilt = options.config.worker.workflowBundlePath;
  return prebuilt ? { workflowBundle: { codePath: prebuilt } } : workflowSourceOptions;
}

/**
 * What every worker of this build shares: its Worker Deployment version (problems stay on the build
 * that started them, and extractions of a pinned problem run on its build; docs/OPERATIONS.md,
 * *Deploying*), payload encryption when PAYLOAD_ENCRYPTION_KEYS is set (codecs run outside the
 * workflow sandbox), instrumentation, identity and shutdown grace.
 */
function buildWorkerOptions(options: Pick<CreateWorkerOptions, 'config' | 'identity' | 'tracing' | 'log'>): Partial<WorkerOptions> {
  return {
    shutdownGraceTime: '10s',
    ...(options.identity ? { identity: options.identity } : {}),
    workerDeploymentOptions: workerDeploymentOptions(deploymentOf(options.config)),
    dataConverter: dataConverterFor(options.config.encryption),
    ...workerInstrumentation(options.tracing, options.log),
  };
}

/** Creates a worker polling the problems task queue with the given activities. */
export async function createWorker(options: CreateWorkerOptions): Promise<{ worker: Worker; connection: NativeConnection }> {
  const { config } = options;
  const activities = createActivities(options.deps);
  assertCatalogServed(options.deps.catalog, { activities: Object.keys(activities), policyTypes: options.deps.policy.types });
  const connection = options.connection ?? (await NativeConnection.connect(connectionOptions(config.temporal)));
  // The policy what-if reads past histories through the worker's own connection, decoded with its codec.
  const histories = new Client({ connection, namespace: config.temporal.namespace, dataConverter: dataConverterFor(config.encryption) });
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    ...workflowSource(options),
    activities: { ...activities, ...createSimulationActivities({ client: histories, catalog: options.deps.catalog }) },
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivityTaskExecutions,
    maxConcurrentWorkflowTaskExecutions: config.worker.maxConcurrentWorkflowTaskExecutions,
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
    ...buildWorkerOptions(options),
  });
  return { worker, connection };
}

/**
 * A model-hosting worker: polls EXTRACTION_TASK_QUEUE for extraction activities only, no
 * workflows and no tools, so it scales with the model's cost apart from orchestration workers.
 * With a local model it takes as many extractions at once as the model has sequences
 * (LLM_LOCAL_CONCURRENCY); the rest wait in Temporal's queue, where any model worker can take
 * them, instead of in this process.
 */
export async function createExtractionWorker(options: Omit<CreateWorkerOptions, 'workflowBundle' | 'deps'> & { deps: ExtractDeps }): Promise<{ worker: Worker; connection: NativeConnection }> {
  const { config, deps } = options;
  const taskQueue = config.temporal.extractionTaskQueue;
  if (!taskQueue) throw new Error('an extraction worker needs EXTRACTION_TASK_QUEUE');
  const connection = options.connection ?? (await NativeConnection.connect(connectionOptions(config.temporal)));
  const modelHosting = config.llm.provider === 'local' || config.llm.provider === 'hybrid';
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue,
    activities: { extractProblem: (input: Parameters<typeof extractProblem>[1]) => extractProblem(deps, input) },
    maxConcurrentActivityTaskExecutions: modelHosting ? config.llm.local.concurrency : config.worker.maxConcurrentActivityTaskExecutions,
    ...buildWorkerOptions(options),
  });
  return { worker, connection };
}
