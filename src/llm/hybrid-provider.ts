import type { z } from 'zod';
import type { Catalog } from '../domain/registry';
import type { ProblemType } from '../domain/types';
import type { Candidate } from './candidate';
import type { LocalModelSteps } from './local-provider';
import type { CallUsage, LlmProvider, ProviderAnswer } from './provider';
import { isLiteral } from './grounding';
import { SEVERAL } from './small-model-prompt';

/** What the model contributed to one hybrid answer. */
export interface MergeResult {
  entities: Record<string, unknown>;
  /** Fields the model filled where the rules found nothing. */
  filled: string[];
  /** Fields the rules and the model read differently: left out, the problem asks. */
  conflicts: string[];
}

/** Whether the grounding guard can check a value against the text: a number, or a string with a digit. */
const isCheckable = (value: unknown) => typeof value === 'number' || (typeof value === 'string' && /\d/.test(value));

/** Two readings of one value agree when they differ only in case and separators ("ACC-1001" and "acc 1001"). */
function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  const norm = (v: unknown) => String(v).toUpperCase().replace(/[^\p{L}\p{N}]/gu, '');
  return norm(a) === norm(b);
}

/**
 * The hybrid's merge rules, pure. The model has a say only on values the grounding guard can
 * check against the text: ids, dates and numbers (strings with a digit, and numbers). Words (enum
 * values such as a service or a reason, role and system names) are the rules' alone: a small
 * model infers them ("INR" from "Rs", a reason from a story) or copies typos ("viewr").
 * On checkable values: the rules' value stands; the model fills a field the rules left empty only
 * with a value written in the text as such (`isLiteral`: not one amount picked from several, which
 * the rules leave out on purpose) that passes the field's own schema; a field both read but
 * differently is trusted by neither.
 */
export function mergeEntities(type: ProblemType, rules: Record<string, unknown>, model: Record<string, unknown>, texts: string[]): MergeResult {
  const shape = type.claims.shape as Record<string, z.ZodType>;
  const entities: Record<string, unknown> = { ...rules };
  const filled: string[] = [];
  const conflicts: string[] = [];
  const text = texts.join('\n');
  for (const [field, value] of Object.entries(model)) {
    const schema = shape[field];
    if (value === null || value === undefined || !schema || !isCheckable(value)) continue;
    if (field in rules) {
      if (!sameValue(rules[field], value)) {
        conflicts.push(field);
        delete entities[field];
      }
    } else if (isLiteral(value, text) && schema.safeParse(value).success) {
      entities[field] = value;
      filled.push(field);
    }
  }
  return { entities, filled, conflicts };
}

/** Settings of the hybrid provider. */
export interface HybridProviderOptions {
  rules: LlmProvider;
  model: LocalModelSteps;
  /** Model name, for usage records. */
  modelName: string;
}

/** Confidence of a type only the model saw: above the clarification threshold, as for the local provider. */
const MODEL_CONFIDENCE = 0.75;

/**
 * Rules first; the model fills only what the rules left empty. The model is not called at all
 * when the rules read every field of their type, nor when they saw several problems. When the
 * rules found no type, the model's type is used only if the model also read every required field
 * of it from the text: a label alone is not evidence. A field the two read
 * differently becomes a clarification (`extraction_conflict`, via `conflicts`). A repair turn
 * (an answer the validation boundary rejected) falls back to the rules' answer alone.
 */
export function createHybridProvider(catalog: Catalog, options: HybridProviderOptions): LlmProvider {
  const { rules, model } = options;
  const name = `${rules.model}+${options.modelName}`;
  return {
    name: 'hybrid',
    model: name,
    async extract({ texts, repair, signal }): Promise<ProviderAnswer> {
      const started = Date.now();
      const byRules = await rules.extract({ texts, signal });
      const r = byRules.candidate as Candidate;
      const usage: CallUsage = { model: name, calls: 0, promptTokens: 0, completionTokens: 0, latencyMs: 0 };
      const answer = (candidate: Candidate, conflicts: string[] = []): ProviderAnswer => ({
        candidate,
        rawText: JSON.stringify(candidate),
        usage: { ...usage, latencyMs: Date.now() - started },
        ...(conflicts.length > 0 ? { conflicts } : {}),
      });
      if (repair || r.issueCount > 1) return answer(r);

      const ruleType = catalog.get(r.type);
      if (ruleType) {
        const empty = Object.keys(ruleType.claims.shape).filter((f) => !(f in r.entities));
        if (empty.length === 0) return answer(r);
        const read = (await model.extractAs(ruleType, texts, usage, signal)) ?? {};
        const merged = mergeEntities(ruleType, r.entities, read, texts);
        return answer({ ...r, entities: merged.entities }, merged.conflicts);
      }

      const label = await model.classify(texts, usage, signal);
      if (label === SEVERAL) return answer({ type: 'unknown', confidence: MODEL_CONFIDENCE, issueCount: 2, entities: {} });
      const modelType = catalog.get(label);
      if (!modelType) return answer(r);
      const read = (await model.extractAs(modelType, texts, usage, signal)) ?? {};
      const { entities } = mergeEntities(modelType, {}, read, texts);
      // A label is not evidence: the model's type counts only with a complete reading of it.
      if (!modelType.claims.safeParse(entities).success) return answer(r);
      return answer({ type: modelType.name, confidence: MODEL_CONFIDENCE, issueCount: 1, entities });
    },
  };
}
