// The model host: a worker thread that owns one GGUF model (node-llama-cpp) and a bounded pool of
// sequences, and answers grammar-constrained completion requests from the main thread.
//
// Why a worker thread in a plain .mjs file: node-llama-cpp is ESM-only with top-level await, and
// this project compiles to CommonJS; a thread loads it with a real `import` under node, tsx and
// jest alike (jest's module sandbox cannot `import()` ESM without --experimental-vm-modules).
// llama.cpp already evaluates off the JS thread; the host thread also keeps tokenisation, grammar
// compilation and sampling off the worker's event loop.
//
// Protocol (postMessage):
//   in:  {type:'generate', id, prompt, schema, maxTokens, cacheKey} | {type:'abort', id} | {type:'close'}
//   out: {type:'ready', info} | {type:'fatal', message}
//        {type:'result', id, text, promptTokens, completionTokens, stopReason} | {type:'failed', id, message, aborted}
/* global AbortController */
import { parentPort, workerData } from 'node:worker_threads';

const { modelPath, sequences, threads, contextSize } = workerData;
/** @type {Map<string, AbortController>} */
const running = new Map();
/** @type {Map<string, Promise<import('node-llama-cpp').LlamaGrammar>>} */
const grammars = new Map();
/**
 * Free sequences with the kind of prompt each evaluated last, least recently used first. A request
 * takes a free sequence that last ran its kind of prompt when there is one: llama.cpp then reuses
 * the evaluated prefix (the few-shot examples) and evaluates only the new text. Requests wait in
 * FIFO order when all sequences are busy.
 * @type {{ sequence: import('node-llama-cpp').LlamaContextSequence, cacheKey: string | undefined }[]}
 */
const free = [];
/** @type {{ id: string, resolve: (s: unknown) => void, reject: (e: unknown) => void }[]} */
const waiting = [];

let llama;
let model;
let context;
let completionClass;
try {
  const { getLlama, LlamaCompletion } = await import('node-llama-cpp');
  completionClass = LlamaCompletion;
  // build:'never' uses the prebuilt binary from npm and never tries to download or compile one.
  llama = await getLlama({ gpu: false, build: 'never', logLevel: 'error', maxThreads: threads });
  model = await llama.loadModel({ modelPath });
  context = await model.createContext({ sequences, contextSize, threads });
  for (let i = 0; i < sequences; i++) free.push({ sequence: context.getSequence(), cacheKey: undefined });
  parentPort.postMessage({
    type: 'ready',
    info: { name: model.fileInfo?.metadata?.general?.name ?? null, sizeBytes: model.size, contextSize: context.contextSize, sequences, threads },
  });
} catch (err) {
  parentPort.postMessage({ type: 'fatal', message: err instanceof Error ? err.message : String(err) });
}

const acquire = (id, cacheKey) => {
  const warm = free.findIndex((f) => f.cacheKey === cacheKey);
  const slot = free.splice(warm >= 0 ? warm : 0, 1)[0];
  if (slot) return Promise.resolve(slot.sequence);
  return new Promise((resolve, reject) => waiting.push({ id, resolve, reject }));
};
const release = (sequence, cacheKey) => {
  const next = waiting.shift();
  if (next) next.resolve(sequence);
  else free.push({ sequence, cacheKey });
};
const grammarFor = (schema) => {
  const key = JSON.stringify(schema);
  let grammar = grammars.get(key);
  if (!grammar) {
    grammar = llama.createGrammarForJsonSchema(schema);
    grammars.set(key, grammar);
  }
  return grammar;
};

async function generate({ id, prompt, schema, maxTokens, cacheKey }) {
  const controller = new AbortController();
  running.set(id, controller);
  let sequence;
  try {
    sequence = await acquire(id, cacheKey);
    if (controller.signal.aborted) throw controller.signal.reason;
    const grammar = await grammarFor(schema);
    const completion = new completionClass({ contextSequence: sequence });
    const promptTokens = model.tokenize(prompt).length;
    const res = await completion.generateCompletionWithMeta(prompt, { grammar, maxTokens, temperature: 0, signal: controller.signal });
    const completionTokens = model.tokenize(res.response).length;
    parentPort.postMessage({ type: 'result', id, text: res.response, promptTokens, completionTokens, stopReason: res.metadata.stopReason });
  } catch (err) {
    parentPort.postMessage({ type: 'failed', id, message: err instanceof Error ? err.message : String(err), aborted: controller.signal.aborted });
  } finally {
    running.delete(id);
    if (sequence) release(sequence, cacheKey);
  }
}

parentPort.on('message', (msg) => {
  if (msg.type === 'generate') {
    if (!context) parentPort.postMessage({ type: 'failed', id: msg.id, message: 'model is not loaded', aborted: false });
    else void generate(msg);
  } else if (msg.type === 'abort') {
    // A request still waiting for a sequence leaves the queue; a running one stops generating.
    running.get(msg.id)?.abort(new Error('aborted'));
    const queued = waiting.findIndex((w) => w.id === msg.id);
    if (queued >= 0) waiting.splice(queued, 1)[0].reject(new Error('aborted'));
  } else if (msg.type === 'close') {
    for (const c of running.values()) c.abort(new Error('closing'));
    void (async () => {
      await context?.dispose();
      await model?.dispose();
      await llama?.dispose();
      parentPort.close();
    })();
  }
});
