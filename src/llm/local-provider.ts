import type { Catalog } from '../domain/registry';
import type { ProblemType } from '../domain/types';
import type { Candidate } from './candidate';
import { toGrammarSchema } from './grammar-schema';
import { groundEntities } from './grounding';
import type { ModelHost } from './local/model-host';
import { llmMetrics, type LlmMetrics } from './metrics';
import { buildExtractionPrompt, formatReport } from './prompt';
import type { CallUsage, LlmProvider, ProviderAnswer, RepairContext } from './provider';
import { createRulesProvider } from './rules-provider';
import { classifyPrompt, extractPrompt, SEVERAL, UNKNOWN, type CompletionPrompt, type LabelledSample } from './small-model-prompt';

/**
 * How the local model is prompted: `staged` (classify, then extract with the chosen type's own
 * schema and examples; for small models) or `single` (the one prompt and answer schema the
 * `openai` provider uses; for models of several billion parameters).
 */
export type LocalPromptStyle = 'staged' | 'single';

/** Settings of the local provider. */
export interface LocalProviderOptions {
  host: ModelHost;
  /** Model name for usage records and metrics (the GGUF file name). */
  model: string;
  prompt: LocalPromptStyle;
  metrics?: LlmMetrics;
}

/**
 * A grammar-constrained label carries no calibrated confidence; a type the model picked is
 * trusted like any answer above the clarification threshold, and validation does the rest.
 */
const MODEL_CONFIDENCE = 0.75;

/**
 * Few-shot examples per type: each type's samples, labelled by the rules provider (the samples
 * are written for it, so its labels are exact). Computed once per provider.
 */
async function labelSamples(catalog: Catalog): Promise<Map<string, LabelledSample[]>> {
  const rules = createRulesProvider(catalog);
  const out = new Map<string, LabelledSample[]>();
  for (const type of catalog.types) {
    const labelled: LabelledSample[] = [];
    for (const text of type.samples) {
      const { candidate } = await rules.extract({ texts: [text] });
      const c = candidate as Candidate;
      labelled.push({ text, entities: c.type === type.name ? c.entities : {} });
    }
    out.set(type.name, labelled);
  }
  return out;
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/** The two steps of the staged prompt, for the hybrid provider to call on its own terms. */
export interface LocalModelSteps {
  /** A type name, `unknown` or `several`. */
  classify(texts: string[], usage: CallUsage, signal?: AbortSignal): Promise<string>;
  /** Entities of `type` the model found, every id and amount grounded in the text; undefined if unreadable. */
  extractAs(type: ProblemType, texts: string[], usage: CallUsage, signal?: AbortSignal): Promise<Record<string, unknown> | undefined>;
}

/** The local provider, with its steps exposed for the hybrid and a way to unload the model. */
export interface LocalProvider extends LlmProvider {
  steps: LocalModelSteps;
  close(): Promise<void>;
}

/**
 * Runs a GGUF model in this process (through {@link ModelHost}) with generation constrained by a
 * grammar built from the same strict JSON schema the `openai` provider sends. Answers go through
 * the same validation boundary, repair turn and token accounting; an aborted request stops
 * generating. Every id and amount the model writes must occur in the user's text (grounding.ts),
 * because small models copy values from their examples.
 */
export function createLocalProvider(catalog: Catalog, options: LocalProviderOptions): LocalProvider {
  const { host, model } = options;
  const metrics = options.metrics ?? llmMetrics();
  let samples: Promise<Map<string, LabelledSample[]>> | undefined;
  const single = buildExtractionPrompt(catalog);
  const singleSchema = toGrammarSchema(single.jsonSchema);

  /** One grammar-constrained call, recorded in metrics and added to `usage`. */
  async function call(p: CompletionPrompt, usage: CallUsage, signal: AbortSignal | undefined): Promise<string> {
    const started = Date.now();
    try {
      const g = await host.generate({ prompt: p.prompt, schema: p.schema, maxTokens: p.maxTokens, cacheKey: p.cacheKey, signal });
      metrics.requests.inc({ model, outcome: 'ok' });
      metrics.duration.observe({ model, outcome: 'ok' }, (Date.now() - started) / 1000);
      metrics.tokens.inc({ model, kind: 'prompt' }, g.promptTokens);
      metrics.tokens.inc({ model, kind: 'completion' }, g.completionTokens);
      usage.calls += 1;
      usage.promptTokens += g.promptTokens;
      usage.completionTokens += g.completionTokens;
      return g.text;
    } catch (err) {
      metrics.requests.inc({ model, outcome: 'error' });
      metrics.duration.observe({ model, outcome: 'error' }, (Date.now() - started) / 1000);
      throw err;
    }
  }

  /** Extraction step of the staged prompt: the type's own schema, its examples, grounded values. */
  async function extractAs(type: ProblemType, texts: string[], repair: RepairContext | undefined, usage: CallUsage, signal?: AbortSignal): Promise<Candidate | undefined> {
    samples ??= labelSamples(catalog);
    const examples = (await samples).get(type.name) ?? [];
    const previousEntities = repair ? JSON.stringify((parseJson(repair.previousOutput) as Candidate | undefined)?.entities ?? {}) : undefined;
    const text = await call(extractPrompt(type, examples, texts, repair && { previousAnswer: previousEntities!, errors: repair.errors }), usage, signal);
    const entities = parseJson(text);
    if (typeof entities !== 'object' || entities === null || Array.isArray(entities)) return undefined;
    return { type: type.name, confidence: MODEL_CONFIDENCE, issueCount: 1, entities: groundEntities(entities as Record<string, unknown>, texts).entities };
  }

  async function classify(texts: string[], usage: CallUsage, signal?: AbortSignal): Promise<string> {
    const label = parseJson(await call(classifyPrompt(catalog, texts), usage, signal));
    return typeof label === 'string' ? label : UNKNOWN;
  }

  async function staged(texts: string[], repair: RepairContext | undefined, usage: CallUsage, signal?: AbortSignal): Promise<Candidate | undefined> {
    // A repair keeps the type already chosen and redoes only the extraction.
    const previousType = repair ? catalog.get(String((parseJson(repair.previousOutput) as { type?: unknown } | undefined)?.type)) : undefined;
    if (previousType) return extractAs(previousType, texts, repair, usage, signal);
    const label = await classify(texts, usage, signal);
    if (label === SEVERAL) return { type: UNKNOWN, confidence: MODEL_CONFIDENCE, issueCount: 2, entities: {} };
    const type = catalog.get(label);
    if (!type) return { type: UNKNOWN, confidence: 0, issueCount: 0, entities: {} };
    return extractAs(type, texts, undefined, usage, signal);
  }

  async function oneCall(texts: string[], repair: RepairContext | undefined, usage: CallUsage, signal?: AbortSignal): Promise<Candidate | undefined> {
    const turns = [single.system, '', formatReport(texts)];
    if (repair) turns.push(`Rejected answer: ${repair.previousOutput}`, `Problems: ${repair.errors.join('; ')}`);
    turns.push('Answer JSON: ');
    const answer = parseJson(await call({ prompt: turns.join('\n'), schema: singleSchema, maxTokens: 256, cacheKey: 'single' }, usage, signal)) as Candidate | undefined;
    if (typeof answer?.entities !== 'object' || answer.entities === null) return answer;
    return { ...answer, entities: groundEntities(answer.entities, texts).entities };
  }

  return {
    name: 'local',
    model,
    steps: {
      classify,
      extractAs: async (type, texts, usage, signal) => (await extractAs(type, texts, undefined, usage, signal))?.entities,
    },
    close: () => host.close(),
    async extract({ texts, repair, signal }): Promise<ProviderAnswer> {
      const started = Date.now();
      const usage: CallUsage = { model, calls: 0, promptTokens: 0, completionTokens: 0, latencyMs: 0 };
      const candidate = options.prompt === 'staged' ? await staged(texts, repair, usage, signal) : await oneCall(texts, repair, usage, signal);
      usage.latencyMs = Date.now() - started;
      // The repair turn sees the grounded candidate, never text the guard removed.
      return { candidate, rawText: JSON.stringify(candidate ?? null), usage };
    },
  };
}
