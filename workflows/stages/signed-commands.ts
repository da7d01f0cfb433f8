/**
 * Commands (approvals, clarifications) reach a problem only as signed by the API: the workflow
 * verifies each against the public keys the worker is configured with, reloaded whenever the
 * problem starts waiting, so a key added to the workers reaches problems that wait for days,
 * and refuses a command signed for another run of the problem id. (Starts are admitted by the
 * `admitProblem` activity instead: activities/admission.ts.)
 */
import { patched, workflowInfo } from '@temporalio/workflow';
import { verifyCommand, type CommandKind, type CommandSignature, type CommandVerifyKey } from '../../src/domain/signed-command';
import { local } from '../activities';
import { UpdateRejection } from '../definitions';
import { rejection } from '../failures';
import { Patches } from '../patches';

/** The signature check of one problem's commands. */
export interface CommandGuard {
  /** (Re)loads the keys commands must be signed with (docs/SECURITY.md). */
  refresh(): Promise<void>;
  /** Refuses a command the API did not sign, signed for another problem, run or kind, or too old to trust. */
  assertSigned(kind: CommandKind, command: { runId?: string; signature?: CommandSignature }): void;
}

/** The command guard of problem `problemId`. */
export function commandGuard(problemId: string): CommandGuard {
  let keys: CommandVerifyKey[] = [];
  return {
    async refresh() {
      if (patched(Patches.signedCommands)) keys = await local.loadCommandKeys();
    },
    assertSigned(kind, command) {
      const { signature, ...fields } = command;
      // The run is a signed field: a command read from another run's history (a rejected run of the
      // same problem id, with the same action digest) is refused by this one.
      const refused = verifyCommand(kind, problemId, fields, signature, keys, Date.now()) ?? (command.runId === workflowInfo().runId ? null : 'command_signature_invalid');
      if (refused === 'command_expired') throw rejection(UpdateRejection.commandExpired, 'the command is too old or from the future; send it again');
      if (refused) throw rejection(refused === 'command_unsigned' ? UpdateRejection.commandUnsigned : UpdateRejection.commandSignatureInvalid, 'commands are accepted only as signed by the API');
    },
  };
}
