import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ApplicationFailure } from '@temporalio/common';
import type { JsonSchema } from '../json-schema';

/** Where and how to run a GGUF model. */
export interface ModelHostOptions {
  modelPath: string;
  /** Completions generated at once (llama.cpp sequences of one context); more requests wait in line. */
  concurrency: number;
  /** CPU threads llama.cpp evaluates with. */
  threads: number;
  /** Tokens per sequence: the prompt, few-shot examples included, plus the answer. */
  contextSize: number;
}

/** A grammar-constrained completion request. */
export interface GenerateRequest {
  prompt: string;
  /** JSON schema (grammar subset, see grammar-schema.ts) the answer must match. */
  schema: JsonSchema;
  maxTokens: number;
  /** Kind of prompt (prompts of one kind share their few-shot prefix), to reuse a sequence that evaluated it. */
  cacheKey?: string;
  signal?: AbortSignal;
}

/** A completion and what it cost. */
export interface Generation {
  text: string;
  promptTokens: number;
  completionTokens: number;
  stopReason: string;
}

/** What the host loaded. */
export interface ModelInfo {
  name: string | null;
  sizeBytes: number;
  contextSize: number;
  sequences: number;
  threads: number;
}

/** A model loaded once per process, in its own thread. */
export interface ModelHost {
  generate(request: GenerateRequest): Promise<Generation>;
  /** Loads the model if not loaded yet. */
  ready(): Promise<ModelInfo>;
  close(): Promise<void>;
}

type HostMessage =
  | { type: 'ready'; info: ModelInfo }
  | { type: 'fatal'; message: string }
  | ({ type: 'result'; id: string } & Generation)
  | { type: 'failed'; id: string; message: string; aborted: boolean };

/** The host script ships next to this module (copied into dist/ by `npm run build`). */
const HOST_SCRIPT = path.join(__dirname, 'llama-host.mjs');

/** A missing or unloadable model is a deployment error: another attempt on this worker will not fix it. */
const modelUnavailable = (message: string) =>
  ApplicationFailure.nonRetryable(message, 'LlmModelNotFound', { reasonCode: 'llm_model_unavailable' });

/**
 * Starts the model thread on first use, so a worker that never extracts (an orchestration worker
 * when extraction has its own task queue) never loads a model. Requests beyond `concurrency` wait
 * in the host; an aborted request leaves the queue or stops generating.
 */
export function createModelHost(options: ModelHostOptions): ModelHost {
  let worker: Worker | undefined;
  let loaded: Promise<ModelInfo> | undefined;
  let nextId = 0;
  const pending = new Map<string, { resolve: (g: Generation) => void; reject: (e: unknown) => void }>();

  const start = (): Promise<ModelInfo> => {
    if (!fs.existsSync(options.modelPath)) {
      return Promise.reject(modelUnavailable(`no model file at ${options.modelPath}: run npm run model:install, or set LLM_MODEL_PATH to a GGUF file`));
    }
    const thread = new Worker(HOST_SCRIPT, {
      workerData: { modelPath: path.resolve(options.modelPath), sequences: options.concurrency, threads: options.threads, contextSize: options.contextSize },
    });
    worker = thread;
    // The thread must not keep a process alive that is otherwise done (a CLI run, a drained worker).
    thread.unref();
    return new Promise<ModelInfo>((resolve, reject) => {
      const failAll = (err: unknown) => {
        reject(err);
        for (const p of pending.values()) p.reject(err);
        pending.clear();
      };
      thread.on('message', (msg: HostMessage) => {
        if (msg.type === 'ready') return resolve(msg.info);
        if (msg.type === 'fatal') {
          failAll(modelUnavailable(`could not load ${options.modelPath}: ${msg.message}`));
          void thread.terminate();
          return;
        }
        const waiter = pending.get(msg.id);
        if (!waiter) return;
        pending.delete(msg.id);
        if (msg.type === 'result') waiter.resolve({ text: msg.text, promptTokens: msg.promptTokens, completionTokens: msg.completionTokens, stopReason: msg.stopReason });
        else waiter.reject(new Error(`local model: ${msg.message}`));
      });
      thread.on('error', failAll);
      thread.on('exit', (code) => {
        worker = undefined;
        loaded = undefined;
        failAll(new Error(`local model thread exited (${code})`));
      });
    });
  };

  // A failed load is not remembered: once the model is installed, the next extraction loads it.
  const ready = () =>
    (loaded ??= start().catch((err: unknown) => {
      loaded = undefined;
      throw err;
    }));

  return {
    ready,
    async generate({ prompt, schema, maxTokens, cacheKey, signal }) {
      await ready();
      signal?.throwIfAborted();
      const id = String(nextId++);
      const thread = worker!;
      return new Promise<Generation>((resolve, reject) => {
        const onAbort = () => {
          thread.postMessage({ type: 'abort', id });
          pending.delete(id);
          reject(signal?.reason ?? new Error('aborted'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        const done = () => signal?.removeEventListener('abort', onAbort);
        pending.set(id, { resolve: (g) => (done(), resolve(g)), reject: (e) => (done(), reject(e)) });
        thread.postMessage({ type: 'generate', id, prompt, schema, maxTokens, cacheKey });
      });
    },
    async close() {
      const thread = worker;
      if (!thread) return;
      // Closing before the model finished loading still waits for the thread to exit.
      const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
      await loaded?.catch(() => undefined);
      thread.postMessage({ type: 'close' });
      await Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref())]);
      if (worker === thread) await thread.terminate();
      worker = undefined;
      loaded = undefined;
    },
  };
}
