import { DECIDE_ACTIVITY, type RecordedDecision } from '../domain/recorded-decision';
import { EventType, toNumber, type History, type HistoryEvent, type Payload, type PayloadDecoder, type ProtoFailure } from './history';

/** The SDK core's marker name for a completed local activity. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/** A local activity's recorded outcome, read from its marker. */
export interface LocalActivityRecord {
  activityType: string;
  eventId: number;
  /** The result (undefined when it failed). */
  result: unknown;
  /** The attempt that ended it (1 when it did not retry). */
  attempt: number;
  /** Its failure, once its retries were spent or it was refused for good. */
  failure?: ProtoFailure;
}

/** The marker's own metadata (written by the SDK core as plain JSON, never through the codec). */
function markerMetadata(payload: Payload | undefined): { activity_type?: unknown; attempt?: unknown } | null {
  if (!payload?.data) return null;
  try {
    return JSON.parse(Buffer.from(payload.data).toString('utf8')) as { activity_type?: unknown; attempt?: unknown };
  } catch {
    return null;
  }
}

/** The local activity a marker event records, with its result decoded through the codec; `null` for other events. */
export async function localActivityOf(event: HistoryEvent, decode: PayloadDecoder): Promise<LocalActivityRecord | null> {
  if (event.eventType !== EventType.EVENT_TYPE_MARKER_RECORDED) return null;
  const marker = event.markerRecordedEventAttributes;
  if (marker?.markerName !== LOCAL_ACTIVITY_MARKER) return null;
  const metadata = markerMetadata(marker.details?.data?.payloads?.[0] ?? undefined);
  if (typeof metadata?.activity_type !== 'string') return null;
  const resultPayloads = marker.details?.result?.payloads;
  const result = resultPayloads?.length ? (await decode(resultPayloads))[0] : undefined;
  const attempt = typeof metadata.attempt === 'number' ? metadata.attempt : 1;
  return { activityType: metadata.activity_type, eventId: toNumber(event.eventId), result, attempt, ...(marker.failure ? { failure: marker.failure } : {}) };
}

/** Whether a decoded marker result has the shape of a recorded decision. */
export function isRecordedDecision(value: unknown): value is RecordedDecision {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<RecordedDecision>;
  return typeof v.buildId === 'string' && typeof v.input === 'object' && v.input !== null && 'decision' in v;
}

/**
 * Every decision a problem's history recorded, in order, each with the event that holds it. A
 * problem may decide more than once (after a clarification, or again before an effect): the
 * last one is the decision that counts. Problems decided before decisions were recorded give none.
 */
export async function recordedDecisionsOf(history: History, decode: PayloadDecoder): Promise<(RecordedDecision & { eventId: number })[]> {
  const decisions: (RecordedDecision & { eventId: number })[] = [];
  for (const event of history.events ?? []) {
    if (event.eventType !== EventType.EVENT_TYPE_MARKER_RECORDED) continue;
    const record = await localActivityOf(event, decode);
    if (record?.activityType === DECIDE_ACTIVITY && isRecordedDecision(record.result)) decisions.push({ ...record.result, eventId: record.eventId });
  }
  return decisions;
}
