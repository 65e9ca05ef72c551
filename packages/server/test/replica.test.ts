// Reads on a real streaming replica (DATABASE_REPLICA_URL), writes on the primary: the routing is
// shown by each server's own statistics. A primary and replica of our own (helpers/replica.ts),
// loaded with the seeded test data; the shared server is only read (pg_dump of the template).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPostgres } from '../src/db.ts';
import { createLogger } from '../src/logger.ts';
import { createApp } from '../src/server.ts';
import { ADMIN_API_KEY } from './helpers/api.ts';
import { postgresUrl, SEED_TODAY, testDbKind } from './helpers/fixtures.ts';
import { type ReplicaPair, startReplicaPair } from './helpers/replica.ts';

const run = promisify(execFile);

describe.runIf(testDbKind() === 'postgres')('reads on a streaming replica', () => {
  let pair: ReplicaPair;
  let db: Awaited<ReturnType<typeof openPostgres>>;
  let app: ReturnType<typeof createApp>;
  const observers: pg.Client[] = [];
  let primary: pg.Client;
  let replica: pg.Client;

  beforeAll(async () => {
    pair = await startReplicaPair();
    // The seeded test data, copied into our own primary (and so streamed to the replica).
    const template = inject('postgresTemplate');
    const dump = `pg_dump --no-owner --no-privileges '${postgresUrl(template!)}' | psql -q -v ON_ERROR_STOP=1 '${pair.primaryUrl}'`;
    await run('sh', ['-c', dump], { maxBuffer: 64 * 1024 * 1024 });
    await pair.waitForReplay();
    for (const url of [pair.primaryUrl, pair.replicaUrl]) {
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => {});
      await client.connect();
      observers.push(client);
    }
    [primary, replica] = observers as [pg.Client, pg.Client];
    db = await openPostgres(pair.primaryUrl, 4, 0, pair.replicaUrl);
    app = createApp({
      db,
      logger: createLogger('silent'),
      adminApiKey: ADMIN_API_KEY,
      clock: () => SEED_TODAY,
    });
  }, 180_000);

  afterAll(async () => {
    await Promise.all(observers.map((c) => c.end().catch(() => {})));
    await db?.close();
    await pair?.stop();
  });

  /** Sequential and index scans of `table` that `client`'s server has recorded so far. */
  async function scans(client: pg.Client, table: string): Promise<number> {
    await client.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await client.query<{ scans: number }>(
      `SELECT (coalesce(seq_scan, 0) + coalesce(idx_scan, 0))::int AS scans FROM pg_stat_user_tables WHERE relname = $1`,
      [table],
    );
    return rows[0]?.scans ?? 0;
  }

  /** Waits until a server's counters for `table` pass `before` (a backend publishes them within ~10 s). */
  async function scannedSince(client: pg.Client, table: string, before: number) {
    for (let i = 0; i < 150; i++) {
      if ((await scans(client, table)) > before) return true;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  }

  async function gql(query: string, variables: Record<string, unknown> = {}, admin = false) {
    const response = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(admin ? { authorization: `Bearer ${ADMIN_API_KEY}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data: any; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return body.data;
  }

  it('sends a read to the replica, and not to the primary', async () => {
    const [onPrimary, onReplica] = [await scans(primary, 'region'), await scans(replica, 'region')];
    const data = await gql('{ regions { code } }');
    expect(data.regions).toHaveLength(9);
    expect(await scannedSince(replica, 'region', onReplica)).toBe(true);
    expect(await scans(primary, 'region')).toBe(onPrimary);
  });

  it('sends statistics ($queryRaw) to the replica', async () => {
    const onReplica = await scans(replica, 'enrolment');
    const onPrimary = await scans(primary, 'enrolment');
    await gql('{ cohortStats(groupBy: [REGION]) { total { cohorts } } }');
    expect(await scannedSince(replica, 'enrolment', onReplica)).toBe(true);
    expect(await scans(primary, 'enrolment')).toBe(onPrimary);
  });

  it('reads a fresh write from the primary while the replica lags, and from the replica once it has caught up', async () => {
    const code = (
      await gql('{ cohorts(first: 1, filter: { status: [RECRUITING] }) { nodes { id code capacity } } }')
    ).cohorts.nodes[0];
    const READ = 'query($code: String!) { cohort(code: $code) { capacity } }';
    // The replica stops replaying: it is behind from the next write on.
    await replica.query('SELECT pg_wal_replay_pause()');
    try {
      const capacity = code.capacity + 7;
      const changed = await gql(
        'mutation($input: UpdateCohortInput!) { updateCohort(input: $input) { cohort { capacity } userErrors { code } } }',
        { input: { cohortId: code.id, capacity } },
        true,
      );
      expect(changed.updateCohort.userErrors).toEqual([]);
      const onPrimary = await scans(primary, 'cohort');
      // The replica still has the old figure; the API must not answer with it.
      const { rows } = await replica.query('SELECT capacity FROM cohort WHERE code = $1', [code.code]);
      expect(rows[0].capacity).toBe(code.capacity);
      expect((await gql(READ, { code: code.code })).cohort.capacity).toBe(capacity);
      expect(await scannedSince(primary, 'cohort', onPrimary)).toBe(true);
    } finally {
      await replica.query('SELECT pg_wal_replay_resume()');
    }
    await pair.waitForReplay();
    const onReplica = await scans(replica, 'cohort');
    // Another document: READ itself is now answered from the response cache, by no server at all.
    const again = `${READ} # once the replica has caught up`;
    expect((await gql(again, { code: code.code })).cohort.capacity).toBe(code.capacity + 7);
    expect(await scannedSince(replica, 'cohort', onReplica)).toBe(true);
  });
});
