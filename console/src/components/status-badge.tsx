import { statusWords } from '../words';

/** A problem status as a labelled badge (colour is never the only signal). */
export function StatusBadge({ status }: { status: string | null | undefined }) {
  return <span class={`badge badge-${status ?? 'unknown'}`} data-status={status ?? 'unknown'}>{statusWords(status)}</span>;
}
