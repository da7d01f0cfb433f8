import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiFailure } from '../api';
import { ActionDetails } from '../components/action-details';
import { EvidenceDetails } from '../components/evidence-details';
import { FailureNotice } from '../components/failure-notice';
import { StatusBadge } from '../components/status-badge';
import { useSession } from '../session';
import { FINAL_STATUSES, type PendingApproval, type Problem } from '../types';
import { useNow, usePoll } from '../use-poll';
import { durationWords, nameWords, timeWords } from '../words';

const REFRESH_MS = 5000;

/** A decision this approver just took, kept on screen with its live result. */
interface Decided {
  item: PendingApproval;
  decision: 'approve' | 'reject';
  state: Problem;
}

/** The approver's queue: most recent first, each with the exact action, its digest, and approve/reject. */
export function Approvals() {
  const { api } = useSession();
  const queue = usePoll((signal) => api.approvals(signal), [], REFRESH_MS);
  const [decided, setDecided] = useState<Record<string, Decided>>({});
  const now = useNow(30_000);

  const pending = (queue.data?.items ?? []).filter((i) => !decided[i.problemId]);
  const cards = [...pending, ...Object.values(decided).map((d) => d.item)].sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Approvals
      </h1>
      <p class="muted">Most recent first. Each card shows the exact action that runs if you approve it, bound to its digest.</p>
      {queue.failure && <FailureNotice failure={queue.failure} doing="Loading the approval queue" retryAt={queue.retryAt} onRetry={queue.refresh} />}
      {!queue.data && !queue.failure && <p role="status">Loading…</p>}
      {queue.data && cards.length === 0 && <p role="status">Nothing is waiting for approval.</p>}
      <ol class="cards">
        {cards.map((item) => (
          <li key={item.problemId}>
            <ApprovalCard
              item={item}
              now={now}
              decided={decided[item.problemId] ?? null}
              onDecided={(d) => setDecided((all) => ({ ...all, [item.problemId]: d }))}
              onStale={queue.refresh}
            />
          </li>
        ))}
      </ol>
      <button type="button" class="secondary" onClick={queue.refresh}>
        Refresh
      </button>
    </section>
  );
}

interface CardProps {
  item: PendingApproval;
  now: number;
  decided: Decided | null;
  onDecided(d: Decided): void;
  onStale(): void;
}

function ApprovalCard({ item, now, decided, onDecided, onStale }: CardProps) {
  const { api } = useSession();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<'approve' | 'reject' | null>(null);
  const [last, setLast] = useState<'approve' | 'reject'>('approve');
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  // A ref, not state: a double click lands before a re-render could disable the button.
  const inFlight = useRef(false);
  const titleId = `approval-${item.problemId}`;
  const approvals = item.approvals.filter((a) => a.decision === 'approve').length;

  const decide = async (decision: 'approve' | 'reject') => {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(decision);
    setLast(decision);
    setFailure(null);
    try {
      const trimmed = comment.trim();
      const state = await api.decide(item.problemId, { decision, actionDigest: item.actionDigest, ...(trimmed ? { comment: trimmed } : {}) });
      onDecided({ item, decision, state });
    } catch (err) {
      const f = err instanceof ApiFailure ? err : new ApiFailure('network', 0, 'network_error', 'The API cannot be reached.');
      setFailure(f);
      if (f.code === 'stale_action_digest' || f.code === 'not_awaiting_approval') onStale();
    } finally {
      inFlight.current = false;
      setBusy(null);
    }
  };

  return (
    <article class="card" aria-labelledby={titleId} data-problem-id={item.problemId}>
      <h2 id={titleId}>
        {nameWords(item.type)} <a href={`/console/problems/${item.problemId}`}><code>{item.problemId}</code></a>
      </h2>
      <p class="muted">
        Submitted by {item.submittedBy ?? 'unknown'}; approval requested {timeWords(item.requestedAt)}.
      </p>
      <p>
        {item.escalateAt && <strong>Escalates in {durationWords(Date.parse(item.escalateAt) - now)}</strong>}
        {item.escalateAt ? '; ' : ''}expires in {durationWords(Date.parse(item.expiresAt) - now)}. {approvals} of {item.requiredApprovals} approval
        {item.requiredApprovals === 1 ? '' : 's'}
        {item.group ? ` (group ${item.group})` : ''}.
      </p>
      <ActionDetails action={item.action} digest={item.actionDigest} />
      {item.evidence && <EvidenceDetails evidence={item.evidence} />}
      {decided ? (
        <DecisionResult decided={decided} />
      ) : (
        <form onSubmit={(e) => e.preventDefault()}>
          <label for={`comment-${item.problemId}`}>Comment (optional)</label>
          <textarea id={`comment-${item.problemId}`} rows={2} maxLength={1000} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
          {failure && <FailureNotice failure={failure} doing={last === 'reject' ? 'Rejecting' : 'Approving'} />}
          <div class="row">
            <button type="button" class="approve" disabled={busy !== null} onClick={() => void decide('approve')}>
              {busy === 'approve' ? 'Approving…' : 'Approve'}
            </button>
            <button type="button" class="reject" disabled={busy !== null} onClick={() => void decide('reject')}>
              {busy === 'reject' ? 'Rejecting…' : 'Reject'}
            </button>
          </div>
        </form>
      )}
    </article>
  );
}

/** The result of a decision, followed live until the problem is final. */
function DecisionResult({ decided }: { decided: Decided }) {
  const { api } = useSession();
  const live = usePoll(
    async (signal) => (FINAL_STATUSES.includes(decided.state.status) ? decided.state : api.problem(decided.state.id, signal)),
    [decided.state.id],
    1000,
    (p) => !FINAL_STATUSES.includes(p.status),
  );
  const state = live.data ?? decided.state;
  const message = useRef<HTMLParagraphElement>(null);
  useEffect(() => message.current?.focus(), []);
  return (
    <div class="notice notice-ok">
      <p ref={message} tabIndex={-1} role="status">
        You {decided.decision === 'approve' ? 'approved' : 'rejected'} this action. Problem status: <StatusBadge status={state.status} />
      </p>
      {live.failure && <FailureNotice failure={live.failure} doing="Following the result" retryAt={live.retryAt} onRetry={live.refresh} />}
    </div>
  );
}
