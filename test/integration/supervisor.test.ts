/**
 * `npm start`'s supervisor (scripts/dev.ts) owns its children: when it is SIGKILLed (a closed
 * terminal, an OOM kill) no process and no port may be left behind, and the next start works.
 * A port held by an unrelated process makes it refuse to start, naming that process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, portInUse, waitFor } from '../../scripts/lib/processes';

const ROOT = path.resolve(__dirname, '../..');

/** Every live descendant of `pid`, from /proc (parent pid is field 4 of stat). */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // ended while we looked
    }
  }
  const found: number[] = [];
  let frontier = [pid];
  while (frontier.length) {
    const next = [...parentOf].filter(([, parent]) => frontier.includes(parent)).map(([child]) => child);
    found.push(...next);
    frontier = next;
  }
  return found;
}

const alive = (pid: number) => {
  try {
    // A zombie has no fds and holds nothing; count it as gone.
    return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
};

interface Started {
  supervisor: ChildProcess;
  output: () => string;
}

function startSupervisor(env: Record<string, string>): Started {
  let output = '';
  // What `npm start` runs, without npm's prestart build steps.
  const supervisor = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev.ts'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  supervisor.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  supervisor.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return { supervisor, output: () => output };
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

describe('npm start supervision', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let ports: number[];
  const leftovers: number[] = [];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'supervisor-'));
    ports = [await freePort(), await freePort(), await freePort(), await freePort()];
    const [api, systems, temporal, ui] = ports as [number, number, number, number];
    env = {
      PORT: String(api),
      SYSTEMS_PORT: String(systems),
      SYSTEMS_URL: `http://127.0.0.1:${systems}`,
      TEMPORAL_ADDRESS: `127.0.0.1:${temporal}`,
      TEMPORAL_UI_PORT: String(ui),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
      ...(process.env.TEST_WORKFLOW_BUNDLE ? { WORKFLOW_BUNDLE_PATH: process.env.TEST_WORKFLOW_BUNDLE } : {}),
    };
  });

  afterAll(() => {
    for (const pid of leftovers) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves no process and no port behind when the supervisor is SIGKILLed, and starts again', async () => {
    const first = startSupervisor(env);
    await waitFor('the first start to be ready', async () => first.output().includes('Ready.'), 150_000, 500).catch((err: Error) => {
      throw new Error(`${err.message}\n${first.output()}`);
    });
    const children = descendants(first.supervisor.pid!);
    leftovers.push(...children);
    // Temporal CLI (behind its guard), systems, worker and API.
    expect(children.length).toBeGreaterThanOrEqual(5);

    first.supervisor.kill('SIGKILL');
    await exited(first.supervisor);
    await waitFor('every child of the killed supervisor to exit', async () => children.every((pid) => !alive(pid)), 45_000, 250).catch((err: Error) => {
      throw new Error(`${err.message}: still running ${children.filter(alive).join(', ')}`);
    });
    for (const port of ports) expect(await portInUse(port)).toBe(false);

    const second = startSupervisor(env);
    leftovers.push(second.supervisor.pid!);
    await waitFor('the second start to be ready', async () => second.output().includes('Ready.'), 150_000, 500).catch((err: Error) => {
      throw new Error(`${err.message}\n${second.output()}`);
    });
    const secondChildren = descendants(second.supervisor.pid!);
    leftovers.push(...secondChildren);
    second.supervisor.kill('SIGTERM');
    expect(await exited(second.supervisor)).toBe(0);
    expect(secondChildren.filter(alive)).toEqual([]);
  }, 400_000);

  it('names the process holding a port it needs', async () => {
    const squatter = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const run = startSupervisor({ ...env, PORT: String(port) });
      expect(await exited(run.supervisor)).toBe(1);
      expect(run.output()).toContain(`port ${port} (API) is already in use by pid ${process.pid} (`);
    } finally {
      squatter.close();
    }
  }, 60_000);
});
