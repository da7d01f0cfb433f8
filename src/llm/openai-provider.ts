import OpenAI from 'openai';
import type { Catalog } from '../domain/registry';
import { buildExtractionPrompt, formatReport } from './prompt';
import type { LlmProvider, ProviderAnswer } from './provider';

/** Settings of an OpenAI-compatible endpoint. */
export interface OpenAiProviderOptions {
  baseURL?: string;
  apiKey?: string;
  model: string;
  timeoutMs: number;
  structuredOutput: 'json_schema' | 'json_object';
}

/**
 * Calls any OpenAI-compatible chat-completions endpoint. SDK retries are off: Temporal's
 * activity retry policy owns retries, so one attempt is one model call.
 */
export function createOpenAiProvider(catalog: Catalog, options: OpenAiProviderOptions): LlmProvider {
  const client = new OpenAI({ baseURL: options.baseURL, apiKey: options.apiKey ?? 'unset', timeout: options.timeoutMs, maxRetries: 0 });
  const prompt = buildExtractionPrompt(catalog);
  const responseFormat =
    options.structuredOutput === 'json_schema'
      ? ({ type: 'json_schema', json_schema: { name: 'problem_extraction', schema: prompt.jsonSchema, strict: false } } as const)
      : ({ type: 'json_object' } as const);
  return {
    name: 'openai',
    model: options.model,
    callsModel: true,
    async extract({ texts, repair, signal }): Promise<ProviderAnswer> {
      const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
        { role: 'system', content: prompt.system },
        { role: 'user', content: formatReport(texts) },
      ];
      if (repair) {
        messages.push({ role: 'assistant', content: repair.previousOutput });
        messages.push({ role: 'user', content: `Your answer was invalid:\n${repair.errors.join('\n')}\nAnswer again with corrected JSON only.` });
      }
      const started = Date.now();
      const completion = await client.chat.completions.create(
        { model: options.model, messages, response_format: responseFormat, temperature: 0 },
        { signal },
      );
      const latencyMs = Date.now() - started;
      const choice = completion.choices[0];
      const rawText = choice?.message.content ?? '';
      let candidate: unknown;
      try {
        candidate = JSON.parse(rawText);
      } catch {
        candidate = undefined;
      }
      return {
        candidate,
        rawText,
        usage: {
          model: completion.model || options.model,
          promptTokens: completion.usage?.prompt_tokens ?? 0,
          completionTokens: completion.usage?.completion_tokens ?? 0,
          latencyMs,
        },
      };
    },
  };
}
