import { z } from 'zod';

/** An ISO calendar date, e.g. 2026-11-30. */
export const isoDateSchema = z.iso.date();

/** Whole days from `from` to `to` (ISO dates, UTC); negative when `to` is earlier. Pure, so workflows may call it. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
