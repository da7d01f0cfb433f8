/**
 * Typed text that must survive a failed request, a reload or an expired key: kept in session
 * storage until the API has accepted it.
 */

/** The new-problem form, with the Idempotency-Key of a submission in flight. */
export interface ProblemDraft {
  text: string;
  customerId: string;
  channel: 'web' | 'email' | 'chat' | 'api';
  /** Set when a submission started; reused by retries so the API starts the problem once. */
  idempotencyKey: string | null;
}

const EMPTY: ProblemDraft = { text: '', customerId: '', channel: 'web', idempotencyKey: null };

function read<T>(item: string, fallback: T): T {
  try {
    const raw = sessionStorage.getItem(item);
    return raw ? { ...fallback, ...(JSON.parse(raw) as T) } : fallback;
  } catch {
    return fallback;
  }
}

/** The problem draft of this tab. */
export const problemDraft = {
  get: (): ProblemDraft => read('console.draft.problem', EMPTY),
  set: (draft: ProblemDraft) => sessionStorage.setItem('console.draft.problem', JSON.stringify(draft)),
  clear: () => sessionStorage.removeItem('console.draft.problem'),
};

/** A clarification answer being typed, per problem. */
export const answerDraft = {
  get: (problemId: string): string => sessionStorage.getItem(`console.draft.answer.${problemId}`) ?? '',
  set: (problemId: string, text: string) => sessionStorage.setItem(`console.draft.answer.${problemId}`, text),
  clear: (problemId: string) => sessionStorage.removeItem(`console.draft.answer.${problemId}`),
};

/** Forgets every draft (sign-out on a shared machine). */
export function clearDrafts(): void {
  for (const item of Object.keys(sessionStorage)) if (item.startsWith('console.draft.')) sessionStorage.removeItem(item);
}

/** A random Idempotency-Key (works outside secure contexts too, unlike randomUUID). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `console-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
