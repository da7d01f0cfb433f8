import type { Action } from '../types';
import { nameWords, valueWords } from '../words';

const LABELS: Record<string, string> = { accountId: 'Account', invoiceId: 'Invoice', lineNo: 'Invoice line', amount: 'Amount', currency: 'Currency' };

/** The exact action an approval lets run: each tool and its input, then the digest it is bound to. */
export function ActionDetails({ action, digest }: { action: Action; digest: string }) {
  return (
    <div class="action">
      <p>
        Action: <strong>{nameWords(action.name)}</strong>
      </p>
      {action.steps.map((step) => (
        <div class="action-step" key={step.id}>
          <p>
            Tool: <code>{step.tool}</code>
          </p>
          <dl class="kv">
            {Object.entries(step.input).map(([k, v]) => (
              <div key={k}>
                <dt>{LABELS[k] ?? nameWords(k)}</dt>
                <dd>{valueWords(k, v)}</dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
      <p class="digest">
        Action digest: <code>{digest}</code>
      </p>
    </div>
  );
}
