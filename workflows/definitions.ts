import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CommandSignature } from '../src/domain/signed-command';
import type { ProblemState } from './state';

/** Starts a problem; the workflow id is the problem id. */
export interface ProblemInput {
  problemId: string;
  text: string;
  customerId?: string;
  channel: 'web' | 'email' | 'chat' | 'api';
  submittedBy: string;
  /** Digest of the submitted request, for idempotent re-submission checks. */
  requestDigest: string;
  /** Task queue of the model-hosting workers (EXTRACTION_TASK_QUEUE); absent = this workflow's own queue. */
  extractionTaskQueue?: string;
  /** Accounts the submitting principal may act for (from its API key); absent = every account. */
  accountScope?: string[];
  /** The person behind the submitting key (its `employeeId`): they may not approve it under another key either. */
  submitterEmployeeId?: string;
  /**
   * The API's signature over every other field (kind `start`): the workflow's admission step
   * refuses a start without it, so who submitted a problem, for whom and with which scope is never
   * taken from a payload written straight to Temporal. Absent only in problems started before it.
   */
  signature?: CommandSignature;
}

/** An approver's decision, as the API authenticated it: every field is covered by the API's signature. */
export interface ApprovalCommand {
  /** The workflow run it is for: the validator refuses it in any other run of the problem id. */
  runId: string;
  principal: string;
  roles: string[];
  groups: string[];
  /** The person behind the key (beneficiary rule); null when the key names none. */
  employeeId: string | null;
  /** Accounts the principal is scoped to (beneficiary rule); null = not scoped. */
  accounts: string[] | null;
  decision: 'approve' | 'reject';
  actionDigest: string;
  comment?: string;
}

/** An approval as it reaches the workflow: the command plus the API's signature over it. */
export type ApprovalInput = ApprovalCommand & { signature: CommandSignature };

/** The submitter's answer to a clarification question, for one round (a signed answer cannot answer another). */
export interface ClarificationCommand {
  /** The workflow run it is for, as for an approval. */
  runId: string;
  principal: string;
  text: string;
  round: number;
}

/** A clarification as it reaches the workflow: the command plus the API's signature over it. */
export type ClarificationInput = ClarificationCommand & { signature: CommandSignature };

export const getProblemQuery = defineQuery<ProblemState>('getProblem');
export const submitApprovalUpdate = defineUpdate<ProblemState, [ApprovalInput]>('submitApproval');
export const submitClarificationUpdate = defineUpdate<ProblemState, [ClarificationInput]>('submitClarification');

/** Failure types raised by update validators; the API maps each to an HTTP status. */
export const UpdateRejection = {
  notAwaitingApproval: 'not_awaiting_approval',
  staleActionDigest: 'stale_action_digest',
  selfApproval: 'self_approval_forbidden',
  alreadyDecided: 'already_decided',
  groupRequired: 'approver_group_required',
  roleRequired: 'approver_role_required',
  notAwaitingClarification: 'not_awaiting_clarification',
  notSubmitter: 'not_submitter',
  invalidText: 'invalid_text',
  beneficiaryApproval: 'beneficiary_approval_forbidden',
  commandUnsigned: 'command_unsigned',
  commandSignatureInvalid: 'command_signature_invalid',
  commandExpired: 'command_expired',
} as const;
