import { useEffect, useState } from 'preact/hooks';
import { ApiFailure } from '../api';
import { FailureNotice } from '../components/failure-notice';
import { StatusBadge } from '../components/status-badge';
import { useSession } from '../session';
import type { CurrentPolicy, DecisionSummary, Simulation, SimulationRequest } from '../types';
import { moneyWords, nameWords, reasonWords } from '../words';

const approvalWords = (d: DecisionSummary) => (d.requiredApprovals === 0 ? 'automatic' : d.requiredApprovals === 1 ? 'needs 1 approval' : `needs ${d.requiredApprovals} approvals`);
const signed = (n: number, words: (n: number) => string = String) => (n > 0 ? `+${words(n)}` : n < 0 ? `−${words(-n)}` : words(0));

/**
 * Admin page "Policy": the policy in force, an editor for a candidate (prefilled with the policy
 * in force), and what the candidate would have decided on past problems (POST /v1/policy/simulations).
 */
export function PolicyPage() {
  const { api } = useSession();
  const [current, setCurrent] = useState<CurrentPolicy | null>(null);
  const [loadFailure, setLoadFailure] = useState<ApiFailure | null>(null);
  const [candidate, setCandidate] = useState('');
  const [since, setSince] = useState('');
  const [type, setType] = useState('');
  const [parseError, setParseError] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Simulation | null>(null);

  const load = () => {
    const ctl = new AbortController();
    setLoadFailure(null);
    api.policy(ctl.signal).then(
      (p) => {
        setCurrent(p);
        setCandidate((c) => c || JSON.stringify(p.policy, null, 2));
      },
      (err: unknown) => err instanceof ApiFailure && setLoadFailure(err),
    );
    return () => ctl.abort();
  };
  useEffect(load, []);

  const run = async (e: Event) => {
    e.preventDefault();
    let policy: unknown;
    try {
      policy = JSON.parse(candidate);
    } catch (err) {
      setParseError(`The candidate is not valid JSON: ${(err as Error).message}`);
      return;
    }
    setParseError(null);
    setFailure(null);
    setBusy(true);
    const body: SimulationRequest = { policy, ...(since ? { since } : {}), ...(type ? { types: [type] } : {}) };
    try {
      setResult(await api.simulate(body));
    } catch (err) {
      if (err instanceof ApiFailure) setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const types = current ? Object.keys(current.policy.types) : [];
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Policy
      </h1>
      {loadFailure && <FailureNotice failure={loadFailure} doing="Loading the policy" onRetry={load} />}
      {!current && !loadFailure && <p role="status">Loading…</p>}
      {current && (
        <>
          <p>
            In force: <strong data-testid="policy-version">{current.version}</strong>. Edit a candidate below and see which past decisions it would
            have changed. Nothing is deployed and nothing waiting changes.
          </p>
          <details class="card">
            <summary>The policy in force (every type's section, defaults filled in)</summary>
            <pre class="policy-json">{JSON.stringify(current.policy, null, 2)}</pre>
          </details>
          <form class="card" onSubmit={run}>
            <div class="field">
              <label for="candidate">Candidate policy (JSON)</label>
              <textarea id="candidate" rows={16} spellcheck={false} class="policy-json" value={candidate} aria-invalid={parseError || failure?.code === 'invalid_policy' ? 'true' : undefined} onInput={(e) => setCandidate(e.currentTarget.value)} />
            </div>
            <div class="row">
              <div class="field">
                <label for="since">Problems since (default: 30 days ago)</label>
                <input id="since" type="date" value={since} onInput={(e) => setSince(e.currentTarget.value)} />
              </div>
              <div class="field">
                <label for="type">Problem type</label>
                <select id="type" value={type} onChange={(e) => setType(e.currentTarget.value)}>
                  <option value="">All types (changed decisions only)</option>
                  {types.map((t) => (
                    <option key={t} value={t}>
                      {nameWords(t)} (every problem)
                    </option>
                  ))}
                </select>
              </div>
            </div>
            {parseError && (
              <div class="notice notice-error" role="alert">
                <p>{parseError}</p>
              </div>
            )}
            {failure && <FailureNotice failure={failure} doing="Simulating the candidate" />}
            {failure?.details.length ? (
              <ul class="policy-issues" aria-label="Policy errors">
                {failure.details.map((d, i) => (
                  <li key={i}>
                    <code>{d.path}</code>: {d.message}
                  </li>
                ))}
              </ul>
            ) : null}
            <button type="submit" disabled={busy}>
              {busy ? 'Simulating…' : 'Simulate over past problems'}
            </button>
          </form>
          {result && <SimulationResult sim={result} />}
        </>
      )}
    </section>
  );
}

function SimulationResult({ sim }: { sim: Simulation }) {
  const t = sim.totals;
  const skipped = Object.entries(t.skippedByReason);
  return (
    <section aria-labelledby="sim-title" class="card" data-testid="simulation">
      <h2 id="sim-title">What {sim.policyVersion} would have changed</h2>
      <p role="status">
        <strong data-testid="sim-changed">{sim.changed}</strong> of {sim.evaluated} past decisions change
        {sim.matched > sim.evaluated + sim.skipped ? ` (the ${sim.evaluated + sim.skipped} most recent of ${sim.matched})` : ''}. Approvals{' '}
        <strong>{signed(t.approvalsDelta)}</strong>; money moved automatically <strong data-testid="sim-money">{signed(t.autoCreditedDelta, moneyWords)}</strong>.
      </p>
      {skipped.length > 0 && (
        <p class="muted">
          Not replayed: {skipped.map(([reason, n]) => `${n} ${nameWords(reason)}`).join(', ')}.
        </p>
      )}
      {sim.items.length > 0 && (
        <table class="list">
          <caption class="visually-hidden">Decisions, before and after</caption>
          <thead>
            <tr>
              <th scope="col">Problem</th>
              <th scope="col">Status</th>
              <th scope="col">Amount</th>
              <th scope="col">Before</th>
              <th scope="col">With the candidate</th>
            </tr>
          </thead>
          <tbody>
            {sim.items.map((i) => (
              <tr key={i.problemId} data-changed={i.changed ? 'true' : 'false'}>
                <td data-label="Problem">
                  <a href={`/console/problems/${i.problemId}`}>{i.problemId}</a>
                  <br />
                  <span class="muted">{nameWords(i.type)}</span>
                </td>
                <td data-label="Status">
                  <StatusBadge status={i.status} />
                </td>
                <td data-label="Amount">{i.before.amount === undefined ? '—' : moneyWords(i.before.amount)}</td>
                <td data-label="Before">
                  {approvalWords(i.before)}
                  <br />
                  <span class="muted">{reasonWords(i.before.reasonCode)}</span>
                </td>
                <td data-label="With the candidate">
                  <strong>{i.changed ? approvalWords(i.after) : 'unchanged'}</strong>
                  {i.changed && (
                    <>
                      <br />
                      <span class="muted">{reasonWords(i.after.reasonCode)}</span>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>By type</h3>
      <table class="list">
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Replayed</th>
            <th scope="col">Changed</th>
            <th scope="col">Need approval</th>
            <th scope="col">Moved automatically</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(t.byType).map(([type, n]) => (
            <tr key={type}>
              <td data-label="Type">{nameWords(type)}</td>
              <td data-label="Replayed">{n.evaluated}</td>
              <td data-label="Changed">{n.changed}</td>
              <td data-label="Need approval">
                {n.approvalsBefore} → {n.approvalsAfter}
              </td>
              <td data-label="Moved automatically">
                {moneyWords(n.autoCreditedBefore)} → {moneyWords(n.autoCreditedAfter)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
