import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { ApiFailure } from '../api';
import { FailureNotice } from '../components/failure-notice';
import { StatusBadge } from '../components/status-badge';
import { hasRole, useSession } from '../session';
import { STATUSES, type ProblemSummary } from '../types';
import { usePoll } from '../use-poll';
import { nameWords, statusWords, timeWords } from '../words';

const REFRESH_MS = 5000;

/**
 * "My problems" for submitters (the API lists only their own); approvers and admins see every
 * problem and can narrow the list to their own. Filtered by status through the API.
 */
export function ProblemList() {
  const { api, me } = useSession();
  const { query, route } = useLocation();
  const status = query.status && (STATUSES as readonly string[]).includes(query.status) ? query.status : '';
  const privileged = hasRole(me, 'approver', 'admin');
  const [onlyMine, setOnlyMine] = useState(!privileged);
  const [more, setMore] = useState<{ items: ProblemSummary[]; cursor: string | null } | null>(null);
  const [moreFailure, setMoreFailure] = useState<ApiFailure | null>(null);
  const first = usePoll((signal) => api.problems({ status, limit: '25' }, signal), [status], REFRESH_MS);

  const setStatus = (next: string) => {
    setMore(null);
    route(next ? `/console/problems?status=${next}` : '/console/problems', true);
  };
  const loadMore = async () => {
    const cursor = more ? more.cursor : first.data?.nextCursor;
    if (!cursor) return;
    try {
      const page = await api.problems({ status, cursor, limit: '25' });
      setMore({ items: [...(more?.items ?? []), ...page.items], cursor: page.nextCursor });
      setMoreFailure(null);
    } catch (err) {
      if (err instanceof ApiFailure) setMoreFailure(err);
    }
  };

  const all = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const items = onlyMine ? all.filter((p) => p.submittedBy === me.principal || (!privileged && p.submittedBy === null)) : all;
  const nextCursor = more ? more.cursor : (first.data?.nextCursor ?? null);
  const title = privileged ? 'Problems' : 'My problems';

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {title}
      </h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <fieldset>
          <legend>Status</legend>
          {['', ...STATUSES].map((s) => (
            <label key={s || 'all'} class="chip">
              <input type="radio" name="status" value={s} checked={status === s} onChange={() => setStatus(s)} />
              {s ? statusWords(s) : 'All'}
            </label>
          ))}
        </fieldset>
        {privileged && (
          <label class="checkbox">
            <input type="checkbox" checked={onlyMine} onChange={(e) => setOnlyMine(e.currentTarget.checked)} /> Only problems I submitted
          </label>
        )}
      </form>
      {first.failure && <FailureNotice failure={first.failure} doing="Loading problems" retryAt={first.retryAt} onRetry={first.refresh} />}
      {!first.data && !first.failure && <p role="status">Loading…</p>}
      {first.data && items.length === 0 && (
        <p role="status">
          No problems{status ? ` with status “${statusWords(status)}”` : ''} yet. <a href="/console/new">Report one</a>.
        </p>
      )}
      {items.length > 0 && (
        <table class="list">
          <caption class="visually-hidden">{title}, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Problem</th>
              <th scope="col">Status</th>
              <th scope="col">Type</th>
              {privileged && <th scope="col">Submitted by</th>}
              <th scope="col">Submitted</th>
            </tr>
          </thead>
          <tbody>
            {items.map((p) => (
              <tr key={p.id}>
                <td data-label="Problem">
                  <a href={`/console/problems/${p.id}`}>
                    <code>{p.id}</code>
                  </a>
                </td>
                <td data-label="Status">
                  <StatusBadge status={p.status} />
                </td>
                <td data-label="Type">{nameWords(p.type)}</td>
                {privileged && <td data-label="Submitted by">{p.submittedBy ?? '—'}</td>}
                <td data-label="Submitted">{timeWords(p.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {moreFailure && <FailureNotice failure={moreFailure} doing="Loading more problems" onRetry={() => void loadMore()} />}
      <div class="row">
        {nextCursor && (
          <button type="button" onClick={() => void loadMore()}>
            Load more
          </button>
        )}
        <button type="button" class="secondary" onClick={first.refresh}>
          Refresh
        </button>
      </div>
    </section>
  );
}
