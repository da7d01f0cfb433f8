import { Context } from '@temporalio/activity';
import type { ResolvedPolicy } from '../src/domain/policy';
import { verifyCommand, type CommandVerifyKey } from '../src/domain/signed-command';
import { nodeVerify } from '../src/security/command-keys';
import type { ProblemInput } from '../workflows/definitions';

/** Why a start is refused: each ends the problem `failed` with it as the reason code, before anything runs. */
export type StartRefusal = 'start_unsigned' | 'start_signature_invalid' | 'start_expired';

/** What the first step of a problem records: whether the API started it, and the policy in force. */
export interface Admission {
  refused: StartRefusal | null;
  policy: ResolvedPolicy;
}

const REFUSALS = { command_unsigned: 'start_unsigned', command_signature_invalid: 'start_signature_invalid', command_expired: 'start_expired' } as const;

/**
 * Admits a problem: its input must be signed by the API (kind `start`) for this workflow id,
 * within the signature's maximum age of the workflow's start time, so that the submitter, their
 * account scope and the customer are never taken from a start written straight to Temporal.
 * Verified here with node's Ed25519 rather than in the workflow sandbox, which would load a
 * curve library into every workflow; the verdict is recorded in history with the policy.
 */
export function admitProblem(deps: { policy: ResolvedPolicy; commandKeys: CommandVerifyKey[] }, input: ProblemInput, startedAt: string): Admission {
  const { signature, ...fields } = input;
  // A genuine start of one problem, replayed under another workflow id, is not that problem's.
  if (Context.current().info.workflowExecution?.workflowId !== input.problemId) return { refused: 'start_signature_invalid', policy: deps.policy };
  const refused = verifyCommand('start', input.problemId, fields, signature, deps.commandKeys, Date.parse(startedAt), nodeVerify);
  return { refused: refused ? REFUSALS[refused] : null, policy: deps.policy };
}
