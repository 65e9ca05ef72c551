// A PostgreSQL outage: while the server is away the API answers 503 with Retry-After (never a
// masked 500), it recovers by itself once the server is back, and no mutation is half-applied.
//
// The outage is real: the test runs a PostgreSQL server of its own (initdb + pg_ctl as the
// postgres user, in a temporary directory on a spare port) and stops and restarts it. The shared
// server the other tests use is never touched.
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seed } from '@maths-hubs/db/seed/index';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openPostgres } from '../src/db.ts';
import { createLogger } from '../src/logger.ts';
import { createApp } from '../src/server.ts';
import { sparePort } from './helpers/ports.ts';

const PG_BIN = '/usr/lib/postgresql/15/bin';
const ADMIN_API_KEY = 'outage-admin-key-0123456789abcdef0123456789abcdef';

/** initdb and pg_ctl refuse to run as root; a missing tool throws here and fails the suite. */
function asPostgres(tool: string, args: string[]) {
  execFileSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, tool), ...args], { stdio: 'pipe' });
}

class OwnPostgres {
  readonly dir = mkdtempSync(join(tmpdir(), 'mh-outage-'));
  readonly data = join(this.dir, 'data');
  running = false;

  constructor(readonly port: number) {
    chownSync(
      this.dir,
      Number(execFileSync('id', ['-u', 'postgres'])),
      Number(execFileSync('id', ['-g', 'postgres'])),
    );
    asPostgres('initdb', ['-D', this.data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
  }

  get url() {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  start() {
    const options = [
      `-p ${this.port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${this.dir}`,
      '-c fsync=off',
    ].join(' ');
    asPostgres('pg_ctl', ['start', '-w', '-D', this.data, '-l', join(this.dir, 'log'), '-o', options]);
    this.running = true;
  }

  /** Immediate mode: the server goes away as in a crash, dropping every connection. */
  stop() {
    asPostgres('pg_ctl', ['stop', '-w', '-m', 'immediate', '-D', this.data]);
    this.running = false;
  }

  remove() {
    if (this.running) this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

interface Answer {
  status: number;
  retryAfter: string | null;
  data?: any;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

// Runs in the embedded project only: it brings its own server whichever project runs it, and two
// copies running at once would each stop a server under the other's nose for nothing.
describe.skipIf(process.env.TEST_DB === 'postgres')('a PostgreSQL outage', () => {
  let postgres: OwnPostgres;
  let db: Database;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    postgres = new OwnPostgres(await sparePort());
    postgres.start();
    db = await openPostgres(postgres.url, 4);
    await db.migrate();
    await seed(db, { synthetic: null }); // regions, hubs and programmes are enough
    app = createApp({ db, logger: createLogger('silent'), adminApiKey: ADMIN_API_KEY });
  });

  afterAll(async () => {
    await db?.close().catch(() => {});
    postgres?.remove();
  });

  async function gql(query: string, authorization?: string): Promise<Answer> {
    const response = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(authorization ? { authorization: `Bearer ${authorization}` } : {}),
      },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as Omit<Answer, 'status' | 'retryAfter'>;
    return { status: response.status, retryAfter: response.headers.get('retry-after'), ...body };
  }

  const readyz = async () => (await app.fetch('http://localhost/readyz')).status;

  const createKey = (label: string) =>
    gql(
      `mutation { createApiKey(input: { role: ANALYST, label: "${label}" }) { apiKey { id } userErrors { code } } }`,
      ADMIN_API_KEY,
    );

  const rowsLabelled = async (label: string) => {
    const [row] = await db.sql.query<{ keys: number; audits: number }>(
      `SELECT (SELECT count(*)::int FROM api_key WHERE label = $1) AS keys,
              (SELECT count(*)::int FROM audit_log WHERE after->>'label' = $1) AS audits`,
      [label],
    );
    return row!;
  };

  function expectUnavailable(answer: Answer) {
    expect(answer.status).toBe(503);
    expect(answer.retryAfter).toMatch(/^\d+$/);
    expect(answer.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(answer.errors?.map((e) => e.message).join('\n')).not.toMatch(/Unexpected error/);
  }

  /**
   * A read no one asked before: the response cache (on, as in production) answers a repeated read
   * without the database, so an outage shows only on reads it does not hold.
   */
  let reads = 0;
  const uncached = (query: string) => `${query} # read ${++reads}`;

  /** Polls until the same app answers a read again (the pool reconnects on its own). */
  async function recovered(): Promise<Answer> {
    let answer = await gql(uncached('{ regions { code } }'));
    for (let attempt = 1; attempt < 50 && answer.status !== 200; attempt++) {
      await new Promise((r) => setTimeout(r, 100));
      answer = await gql(uncached('{ regions { code } }'));
    }
    return answer;
  }

  it('answers 503 with Retry-After while the database is down, and recovers by itself', async () => {
    const before = await gql('{ regions { code } }');
    expect(before.status).toBe(200);
    expect(before.data.regions.length).toBeGreaterThan(0);
    expect(await readyz()).toBe(200);

    postgres.stop();
    expect(await readyz()).toBe(503);
    expectUnavailable(await gql(uncached('{ regions { code } }')));
    expectUnavailable(await gql(uncached('{ regions { code } }'))); // again: no cached state makes it a 500
    // An unknown key: its lookup (before execution, in onParams) is what meets the outage.
    expectUnavailable(await gql(uncached('{ regions { code } }'), 'some-key-that-needs-a-lookup'));
    // What the response cache holds is still answered, without the database.
    const held = await gql('{ regions { code } }');
    expect(held.status).toBe(200);
    expect(held.data.regions).toEqual(before.data.regions);

    postgres.start();
    const after = await recovered();
    expect(after.status).toBe(200);
    expect(after.data.regions).toEqual(before.data.regions);
    expect(await readyz()).toBe(200);
    const lookup = await gql('{ regions { code } }', 'some-key-that-needs-a-lookup');
    expect(lookup.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('applies a mutation in full or not at all across the outage', async () => {
    const committed = await createKey('outage: before');
    expect(committed.status).toBe(200);
    expect(committed.data.createApiKey).toMatchObject({ apiKey: { id: expect.any(String) }, userErrors: [] });

    // Cut the server mid-transaction: the key is inserted, its audit entry waits on a lock.
    const blocker = new pg.Client({ connectionString: postgres.url });
    blocker.on('error', () => {}); // it dies with the server
    await blocker.connect();
    await blocker.query('BEGIN; LOCK TABLE audit_log IN ACCESS EXCLUSIVE MODE');
    const cut = createKey('outage: cut mid-transaction');
    let waiting = 0;
    for (let attempt = 0; attempt < 100 && waiting === 0; attempt++) {
      await new Promise((r) => setTimeout(r, 50));
      const [row] = await db.sql.query<{ waiting: number }>(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity
          WHERE wait_event_type = 'Lock' AND query ILIKE '%insert into%audit_log%' AND pid <> pg_backend_pid()`,
      );
      waiting = row!.waiting;
    }
    expect(waiting).toBe(1);
    postgres.stop();
    expectUnavailable(await cut);
    await blocker.end().catch(() => {});

    expectUnavailable(await createKey('outage: during'));

    postgres.start();
    expect((await recovered()).status).toBe(200);
    // The key and its audit entry exist together or not at all.
    expect(await rowsLabelled('outage: before')).toEqual({ keys: 1, audits: 1 });
    expect(await rowsLabelled('outage: cut mid-transaction')).toEqual({ keys: 0, audits: 0 });
    expect(await rowsLabelled('outage: during')).toEqual({ keys: 0, audits: 0 });
  });
});
