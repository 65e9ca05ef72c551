// A PostgreSQL primary with a streaming replica, both of our own, for read-replica tests.
//
// Like outage.test.ts, this runs PostgreSQL servers of its own (initdb + pg_ctl, as the postgres
// user when we are root, in a temporary directory on spare ports); the shared server on 5432 that
// the other tests use is never touched. The replica is made with `pg_basebackup -R` from the
// running primary and streams from it (hot standby: it answers reads, refuses writes).
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { appendFile, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { sparePort } from './ports.ts';

const run = promisify(execFile);

/** The PostgreSQL binaries: $PG_BIN, else /usr/lib/postgresql/15/bin (as outage.test.ts), else the newest installed. */
function pgBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const preferred = '/usr/lib/postgresql/15/bin';
  if (existsSync(join(preferred, 'initdb'))) return preferred;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0]) throw new Error('No PostgreSQL binaries found (set PG_BIN to the directory of initdb)');
  return join(root, versions[0], 'bin');
}

const isRoot = () => process.getuid?.() === 0;

/** initdb, pg_ctl and pg_basebackup refuse to run as root: run them as postgres then. */
async function tool(name: string, args: string[]): Promise<string> {
  const path = join(pgBin(), name);
  const [file, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
  try {
    return (await run(file, argv, { encoding: 'utf8', timeout: 120_000 })).stdout;
  } catch (error) {
    const e = error as Error & { stderr?: string };
    throw new Error(`${name} ${args.join(' ')} failed: ${e.stderr || e.message}`);
  }
}

async function startServer(data: string, port: number, socketDir: string, log: string) {
  const options = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${socketDir}`,
    '-c fsync=off',
  ].join(' ');
  try {
    await tool('pg_ctl', ['start', '-w', '-t', '60', '-D', data, '-l', log, '-o', options]);
  } catch (error) {
    const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-20).join('\n') : '';
    throw new Error(`${(error as Error).message}\n--- ${log} ---\n${tail}`);
  }
}

const stopServer = (data: string) => tool('pg_ctl', ['stop', '-w', '-t', '60', '-m', 'fast', '-D', data]);

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

export interface ReplicaPair {
  /** The read-write primary (superuser postgres, trust auth, database postgres). */
  primaryUrl: string;
  /** The hot-standby replica streaming from it: reads only. */
  replicaUrl: string;
  /** Resolves once the replica has replayed everything the primary had written when called. */
  waitForReplay(timeoutMs?: number): Promise<void>;
  /** The temporary directory holding both data directories and their logs (primary.log, replica.log). */
  dir: string;
  /** Stops both servers and removes their directory. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts a primary and a streaming replica of it, each on a spare port, in one temp directory. */
export async function startReplicaPair(): Promise<ReplicaPair> {
  const dir = await mkdtemp(join(tmpdir(), 'mh-replica-'));
  const primaryData = join(dir, 'primary');
  const replicaData = join(dir, 'replica');
  const started: string[] = [];
  let stopped = false;

  async function stop() {
    if (stopped) return;
    stopped = true;
    // The replica first, so it does not spend its last moments retrying a vanished primary.
    for (const data of [...started].reverse()) await stopServer(data).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }

  try {
    if (isRoot()) {
      const uid = Number((await run('id', ['-u', 'postgres'])).stdout);
      const gid = Number((await run('id', ['-g', 'postgres'])).stdout);
      await chown(dir, uid, gid);
    }
    await tool('initdb', ['-D', primaryData, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
    // PostgreSQL 15's defaults already allow this; spelled out so the setup does not depend on them.
    await appendFile(
      join(primaryData, 'postgresql.conf'),
      ['', 'wal_level = replica', 'max_wal_senders = 4', 'hot_standby = on', ''].join('\n'),
    );
    await appendFile(join(primaryData, 'pg_hba.conf'), '\nhost replication postgres 127.0.0.1/32 trust\n');

    const primaryPort = await sparePort();
    let replicaPort = await sparePort();
    while (replicaPort === primaryPort) replicaPort = await sparePort();

    await startServer(primaryData, primaryPort, dir, join(dir, 'primary.log'));
    started.push(primaryData);

    // -R writes standby.signal and primary_conninfo; -c fast: no waiting for a spread checkpoint.
    await tool('pg_basebackup', [
      '-R',
      '-D',
      replicaData,
      '-h',
      '127.0.0.1',
      '-p',
      String(primaryPort),
      '-U',
      'postgres',
      '-X',
      'stream',
      '-c',
      'fast',
      '--no-sync',
    ]);
    await startServer(replicaData, replicaPort, dir, join(dir, 'replica.log'));
    started.push(replicaData);

    const primaryUrl = `postgres://postgres@127.0.0.1:${primaryPort}/postgres`;
    const replicaUrl = `postgres://postgres@127.0.0.1:${replicaPort}/postgres`;

    const inRecovery = await withClient(replicaUrl, async (c) => {
      const { rows } = await c.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r');
      return rows[0]!.r;
    });
    if (!inRecovery) throw new Error('The replica came up as a primary (no standby.signal?)');

    async function waitForReplay(timeoutMs = 15_000) {
      const target = await withClient(primaryUrl, async (c) => {
        const { rows } = await c.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
        return rows[0]!.lsn;
      });
      await withClient(replicaUrl, async (c) => {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const { rows } = await c.query<{ done: boolean; at: string | null }>(
            `SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) AS done,
                    pg_last_wal_replay_lsn()::text AS at`,
            [target],
          );
          if (rows[0]!.done) return;
          if (Date.now() > deadline) {
            throw new Error(`The replica replayed up to ${rows[0]!.at}, not ${target}, in ${timeoutMs} ms`);
          }
          await new Promise((r) => setTimeout(r, 20));
        }
      });
    }

    return { primaryUrl, replicaUrl, dir, waitForReplay, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
