import { defineQuery, defineUpdate } from '@temporalio/workflow';
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
  /** Accounts the submitting principal may act for (from its API key); absent = every account. */
  accountScope?: string[];
}

/** An approver's decision, authenticated by the API before it reaches the workflow. */
export interface ApprovalInput {
  principal: string;
  roles: string[];
  groups: string[];
  decision: 'approve' | 'reject';
  actionDigest: string;
  comment?: string;
}

/** The submitter's answer to a clarification question. */
export interface ClarificationInput {
  principal: string;
  text: string;
}

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
} as const;
