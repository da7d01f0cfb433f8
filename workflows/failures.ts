import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/** An update refusal: non-retryable, with a stable type the API maps to its error code. */
export function rejection(type: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

/** What a failed activity says about itself: its reason code, and whether a system of record refused (a business answer). */
export interface FailureReason {
  reasonCode: string;
  rejected: boolean;
  message: string;
}

/** Reason code carried by a failed activity, if the failure says which. */
export function reasonOf(err: unknown, fallback: string): FailureReason {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) {
    const detail = cause.details?.[0] as { reasonCode?: string } | undefined;
    if (cause.type === 'ToolRejected' && detail?.reasonCode) return { reasonCode: detail.reasonCode, rejected: true, message: cause.message };
    return { reasonCode: detail?.reasonCode ?? fallback, rejected: false, message: cause.message };
  }
  return { reasonCode: fallback, rejected: false, message: err instanceof Error ? err.message : String(err) };
}
