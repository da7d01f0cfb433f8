import type { ApprovalEvidence } from '../types';
import { nameWords, reasonWords, valueWords } from '../words';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A list of records (e.g. invoice lines) as a table; columns are the union of their fields. */
function RecordsTable({ rows }: { rows: Record<string, unknown>[] }) {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return (
    <table class="list evidence-table">
      <thead>
        <tr>{columns.map((c) => <th key={c} scope="col">{nameWords(c)}</th>)}</tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={i}>{columns.map((c) => <td key={c}>{c in row ? valueWords(c, row[c]) : '—'}</td>)}</tr>
        ))}
      </tbody>
    </table>
  );
}

/** One verified fact as the system of record returned it: plain fields, nested records and lists of records. */
function FactView({ value }: { value: unknown }) {
  if (!isRecord(value)) return <p>{valueWords('', value)}</p>;
  const entries = Object.entries(value);
  const plain = entries.filter(([, v]) => !isRecord(v) && !(Array.isArray(v) && v.some(isRecord)));
  const nested = entries.filter(([, v]) => !plain.some(([, p]) => p === v));
  return (
    <>
      <dl class="kv">
        {plain.map(([k, v]) => (
          <div key={k}>
            <dt>{nameWords(k)}</dt>
            <dd>{Array.isArray(v) ? v.map((x) => valueWords(k, x)).join(', ') || 'none' : valueWords(k, v)}</dd>
          </div>
        ))}
      </dl>
      {nested.map(([k, v]) => (
        <div key={k}>
          <p class="muted">{nameWords(k)}</p>
          {Array.isArray(v) ? <RecordsTable rows={v.filter(isRecord)} /> : <FactView value={v} />}
        </div>
      ))}
    </>
  );
}

/**
 * Why the rule asks for this approval: the rule and reason, the verified facts it read (as the
 * systems of record returned them, not as the submitter claimed) and the submitter's own words.
 */
export function EvidenceDetails({ evidence }: { evidence: ApprovalEvidence }) {
  return (
    <details class="evidence" open>
      <summary>
        Evidence: rule <code>{evidence.ruleId}</code>, {reasonWords(evidence.reasonCode)}
      </summary>
      {Object.entries(evidence.facts).map(([name, value]) => (
        <section key={name} aria-label={`Verified fact: ${nameWords(name)}`}>
          <h3>Verified {nameWords(name).toLowerCase()}</h3>
          <FactView value={value} />
        </section>
      ))}
      <h3>In the submitter's words</h3>
      {evidence.texts.map((text, i) => (
        <blockquote key={i}>{text}</blockquote>
      ))}
    </details>
  );
}
