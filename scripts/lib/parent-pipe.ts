import net from 'node:net';

/**
 * The variable naming the file descriptor on which a supervised child reads its supervisor's
 * end of a socket pair. Nothing is ever written on it: the child only waits for end-of-file,
 * which the kernel delivers when the supervisor's process is gone, however it died (SIGKILL,
 * OOM kill, a closed terminal), so no child outlives it.
 */
export const PARENT_PIPE_ENV = 'EXIT_WITH_PARENT_FD';

/** The stdio slot the supervisor gives each child for the pipe. */
export const PARENT_PIPE_FD = 3;

/**
 * Calls `onGone` once when the supervisor's end of the pipe closes. The socket is unref'd, so
 * watching never keeps a process alive that would otherwise exit. Returns false (and watches
 * nothing) when `fd` is not a pipe or socket.
 */
export function watchParentPipe(fd: number, onGone: () => void): boolean {
  let socket: net.Socket;
  try {
    socket = new net.Socket({ fd, readable: true, writable: false });
  } catch {
    return false;
  }
  socket.unref();
  let gone = false;
  const fire = () => {
    if (gone) return;
    gone = true;
    onGone();
  };
  socket.on('data', () => undefined);
  socket.once('end', fire);
  socket.once('close', fire);
  socket.once('error', fire);
  return true;
}

/** The pipe's fd from the environment (removed, so this process's own children do not inherit the duty). */
export function takeParentPipeFd(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env[PARENT_PIPE_ENV];
  delete env[PARENT_PIPE_ENV];
  const fd = Number(raw);
  return raw && Number.isInteger(fd) && fd > 2 ? fd : undefined;
}
