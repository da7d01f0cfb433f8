/**
 * Changes that reach problems already running, each behind `patched()` so their recorded
 * histories replay as they ran (see also effect-guard.ts's PATCHES).
 */
export const Patches = {
  /** The API's public keys are loaded, and commands are verified against them. */
  signedCommands: 'signed-commands',
  /** An approval update answers once recorded instead of after the action ran. */
  approvalAnswersOnRecord: 'approval-answers-on-record',
  /** The pending approval is published in the memo, so the approval queue is one visibility page. */
  approvalMemo: 'approval-memo',
  /**
   * Rules run in the worker's local activities and their results are recorded (plan, decision
   * with input and build id); the policy loads locally; search attributes of one transition are
   * written together.
   */
  recordedDecisions: 'recorded-decisions',
  /**
   * A problem's final status reaches visibility with its close, in the last workflow task, instead
   * of one task earlier before the completion notice: one visibility write fewer per problem.
   * Checked in the first workflow task, whose other patch marker already writes visibility.
   */
  finalStatusWithClose: 'final-status-with-close',
  /**
   * Verification lookups (reads of the systems of record) and the completion notice try a local
   * activity first (local-first.ts): no task queue round trip and no workflow task of their own.
   * Checked in the first workflow task, with the patches above.
   */
  localFirst: 'local-first',
  /**
   * The problem is admitted first: the `admitProblem` local activity checks the API's signature on
   * the start (the submitter, scope and customer are never taken from a start written straight to
   * Temporal) and loads the policy, in place of `loadPolicy`. Checked in the first workflow task.
   */
  signedStart: 'signed-start',
} as const;
