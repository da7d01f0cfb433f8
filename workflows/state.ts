/**
 * The workflow's view of the API contract: types only, inferred from the zod schemas in
 * src/api/schemas.ts (their one definition). Type imports are erased, so no zod reaches the bundle.
 */
export type {
  ActionCommitment,
  ApprovalEvidence,
  ApprovalRecord,
  CommittedCall,
  DecisionRecord,
  PendingApproval,
  ProblemState,
  ProblemStatus,
  StepRecord,
} from '../src/api/schemas';
