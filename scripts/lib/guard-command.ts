/**
 * Runs a command that cannot watch its supervisor itself (the Temporal CLI, temporal-server,
 * PostgreSQL: Go and C programs) and stops it when the supervisor dies: SIGTERM, then SIGKILL
 * after a grace. SIGTERM/SIGINT sent to this guard are passed on; it exits with the command's code.
 *
 *   node --import tsx scripts/lib/guard-command.ts -- <command> [args...]
 */
import { spawn } from 'node:child_process';
import { takeParentPipeFd, watchParentPipe } from './parent-pipe';

const GRACE_MS = Number(process.env.GUARD_GRACE_MS ?? 15_000);

function main(): void {
  const sep = process.argv.indexOf('--');
  const [command, ...args] = sep >= 0 ? process.argv.slice(sep + 1) : [];
  if (!command) {
    console.error('usage: guard-command.ts -- <command> [args...]');
    process.exit(2);
  }
  const fd = takeParentPipeFd();
  // Same process group as this guard, so a signal to the group reaches both.
  const child = spawn(command, args, { stdio: 'inherit' });
  const stop = (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    setTimeout(() => child.kill('SIGKILL'), GRACE_MS).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  if (fd !== undefined && !watchParentPipe(fd, () => stop('SIGTERM'))) console.error(`fd ${fd} is not a pipe: ${command} will not stop with its supervisor`);
  child.once('error', (err) => {
    console.error(`${command}: ${err.message}`);
    process.exit(127);
  });
  child.once('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
}

main();
