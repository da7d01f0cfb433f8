/**
 * Entry point of every Node child of a supervisor (`node --import tsx <this> <script> [args]`):
 * watches the supervisor's pipe, then runs the script. When the supervisor dies, the child sends
 * itself SIGTERM, so it shuts down as it would on Ctrl-C (workers drain, servers close), and
 * exits hard if that takes longer than the grace. (An entry point rather than an `--import`
 * preload: Node passes preloads on to worker threads, where the workflow sandbox runs.)
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { takeParentPipeFd, watchParentPipe } from './parent-pipe';

const GRACE_MS = 20_000;

const fd = takeParentPipeFd();
if (fd !== undefined) {
  const watching = watchParentPipe(fd, () => {
    console.error(`[pid ${process.pid}] supervisor gone: shutting down`);
    setTimeout(() => process.exit(1), GRACE_MS).unref();
    process.kill(process.pid, 'SIGTERM');
  });
  if (!watching) console.error(`fd ${fd} is not a pipe: this process will not stop with its supervisor`);
}

const script = process.argv[2];
if (!script) {
  console.error('usage: exit-with-parent.ts <script> [args...]');
  process.exit(2);
}
// The script sees its own arguments where it expects them.
process.argv.splice(1, 2, path.resolve(script));
import(pathToFileURL(path.resolve(script)).href).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
