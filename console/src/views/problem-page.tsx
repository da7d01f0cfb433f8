import { useState } from 'preact/hooks';
import { ApiFailure } from '../api';
import { ActionDetails } from '../components/action-details';
import { CharCounter } from '../components/char-counter';
import { FailureNotice } from '../components/failure-notice';
import { OutcomeView } from '../components/outcome-view';
import { StatusBadge } from '../components/status-badge';
import { answerDraft } from '../drafts';
import { hasRole, useSession } from '../session';
import { FINAL_STATUSES, type Problem } from '../types';
import { useNow, usePoll } from '../use-poll';
import { durationWords, nameWords, reasonWords, timeWords } from '../words';

const POLL_MS = 1000;

/** One problem, live: status, decision in words, outcome, and the clarification box when asked. */
export function ProblemPage({ id }: { id: string }) {
  const { api, me } = useSession();
  const polled = usePoll((signal) => api.problem(id, signal), [id], POLL_MS, (p) => !FINAL_STATUSES.includes(p.status));
  const problem = polled.data;
  const privileged = hasRole(me, 'approver', 'admin');

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Problem <code>{id}</code>
      </h1>
      {polled.failure && <FailureNotice failure={polled.failure} doing="Loading the problem" retryAt={polled.retryAt} onRetry={polled.refresh} />}
      {!problem && !polled.failure && <p role="status">Loading…</p>}
      {problem && (
        <>
          <p class="status-line" role="status" aria-live="polite">
            Status: <StatusBadge status={problem.status} />
            {!FINAL_STATUSES.includes(problem.status) && <span class="muted"> (updates live)</span>}
          </p>
          <dl class="kv">
            <div>
              <dt>Type</dt>
              <dd>{nameWords(problem.type)}</dd>
            </div>
            {problem.submittedBy && (
              <div>
                <dt>Submitted by</dt>
                <dd>{problem.submittedBy}</dd>
              </div>
            )}
            {problem.customerId && (
              <div>
                <dt>Customer id</dt>
                <dd>{problem.customerId}</dd>
              </div>
            )}
            <div>
              <dt>Submitted</dt>
              <dd>{timeWords(problem.createdAt)}</dd>
            </div>
            <div>
              <dt>Last change</dt>
              <dd>{timeWords(problem.updatedAt)}</dd>
            </div>
          </dl>
          {problem.status === 'needs_clarification' && problem.clarification && <ClarificationBox problem={problem} onAnswered={polled.refresh} />}
          {problem.decision && (
            <section aria-labelledby="decision-title" class="card">
              <h2 id="decision-title">Decision</h2>
              <p>
                Action: <strong>{nameWords(problem.decision.action)}</strong>
                {problem.decision.requiresApproval ? ' (needs approval)' : ''}
              </p>
              <p>
                Why: {reasonWords(problem.decision.reasonCode)} <code>{problem.decision.reasonCode}</code>
              </p>
            </section>
          )}
          {problem.status === 'awaiting_approval' && problem.approval && <ApprovalProgress approval={problem.approval} />}
          {problem.outcome && (
            <section aria-labelledby="outcome-title" class="card">
              <h2 id="outcome-title">Outcome</h2>
              <OutcomeView outcome={problem.outcome} />
            </section>
          )}
          {privileged && (
            <p>
              <a href={`/console/problems/${id}/audit`}>Audit trail of this problem</a>
            </p>
          )}
        </>
      )}
    </section>
  );
}

function ApprovalProgress({ approval }: { approval: NonNullable<Problem['approval']> }) {
  const now = useNow(30_000);
  const approvedBy = approval.approvals.filter((a) => a.decision === 'approve').map((a) => a.principal);
  return (
    <section aria-labelledby="approval-title" class="card">
      <h2 id="approval-title">Approval</h2>
      <p>
        {approvedBy.length} of {approval.requiredApprovals} approval{approval.requiredApprovals === 1 ? '' : 's'}
        {approval.group ? ` from ${approval.group}` : ''}
        {approvedBy.length > 0 ? ` (approved by ${approvedBy.join(', ')})` : ''}.
      </p>
      <p>
        {approval.escalated ? 'Escalated. ' : `Escalates in ${durationWords(Date.parse(approval.escalateAt) - now)}. `}
        Expires in {durationWords(Date.parse(approval.expiresAt) - now)}.
      </p>
      <details>
        <summary>The action that runs once approved</summary>
        <ActionDetails action={approval.action} digest={approval.actionDigest} />
      </details>
    </section>
  );
}

function ClarificationBox({ problem, onAnswered }: { problem: Problem; onAnswered(): void }) {
  const { api } = useSession();
  const [text, setText] = useState(() => answerDraft.get(problem.id));
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const question = problem.clarification!;

  const send = async (e: Event) => {
    e.preventDefault();
    if (busy || !text.trim()) return;
    setBusy(true);
    setFailure(null);
    try {
      await api.clarify(problem.id, text.trim());
      answerDraft.clear(problem.id);
      setText('');
      onAnswered();
    } catch (err) {
      setFailure(err instanceof ApiFailure ? err : new ApiFailure('network', 0, 'network_error', 'The API cannot be reached.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="clarify-title" class="card card-attention">
      <h2 id="clarify-title">We need more information</h2>
      <p>{question.question}</p>
      {question.missingFields.length > 0 && <p class="muted">Missing: {question.missingFields.map(nameWords).join(', ')}</p>}
      <form onSubmit={send}>
        <label for="clarify-text">Your answer</label>
        <textarea
          id="clarify-text"
          rows={3}
          maxLength={4000}
          value={text}
          aria-describedby="clarify-count"
          onInput={(e) => {
            setText(e.currentTarget.value);
            answerDraft.set(problem.id, e.currentTarget.value);
          }}
        />
        <CharCounter id="clarify-count" length={text.length} max={4000} />
        {failure && <FailureNotice failure={failure} doing="Sending the answer" />}
        <button type="submit" disabled={busy || !text.trim()}>
          {busy ? 'Sending…' : 'Send answer'}
        </button>
      </form>
    </section>
  );
}
