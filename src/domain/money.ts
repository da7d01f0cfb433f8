import { z } from 'zod';

/** Converts rupees (two decimals) to integer paise so comparisons never suffer float error. */
export function toPaise(rupees: number): number {
  return Math.round(rupees * 100);
}

/** Converts integer paise back to rupees with two decimals. */
export function toRupees(paise: number): number {
  return Math.round(paise) / 100;
}

/** A positive money amount with at most two decimals, as claimed in user text. */
export const moneySchema = z
  .number()
  .positive('must be positive')
  .max(100_000_000, 'is not a plausible amount')
  .refine((n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-6, 'must have at most two decimals');
