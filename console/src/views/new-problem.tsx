import { useLocation } from 'preact-iso';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiFailure } from '../api';
import { CharCounter } from '../components/char-counter';
import { FailureNotice } from '../components/failure-notice';
import { newIdempotencyKey, problemDraft, type ProblemDraft } from '../drafts';
import { useSession } from '../session';

/** The API's limit on problem text. */
export const MAX_TEXT = 4000;
const AUTO_RETRIES = 4;
const CHANNELS = ['web', 'email', 'chat', 'api'] as const;

/**
 * The submitter's form. The draft lives in session storage from the first keystroke; a
 * submission carries an Idempotency-Key that retries reuse, so a retry never starts a second problem.
 */
export function NewProblem() {
  const { api } = useSession();
  const { route } = useLocation();
  const [draft, setDraftState] = useState<ProblemDraft>(problemDraft.get);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [invalid, setInvalid] = useState<string | null>(null);
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const retryTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const attempts = useRef(0);
  const inFlight = useRef(false);

  useEffect(() => () => clearTimeout(retryTimer.current), []);

  const update = (patch: Partial<ProblemDraft>) => {
    // Another body under the same Idempotency-Key would be refused: an edit starts a new submission.
    const next = { ...draft, ...patch, idempotencyKey: null };
    clearTimeout(retryTimer.current);
    setRetryAt(null);
    setDraftState(next);
    problemDraft.set(next);
  };

  const send = async () => {
    if (inFlight.current) return;
    const current = problemDraft.get();
    const text = current.text.trim();
    if (!text) {
      setInvalid('Describe the problem before submitting.');
      document.getElementById('problem-text')?.focus();
      return;
    }
    const withKey = { ...current, idempotencyKey: current.idempotencyKey ?? newIdempotencyKey() };
    problemDraft.set(withKey);
    setDraftState(withKey);
    inFlight.current = true;
    setBusy(true);
    setInvalid(null);
    setRetryAt(null);
    try {
      const customerId = withKey.customerId.trim();
      const res = await api.submit({ text, channel: withKey.channel, ...(customerId ? { customerId } : {}) }, withKey.idempotencyKey);
      problemDraft.clear();
      route(`/console/problems/${res.id}`);
    } catch (err) {
      const f = err instanceof ApiFailure ? err : new ApiFailure('network', 0, 'network_error', 'The API cannot be reached.');
      setFailure(f);
      if (f.retryable && attempts.current < AUTO_RETRIES) {
        const wait = 2000 * 2 ** attempts.current++;
        setRetryAt(Date.now() + wait);
        retryTimer.current = setTimeout(() => void send(), wait);
      }
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  const onSubmit = (e: Event) => {
    e.preventDefault();
    attempts.current = 0;
    clearTimeout(retryTimer.current);
    void send();
  };

  const retryNow = () => {
    clearTimeout(retryTimer.current);
    void send();
  };

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Report a problem
      </h1>
      <form onSubmit={onSubmit} noValidate>
        <label for="problem-text">Describe the problem</label>
        <textarea
          id="problem-text"
          rows={8}
          maxLength={MAX_TEXT}
          value={draft.text}
          onInput={(e) => update({ text: e.currentTarget.value })}
          aria-describedby="problem-text-help problem-text-count"
          aria-invalid={invalid ? 'true' : undefined}
          required
        />
        <p id="problem-text-help" class="muted">
          In your own words: account, invoice, amounts, what went wrong. Your text is kept in this tab until it is submitted.
        </p>
        <CharCounter id="problem-text-count" length={draft.text.length} max={MAX_TEXT} />
        {invalid && (
          <p class="notice notice-error" role="alert">
            {invalid}
          </p>
        )}
        <div class="row">
          <div class="field">
            <label for="customer-id">Customer id (optional)</label>
            <input id="customer-id" value={draft.customerId} maxLength={64} autocomplete="off" spellcheck={false} onInput={(e) => update({ customerId: e.currentTarget.value })} />
          </div>
          <div class="field">
            <label for="channel">Channel</label>
            <select id="channel" value={draft.channel} onChange={(e) => update({ channel: e.currentTarget.value as ProblemDraft['channel'] })}>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </div>
        </div>
        {failure && !busy && <FailureNotice failure={failure} doing="Submitting" retryAt={retryAt} onRetry={failure.retryable ? retryNow : undefined} />}
        <button type="submit" disabled={busy}>
          {busy ? 'Submitting…' : 'Submit problem'}
        </button>
      </form>
    </section>
  );
}
