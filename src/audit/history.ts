import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import type { LoadedDataConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/** One event of a workflow history, as the Temporal API returns it. */
export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
/** A workflow history. */
export type History = temporal.api.history.v1.IHistory;
/** A payload as stored in history (possibly encrypted by a codec). */
export type Payload = temporal.api.common.v1.IPayload;
/** A list of payloads (activity input, result, update arguments). */
export type Payloads = temporal.api.common.v1.IPayloads;
/** A failure as stored in history. */
export type ProtoFailure = temporal.api.failure.v1.IFailure;

/** History event types, by name. */
export const EventType = temporal.api.enums.v1.EventType;

/** Decodes payloads (codecs, then payload converter) into values. */
export type PayloadDecoder = (payloads: Payload[] | null | undefined) => Promise<unknown[]>;

/** A decoder bound to a client's or worker's data converter, so encrypted payloads are read with the configured keys. */
export function payloadDecoder(converter: LoadedDataConverter): PayloadDecoder {
  return (payloads) => decodeArrayFromPayloads(converter, payloads ?? []);
}

type Long = { toNumber(): number } | number | string | null | undefined;

/** A protobuf int64 (Long, number or string) as a number. */
export function toNumber(value: Long): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'object') return value.toNumber();
  return Number(value);
}

/** A protobuf Timestamp as ISO 8601. */
export function timestampToIso(ts: { seconds?: Long; nanos?: number | null } | null | undefined): string {
  if (!ts) return new Date(0).toISOString();
  return new Date(toNumber(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();
}

/** A protobuf Duration in milliseconds, or null when absent. */
export function durationToMs(d: { seconds?: Long; nanos?: number | null } | null | undefined): number | null {
  if (!d) return null;
  return toNumber(d.seconds) * 1000 + Math.floor((d.nanos ?? 0) / 1e6);
}
