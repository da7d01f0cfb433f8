import { z } from 'zod';
import type { Catalog } from '../domain/registry';
import type { ExtractionUsage, ExtractionVerdict } from '../domain/extraction';

/** The envelope every provider must produce: untrusted until {@link validateCandidate} accepts it. */
export const candidateSchema = z.strictObject({
  type: z.string().min(1),
  confidence: z.number().min(0).max(1),
  issueCount: z.number().int().min(0).max(20),
  entities: z.record(z.string(), z.unknown()),
});
/** A provider's raw answer. */
export type Candidate = z.infer<typeof candidateSchema>;

/** Below this confidence the system asks instead of acting. */
export const MIN_CONFIDENCE = 0.5;

/** Outcome of validating a candidate: a result to return, or errors worth one repair attempt. */
export type Validation =
  | { ok: true; result: ExtractionVerdict }
  | { ok: false; errors: string[] };

const describeField = (schema: z.ZodObject, field: string): string => {
  const shape = schema.shape as Record<string, z.ZodType>;
  return shape[field]?.description ?? field;
};

/**
 * The validation boundary: turns an untrusted candidate into validated claims of one
 * registered type, a clarification request, or a list of errors. Never returns a partially
 * valid object.
 */
export function validateCandidate(catalog: Catalog, raw: unknown): Validation {
  const envelope = candidateSchema.safeParse(raw);
  if (!envelope.success) return { ok: false, errors: envelope.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
  const { type, confidence, issueCount, entities } = envelope.data;
  const clarify = (reasonCode: string, question: string, missingFields: string[] = [], candidateType?: string): Validation => ({
    ok: true,
    result: { kind: 'clarify', reasonCode, question, missingFields, ...(candidateType ? { candidateType } : {}) },
  });
  if (issueCount > 1) {
    return clarify('multiple_issues', 'Your message describes more than one problem. Please submit each problem separately, starting with the most urgent one.');
  }
  const problemType = type === 'unknown' ? undefined : catalog.get(type);
  if (type !== 'unknown' && !problemType) return { ok: false, errors: [`type: must be one of ${[...catalog.types.map((t) => t.name), 'unknown'].join(', ')}`] };
  if (!problemType || confidence < MIN_CONFIDENCE || issueCount === 0) {
    return clarify('intent_unknown', `What kind of problem is this? We can help with: ${catalog.types.map((t) => t.description).join(' / ')}`);
  }
  // Providers send null for fields they could not find; absent and null mean the same here.
  const present = Object.fromEntries(Object.entries(entities).filter(([, v]) => v !== null && v !== ''));
  const unknownFields = Object.keys(present).filter((k) => !(k in problemType.claims.shape));
  if (unknownFields.length > 0) return { ok: false, errors: unknownFields.map((k) => `entities.${k}: is not a field of ${problemType.name}`) };
  const parsed = problemType.claims.safeParse(present);
  if (parsed.success) return { ok: true, result: { kind: 'problem', type: problemType.name, claims: parsed.data } };

  // An absent field fails with whatever code its schema uses (invalid_type, invalid_value for enums...).
  const missing = [...new Set(parsed.error.issues.filter((i) => i.path.length === 1 && present[String(i.path[0])] === undefined).map((i) => String(i.path[0])))];
  const invalid = parsed.error.issues.filter((i) => !missing.includes(String(i.path[0])));
  if (invalid.length > 0) return { ok: false, errors: invalid.map((i) => `entities.${i.path.join('.')}: ${i.message}`) };
  const wanted = missing.map((f) => describeField(problemType.claims, f));
  return clarify('missing_fields', `To handle this we need: ${wanted.join('; ')}. Please reply with these details.`, missing, problemType.name);
}

/** Usage of a provider that makes no model calls. */
export const noUsage = (provider: string, model: string): ExtractionUsage => ({
  provider,
  model,
  calls: 0,
  repairAttempts: 0,
  promptTokens: 0,
  completionTokens: 0,
  latencyMs: 0,
});
