import { nameWords, reasonWords, timeWords, valueWords } from '../words';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function KeyValues({ record }: { record: Record<string, unknown> }) {
  return (
    <dl class="kv">
      {Object.entries(record).map(([k, v]) => (
        <div key={k}>
          <dt>{nameWords(k)}</dt>
          <dd>{valueWords(k, v)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A problem's outcome: what each executed step did, or why nothing ran. */
export function OutcomeView({ outcome }: { outcome: Record<string, unknown> }) {
  const { reasonCode, results, steps, followUp, action } = outcome;
  return (
    <div class="outcome">
      {typeof action === 'string' && (
        <p>
          Action carried out: <strong>{nameWords(action)}</strong>
        </p>
      )}
      {typeof reasonCode === 'string' && (
        <p>
          {reasonWords(reasonCode)} <code>{reasonCode}</code>
        </p>
      )}
      {isRecord(results) &&
        Object.entries(results).map(([stepId, result]) => (
          <div key={stepId}>
            <h3>Result of {nameWords(stepId)}</h3>
            {isRecord(result) ? <KeyValues record={result} /> : <p>{valueWords(stepId, result)}</p>}
          </div>
        ))}
      {Array.isArray(steps) && steps.length > 0 && (
        <>
          <h3>Steps</h3>
          <ul>
            {steps.filter(isRecord).map((s) => (
              <li key={String(s.id)}>
                <code>{String(s.tool)}</code>: {nameWords(String(s.status))}
                {typeof s.error === 'string' ? ` (${s.error})` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
      {isRecord(followUp) && (
        <p>
          Follow-up: {String(followUp.summary)}, {nameWords(String(followUp.status))}, due {timeWords(String(followUp.dueAt))}
        </p>
      )}
    </div>
  );
}
