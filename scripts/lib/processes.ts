import { spawn, type ChildProcess, type SpawnOptions, type StdioOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PARENT_PIPE_ENV, PARENT_PIPE_FD } from './parent-pipe';

const TSX_LOADER = require.resolve('tsx');
const EXIT_WITH_PARENT = path.join(__dirname, 'exit-with-parent.ts');
const GUARD_COMMAND = path.join(__dirname, 'guard-command.ts');

/** Asks the OS for a free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether `port` can be bound on loopback right now. */
async function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A free loopback port in [min, max] (tried at random, 200 attempts), for programs that cannot
 * take the OS's ephemeral ports (above 32767).
 */
export async function freePortInRange(min: number, max: number): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = min + Math.floor(Math.random() * (max - min + 1));
    if (await canBind(port)) return port;
  }
  throw new Error(`no free port found in ${min}-${max}`);
}

/** Whether something already listens on host:port. */
export async function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls `check` until it resolves true or the deadline passes. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000, intervalMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A child process started in its own process group, so stopping it stops its children too. */
export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** SIGTERM the group, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL the group at once (crash drills). */
  kill(): Promise<void>;
}

/** Spawns `command` in its own process group. */
export function startProcess(name: string, command: string, args: string[], options: SpawnOptions = {}): ManagedProcess {
  const child = spawn(command, args, { stdio: 'inherit', ...options, detached: true });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)));
    child.once('error', () => resolve(1));
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const isRunning = () => child.exitCode === null && child.signalCode === null;
  return {
    name,
    child,
    exited,
    async stop(graceMs = 15_000) {
      if (!isRunning()) return;
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (!isRunning()) return;
      signalGroup('SIGKILL');
      await exited;
    },
  };
}

/** stdio of a supervised child: the given slots, plus the supervisor's pipe on fd 3. */
function withParentPipe(options: SpawnOptions): SpawnOptions {
  const stdio: StdioOptions = options.stdio ?? 'inherit';
  const slots = typeof stdio === 'string' ? [stdio, stdio, stdio] : [...stdio].slice(0, PARENT_PIPE_FD);
  while (slots.length < PARENT_PIPE_FD) slots.push('ignore');
  return { ...options, stdio: [...slots, 'pipe'], env: { ...(options.env ?? process.env), [PARENT_PIPE_ENV]: String(PARENT_PIPE_FD) } };
}

/**
 * With CPU_PROFILE_DIR set (a benchmark's environment), each Node process it starts writes a V8
 * CPU profile of all its threads to `<dir>/<name>/` when it exits (open in Chrome DevTools).
 */
function profileFlags(name: string): string[] {
  const dir = process.env.CPU_PROFILE_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(dir, name)}`] : [];
}

/**
 * Starts a TypeScript entry point as one Node process (no tsx launcher in between) that exits
 * when this process dies, however it dies (see parent-pipe.ts).
 */
export function startNodeScript(name: string, script: string, args: string[] = [], options: SpawnOptions = {}): ManagedProcess {
  return startProcess(name, process.execPath, [...profileFlags(name), '--import', TSX_LOADER, EXIT_WITH_PARENT, script, ...args], withParentPipe(options));
}

/** Starts a non-Node command behind a guard that stops it when this process dies (see guard-command.ts). */
export function startGuardedCommand(name: string, command: string, args: string[], options: SpawnOptions = {}): ManagedProcess {
  return startProcess(name, process.execPath, ['--import', TSX_LOADER, GUARD_COMMAND, '--', command, ...args], withParentPipe(options));
}

/** Inodes of sockets listening on `port` (IPv4 and IPv6), from /proc/net. */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is HEXIP:HEXPORT; state 0A is LISTEN; column 10 is the inode.
      if (cols.length > 9 && cols[3] === '0A' && parseInt(cols[1]!.split(':')[1]!, 16) === port) inodes.add(cols[9]!);
    }
  }
  return inodes;
}

/**
 * Which process listens on `port`: "pid 123 (node dist/api/server.js)", or undefined when
 * /proc does not tell (another user's process, another network namespace, not Linux).
 */
export function portHolder(port: number): string | undefined {
  const inodes = listeningInodes(port);
  if (!inodes.size) return undefined;
  let pids: string[] = [];
  try {
    pids = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target = '';
      try {
        target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) {
        const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
        return `pid ${pid} (${cmdline.length > 120 ? `${cmdline.slice(0, 117)}...` : cmdline})`;
      }
    }
  }
  return undefined;
}
