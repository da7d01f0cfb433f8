import { DECIDE_ACTIVITY, type RecordedDecision } from '../domain/recorded-decision';
import type { History, PayloadDecoder } from './history';

/** Marker name the SDK core gives a local activity's result in history. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/** The local activity type a marker records; its `data` is plain JSON written by the SDK core, never codec-encoded. */
function markerActivityType(data: Uint8Array | null | undefined): string | null {
  if (!data) return null;
  try {
    const parsed = JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: unknown; activityType?: unknown };
    const type = parsed.activity_type ?? parsed.activityType;
    return typeof type === 'string' ? type : null;
  } catch {
    return null;
  }
}

/**
 * A history's recorded decisions, oldest first: the results of its `decide` local activity
 * markers, decoded through the payload codec. A problem re-decided before an effect has several;
 * the last one is the decision in force. Empty for problems decided before decisions were recorded.
 */
export async function readRecordedDecisions(history: History, decode: PayloadDecoder): Promise<RecordedDecision[]> {
  const decisions: RecordedDecision[] = [];
  for (const event of history.events ?? []) {
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName !== LOCAL_ACTIVITY_MARKER || marker.failure) continue;
    if (markerActivityType(marker.details?.data?.payloads?.[0]?.data) !== DECIDE_ACTIVITY) continue;
    const [result] = await decode(marker.details?.result?.payloads);
    if (result) decisions.push(result as RecordedDecision);
  }
  return decisions;
}
