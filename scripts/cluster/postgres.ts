/**
 * A private PostgreSQL cluster for the local Temporal cluster: Debian's packages (installed
 * when missing), `initdb` into .data/pg owned by the `postgres` user (we may be root, and
 * PostgreSQL refuses to run as root), the postmaster in the foreground behind a guard on a
 * free loopback port, `pg_ctl stop` for shutdowns. Never the system's service.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startGuardedCommand, waitFor, type ManagedProcess } from '../lib/processes';

/** Directory of initdb, postgres, pg_ctl and psql: the newest installed major version. */
export function postgresBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  const majors = fs.existsSync(base) ? fs.readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  return majors.map((v) => path.join(base, v, 'bin')).find((dir) => fs.existsSync(path.join(dir, 'initdb')));
}

/** Installs PostgreSQL from Debian's packages when it is missing; returns its bin directory. */
export function ensurePostgresInstalled(log: (line: string) => void): string {
  const existing = postgresBinDir();
  if (existing) return existing;
  log('PostgreSQL is not installed: apt-get install -y postgresql (Debian packages; the system service is not used)');
  execFileSync('apt-get', ['update'], { stdio: 'inherit' });
  // policy-rc.d stops the package from starting the system's own cluster.
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', RUNLEVEL: '1' } });
  const installed = postgresBinDir();
  if (!installed) throw new Error('apt-get installed postgresql but no /usr/lib/postgresql/<major>/bin/initdb was found');
  return installed;
}

const isRoot = () => process.getuid?.() === 0;

/** Runs as the `postgres` user when we are root (setpriv execs, so signals reach PostgreSQL itself). */
function asPostgres(command: string, args: string[]): [string, string[]] {
  return isRoot() ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', command, ...args]] : [command, args];
}

function chownToPostgres(target: string): void {
  if (isRoot()) execFileSync('chown', ['-R', 'postgres:postgres', target]);
}

/** A private PostgreSQL cluster in `dir`. */
export interface PrivatePostgres {
  dir: string;
  port: number;
  /** Password of the `temporal` role (kept in `<dir>/../cluster/postgres-password`). */
  password: string;
  process: ManagedProcess | undefined;
  /** Starts the postmaster and waits until it accepts connections. */
  start(): Promise<void>;
  /** `pg_ctl stop -m fast|smart|immediate` and waits for the postmaster to exit. */
  stop(mode?: 'fast' | 'smart' | 'immediate'): Promise<void>;
}

/**
 * Prepares (initdb on first use, a `temporal` role with a password) and returns a private
 * cluster on `port`; call `start()`.
 */
export function privatePostgres(options: { binDir: string; dir: string; secretsDir: string; port: number; log: (line: string) => void }): PrivatePostgres {
  const { binDir, dir, port, log } = options;
  const bin = (name: string) => path.join(binDir, name);
  const socketDir = `${dir}-run`;
  const passwordFile = path.join(options.secretsDir, 'postgres-password');
  fs.mkdirSync(options.secretsDir, { recursive: true });
  if (!fs.existsSync(passwordFile)) fs.writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = fs.readFileSync(passwordFile, 'utf8').trim();

  const fresh = !fs.existsSync(path.join(dir, 'PG_VERSION'));
  if (fresh) {
    log(`initdb ${dir}`);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    chownToPostgres(dir);
    const [cmd, args] = asPostgres(bin('initdb'), ['-D', dir, '-U', 'postgres', '--auth-local=peer', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8']);
    execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  fs.mkdirSync(socketDir, { recursive: true, mode: 0o700 });
  chownToPostgres(socketDir);

  const psql = (sql: string) => {
    const [cmd, args] = asPostgres(bin('psql'), ['-h', socketDir, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql]);
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  };

  const pg: PrivatePostgres = {
    dir,
    port,
    password,
    process: undefined,
    async start() {
      const [cmd, args] = asPostgres(bin('postgres'), ['-D', dir, '-p', String(port), '-k', socketDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'shared_buffers=128MB', '-c', 'logging_collector=off']);
      const log = fs.openSync(path.join(options.secretsDir, 'postgres.log'), 'a');
      pg.process = startGuardedCommand('postgres', cmd, args, { stdio: ['ignore', log, log] });
      const proc = pg.process;
      const ready = waitFor(`PostgreSQL on 127.0.0.1:${port}`, async () => {
        const [c, a] = asPostgres(bin('pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-q']);
        execFileSync(c, a, { stdio: 'ignore' });
        return true;
      }, 60_000, 200);
      const died = proc.exited.then((code) => {
        throw new Error(`PostgreSQL exited during start-up (code ${code}); see ${path.join(options.secretsDir, 'postgres.log')}`);
      });
      await Promise.race([ready, died]);
      died.catch(() => undefined);
      // The role Temporal logs in as (its password may have been regenerated).
      const exists = psql("SELECT 1 FROM pg_roles WHERE rolname = 'temporal'") === '1';
      psql(`${exists ? 'ALTER' : 'CREATE'} ROLE temporal LOGIN CREATEDB PASSWORD '${password}'`);
    },
    async stop(mode = 'fast') {
      if (!pg.process || pg.process.child.exitCode !== null || pg.process.child.signalCode !== null) return;
      const [cmd, args] = asPostgres(bin('pg_ctl'), ['stop', '-D', dir, '-m', mode, '-w', '-t', '60']);
      execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
      await pg.process.exited;
    },
  };
  return pg;
}
