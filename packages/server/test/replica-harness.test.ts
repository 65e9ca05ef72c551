// The read-replica test harness itself: a primary and a streaming replica of our own (see
// helpers/replica.ts), proving what later read-replica tests rely on. Writes reach the replica
// after waitForReplay(); the replica refuses writes; and the replica's own statistics tell which
// server a read went to (statistics are per server: a standby keeps its own, none are replicated).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbKind } from './helpers/fixtures.ts';
import { type ReplicaPair, startReplicaPair } from './helpers/replica.ts';

/** Sequential plus index scans of `table` as the server at `client` has recorded them so far. */
async function scans(client: pg.Client, table: string): Promise<number> {
  // Drop any statistics snapshot this session holds, so the shared counters are read afresh.
  await client.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await client.query<{ scans: number }>(
    `SELECT (coalesce(seq_scan, 0) + coalesce(idx_scan, 0))::int AS scans
       FROM pg_stat_user_tables WHERE relname = $1`,
    [table],
  );
  return rows[0]?.scans ?? 0;
}

/** Runs a read as an application would, then makes its session publish its statistics now. */
async function read(client: pg.Client, sql: string) {
  const result = await client.query(sql);
  // A backend flushes its counters at transaction end, but at most once a second unless forced:
  // this forces the flush at the end of this statement's own transaction.
  await client.query('SELECT pg_stat_force_next_flush()');
  return result.rows;
}

// PostgreSQL-only, like the other tests that need a real server: it brings its own pair, so
// running it in the embedded project as well would only start two more servers for nothing.
describe.runIf(testDbKind() === 'postgres')('the read-replica harness', () => {
  let pair: ReplicaPair;
  const clients: pg.Client[] = [];

  async function connect(url: string) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    pair = await startReplicaPair();
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
    await pair?.stop();
  });

  it('runs both servers on ports of their own, the replica in recovery', async () => {
    const primaryPort = Number(new URL(pair.primaryUrl).port);
    const replicaPort = Number(new URL(pair.replicaUrl).port);
    expect(primaryPort).not.toBe(5432);
    expect(replicaPort).not.toBe(5432);
    expect(primaryPort).not.toBe(replicaPort);

    const primary = await connect(pair.primaryUrl);
    const replica = await connect(pair.replicaUrl);
    expect((await primary.query('SELECT pg_is_in_recovery() AS r')).rows[0].r).toBe(false);
    expect((await replica.query('SELECT pg_is_in_recovery() AS r')).rows[0].r).toBe(true);
    const senders = await primary.query(`SELECT state FROM pg_stat_replication`);
    expect(senders.rows).toEqual([{ state: 'streaming' }]);
  });

  it('shows on the replica, after waitForReplay(), what was written on the primary', async () => {
    const primary = await connect(pair.primaryUrl);
    const replica = await connect(pair.replicaUrl);
    await primary.query('CREATE TABLE harness_hub (id int PRIMARY KEY, name text NOT NULL)');
    await primary.query(`INSERT INTO harness_hub VALUES (1, 'North West One')`);
    await pair.waitForReplay();
    expect((await replica.query('SELECT id, name FROM harness_hub')).rows).toEqual([
      { id: 1, name: 'North West One' },
    ]);

    await primary.query(`INSERT INTO harness_hub VALUES (2, 'Jurassic')`);
    await pair.waitForReplay();
    expect((await replica.query('SELECT count(*)::int AS n FROM harness_hub')).rows[0].n).toBe(2);
  });

  it('refuses writes on the replica', async () => {
    const replica = await connect(pair.replicaUrl);
    await expect(replica.query(`INSERT INTO harness_hub VALUES (3, 'Nope')`)).rejects.toThrow(
      /read-only transaction/,
    );
    await expect(replica.query('CREATE TABLE harness_nope (id int)')).rejects.toThrow(
      /read-only transaction/,
    );
  });

  it("counts a read on the replica in the replica's statistics, not the primary's", async () => {
    const primaryObserver = await connect(pair.primaryUrl);
    const replicaObserver = await connect(pair.replicaUrl);
    const app = await connect(pair.replicaUrl); // the session the "application" reads through

    const primaryBefore = await scans(primaryObserver, 'harness_hub');
    const replicaBefore = await scans(replicaObserver, 'harness_hub');

    expect(await read(app, 'SELECT name FROM harness_hub ORDER BY id')).toHaveLength(2);
    expect(await read(app, 'SELECT name FROM harness_hub WHERE id = 2')).toEqual([{ name: 'Jurassic' }]);

    expect(await scans(replicaObserver, 'harness_hub')).toBe(replicaBefore + 2);
    expect(await scans(primaryObserver, 'harness_hub')).toBe(primaryBefore);

    // And the other way round: a read on the primary leaves the replica's counters alone.
    const onPrimary = await connect(pair.primaryUrl);
    await read(onPrimary, 'SELECT name FROM harness_hub ORDER BY id');
    expect(await scans(primaryObserver, 'harness_hub')).toBe(primaryBefore + 1);
    expect(await scans(replicaObserver, 'harness_hub')).toBe(replicaBefore + 2);
  });

  it('stops cleanly and leaves nothing behind', async () => {
    // afterAll stops the shared pair; a second pair shows stop() is thorough and idempotent.
    const other = await startReplicaPair();
    expect(existsSync(join(other.dir, 'replica', 'standby.signal'))).toBe(true);
    await other.stop();
    await other.stop();
    expect(existsSync(other.dir)).toBe(false);
    const client = new pg.Client({ connectionString: other.primaryUrl, connectionTimeoutMillis: 2_000 });
    await expect(client.connect()).rejects.toThrow();
  });
});
