import type { ApiFailure } from '../api';
import { useNow } from '../use-poll';
import { errorWords } from '../words';

/** Props of {@link FailureNotice}. */
export interface FailureNoticeProps {
  failure: ApiFailure;
  /** What was being done, e.g. "Loading the problem". */
  doing: string;
  retryAt?: number | null;
  onRetry?: () => void;
}

/** Turns a failed request into words: what failed, why, and whether it is retried. */
export function FailureNotice({ failure, doing, retryAt, onRetry }: FailureNoticeProps) {
  const now = useNow(1000);
  const why = failure.kind === 'network' ? failure.message : (errorWords(failure.code) ?? failure.message);
  const detail = failure.kind === 'network' || errorWords(failure.code) === null ? null : failure.message;
  const seconds = retryAt ? Math.max(0, Math.ceil((retryAt - now) / 1000)) : null;
  return (
    <div class="notice notice-error" role="alert">
      <p>
        <strong>{doing} failed.</strong> {why}
      </p>
      {detail && (
        <p class="muted">
          The API said: “{detail}” <code>{failure.code}</code>
        </p>
      )}
      {seconds !== null && <p>Retrying automatically in {seconds} s.</p>}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Retry now
        </button>
      )}
    </div>
  );
}
