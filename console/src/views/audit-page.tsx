import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiFailure } from '../api';
import { FailureNotice } from '../components/failure-notice';
import { StatusBadge } from '../components/status-badge';
import { useSession } from '../session';
import type { AuditStep, ConsoleConfig } from '../types';
import { usePoll } from '../use-poll';
import { durationWords, nameWords, reasonWords, statusWords, timeWords } from '../words';

const KIND_WORDS: Record<string, string> = {
  extraction: 'Extraction',
  verification: 'Verification',
  decision: 'Decision',
  approval: 'Approval',
  clarification: 'Clarification',
  tool: 'Tool call',
  compensation: 'Compensation',
  timer: 'Timer',
  status: 'Status',
};

/** The link to this problem's workflow in Temporal Web UI. */
export function temporalWorkflowUrl(config: ConsoleConfig, id: string): string {
  return `${config.temporalUiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(config.namespace)}/workflows/${encodeURIComponent(id)}`;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const short = (v: unknown): string => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 157)}…` : s;
};

/** One step's facts in a sentence or two, by kind; unknown kinds list their fields. */
function StepBody({ step }: { step: AuditStep }): ComponentChildren {
  const s = step as Record<string, unknown>;
  switch (step.kind) {
    case 'extraction': {
      const usage = s.usage as { promptTokens?: number; completionTokens?: number } | null | undefined;
      return (
        <>
          <p>
            Round {String(s.round ?? 1)}: {str(s.validation) ?? str(s.outcome) ?? 'done'}
            {str(s.type) ? `, type ${nameWords(str(s.type))}` : ''}
            {str(s.reasonCode) ? ` (${str(s.reasonCode)})` : ''}.
          </p>
          <p class="muted">
            Provider {str(s.provider) ?? '—'}, model {str(s.model) ?? '—'}
            {usage ? `, ${usage.promptTokens ?? 0} prompt + ${usage.completionTokens ?? 0} completion tokens` : ''}, attempts {String(s.attempts ?? 1)}.
          </p>
        </>
      );
    }
    case 'verification':
      return (
        <p>
          Fact <code>{String(s.fact)}</code> from <code>{String(s.source)}</code>: {String(s.outcome)}
          {s.value !== undefined ? <span class="muted"> — {short(s.value)}</span> : null}
        </p>
      );
    case 'decision':
      return (
        <>
          <p>
            Rule <code>{String(s.ruleId ?? '—')}</code>: {str(s.reasonCode) ? reasonWords(String(s.reasonCode)) : 'no reason code'} {str(s.reasonCode) && <code>{String(s.reasonCode)}</code>}
          </p>
          <p class="muted">
            Action {nameWords(str(s.action))}; {s.requiresApproval ? 'needs approval' : 'no approval needed'}; policy {String(s.policyVersion ?? '—')}; input digest{' '}
            <code>{String(s.inputDigest ?? '—')}</code>
          </p>
        </>
      );
    case 'approval':
      return (
        <p>
          <strong>{String(s.principal)}</strong> {s.decision === 'approve' ? 'approved' : 'rejected'}
          {str(s.comment) ? ` (“${str(s.comment)}”)` : ''}; digest <code>{String(s.actionDigest)}</code>
        </p>
      );
    case 'clarification':
      return s.event === 'answered' ? (
        <p>Answered by {String(s.principal ?? 'the submitter')}.</p>
      ) : (
        <p>
          Asked the submitter{str(s.reasonCode) ? ` (${String(s.reasonCode)})` : ''}
          {Array.isArray(s.missingFields) && s.missingFields.length ? `; missing ${s.missingFields.join(', ')}` : ''}.
        </p>
      );
    case 'tool':
    case 'compensation':
      return (
        <>
          <p>
            <code>{String(s.tool)}</code>
            {str(s.stepId) ? ` (step ${str(s.stepId)})` : ''}: {String(s.outcome)}, attempts {String(s.attempts ?? 1)}
          </p>
          <p class="muted">
            Idempotency key <code>{String(s.idempotencyKey ?? '—')}</code>
            {s.result !== undefined ? ` — result ${short(s.result)}` : ''}
          </p>
        </>
      );
    case 'timer':
      return (
        <p>
          {str(s.summary) ?? 'Timer'} fired{typeof s.durationMs === 'number' ? ` after ${durationWords(s.durationMs)}` : ''}.
        </p>
      );
    case 'status':
      return (
        <p>
          Status became <StatusBadge status={String(s.status)} />
          {str(s.reasonCode) ? ` (${str(s.reasonCode)})` : ''}
        </p>
      );
    default:
      return <p class="muted">{short(Object.fromEntries(Object.entries(s).filter(([k]) => k !== 'kind' && k !== 'at')))}</p>;
  }
}

/** A problem's timeline from `GET /v1/problems/:id/audit`, with a link to Temporal Web UI. */
export function AuditPage({ id }: { id: string }) {
  const { api, config } = useSession();
  const first = usePoll((signal) => api.audit(id, undefined, signal), [id], 3000, (a) => a.closed === false);
  const [more, setMore] = useState<{ steps: AuditStep[]; cursor: string | null } | null>(null);
  const [moreFailure, setMoreFailure] = useState<ApiFailure | null>(null);
  const steps = [...(first.data?.steps ?? []), ...(more?.steps ?? [])];
  const nextCursor = more ? more.cursor : (first.data?.nextCursor ?? null);

  const loadMore = async () => {
    if (!nextCursor) return;
    try {
      const page = await api.audit(id, nextCursor);
      setMore({ steps: [...(more?.steps ?? []), ...page.steps], cursor: page.nextCursor ?? null });
      setMoreFailure(null);
    } catch (err) {
      if (err instanceof ApiFailure) setMoreFailure(err);
    }
  };

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Audit trail of <code>{id}</code>
      </h1>
      <p>
        <a href={temporalWorkflowUrl(config, id)} target="_blank" rel="noopener noreferrer">
          Open this workflow in Temporal Web UI
        </a>{' '}
        · <a href={`/console/problems/${id}`}>Problem page</a>
      </p>
      {first.data && (
        <p>
          Current status: <StatusBadge status={first.data.status ?? null} /> {first.data.closed === false ? <span class="muted">(running; updates live)</span> : null}
        </p>
      )}
      {first.failure && <FailureNotice failure={first.failure} doing="Loading the audit trail" retryAt={first.retryAt} onRetry={first.refresh} />}
      {!first.data && !first.failure && <p role="status">Loading…</p>}
      <ol class="timeline">
        {steps.map((step, i) => (
          <li key={`${step.at}-${i}`} class={`step step-${step.kind}`}>
            <p class="step-head">
              <strong>{KIND_WORDS[step.kind] ?? statusWords(step.kind)}</strong> <time dateTime={step.at}>{timeWords(step.at)}</time>
            </p>
            <StepBody step={step} />
          </li>
        ))}
      </ol>
      {moreFailure && <FailureNotice failure={moreFailure} doing="Loading more steps" onRetry={() => void loadMore()} />}
      {nextCursor && (
        <button type="button" onClick={() => void loadMore()}>
          Load more steps
        </button>
      )}
    </section>
  );
}
