import OpenAI, { APIConnectionError, APIConnectionTimeoutError } from 'openai';
import type { Catalog } from '../domain/registry';
import { LlmRefusalError } from './errors';
import { llmMetrics, type LlmMetrics } from './metrics';
import { buildExtractionPrompt, formatReport } from './prompt';
import type { LlmProvider, ProviderAnswer } from './provider';

/** Settings of an OpenAI-compatible endpoint. */
export interface OpenAiProviderOptions {
  baseURL?: string;
  apiKey?: string;
  model: string;
  timeoutMs: number;
  /** `json_schema` (strict structured outputs) where the endpoint supports it, else `json_object` (JSON mode). */
  structuredOutput: 'json_schema' | 'json_object';
  /** Defaults to the LLM metrics on prom-client's default registry. */
  metrics?: LlmMetrics;
}

/**
 * Calls any OpenAI-compatible chat-completions endpoint. SDK retries are off: Temporal's
 * activity retry policy owns retries, so one attempt is one model call. A refusal or a
 * content-filter stop throws {@link LlmRefusalError}; anything else the model wrote is
 * returned as an untrusted candidate for the validation boundary.
 */
export function createOpenAiProvider(catalog: Catalog, options: OpenAiProviderOptions): LlmProvider {
  const client = new OpenAI({ baseURL: options.baseURL, apiKey: options.apiKey ?? 'unset', timeout: options.timeoutMs, maxRetries: 0 });
  const metrics = options.metrics ?? llmMetrics();
  const prompt = buildExtractionPrompt(catalog);
  const responseFormat =
    options.structuredOutput === 'json_schema'
      ? ({ type: 'json_schema', json_schema: { name: 'problem_extraction', schema: prompt.jsonSchema, strict: true } } as const)
      : ({ type: 'json_object' } as const);
  // JSON mode does not carry the schema, so the model reads it from the instructions.
  const system = options.structuredOutput === 'json_schema' ? prompt.system : `${prompt.system}\nAnswer JSON matching this schema:\n${JSON.stringify(prompt.jsonSchema)}`;

  const observe = (model: string, outcome: 'ok' | 'refusal' | 'error', started: number) =>
    metrics.duration.observe({ model, outcome }, (Date.now() - started) / 1000);

  return {
    name: 'openai',
    model: options.model,
    async extract({ texts, repair, signal }): Promise<ProviderAnswer> {
      const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
        { role: 'system', content: system },
        { role: 'user', content: formatReport(texts) },
      ];
      if (repair) {
        messages.push({ role: 'assistant', content: repair.previousOutput });
        messages.push({ role: 'user', content: `Your answer was invalid:\n${repair.errors.join('\n')}\nAnswer again with corrected JSON only.` });
      }
      const started = Date.now();
      let completion: OpenAI.Chat.ChatCompletion;
      try {
        completion = await client.chat.completions.create({ model: options.model, messages, response_format: responseFormat, temperature: 0 }, { signal });
      } catch (err) {
        metrics.requests.inc({ model: options.model, outcome: 'error' });
        observe(options.model, 'error', started);
        // The SDK reports its own timeout as a plain connection error when the abort error
        // comes from another realm (e.g. under jest); a call that lasted the whole timeout timed out.
        const timedOut = err instanceof APIConnectionError && !(err instanceof APIConnectionTimeoutError) && !signal?.aborted && Date.now() - started >= options.timeoutMs;
        throw timedOut ? new APIConnectionTimeoutError() : err;
      }
      const latencyMs = Date.now() - started;
      const model = completion.model || options.model;
      const promptTokens = completion.usage?.prompt_tokens ?? 0;
      const completionTokens = completion.usage?.completion_tokens ?? 0;
      metrics.tokens.inc({ model, kind: 'prompt' }, promptTokens);
      metrics.tokens.inc({ model, kind: 'completion' }, completionTokens);
      const choice = completion.choices[0];
      if (choice?.message.refusal || choice?.finish_reason === 'content_filter') {
        metrics.requests.inc({ model, outcome: 'refusal' });
        observe(model, 'refusal', started);
        throw new LlmRefusalError(choice.message.refusal ? 'refusal' : 'content_filter', model);
      }
      metrics.requests.inc({ model, outcome: 'ok' });
      observe(model, 'ok', started);
      const rawText = choice?.message.content ?? '';
      let candidate: unknown;
      try {
        // A `length` stop leaves truncated JSON; it fails to parse and goes to repair like any invalid answer.
        candidate = JSON.parse(rawText);
      } catch {
        candidate = undefined;
      }
      return { candidate, rawText, usage: { model, calls: 1, promptTokens, completionTokens, latencyMs } };
    },
  };
}
