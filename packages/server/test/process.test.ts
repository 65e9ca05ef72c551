// The server as a process: the data-directory lock and graceful shutdown (embedded database).
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, GraphQLRequestError } from '../../sdk/src/index.ts';
import { DataDirLockedError, openEmbedded } from '../src/db.ts';
import { snapshotPath } from '../src/snapshot.ts';
import { testDatabase, testDbKind } from './helpers/fixtures.ts';
import { startServerProcess } from './helpers/server-process.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function startServer(dataDir: string, port = 0, env: Record<string, string> = {}) {
  const server = startServerProcess({
    DATA_DIR: dataDir,
    PORT: String(port),
    SEED_ON_START: 'false',
    DATABASE_URL: '',
    ...env,
  });
  children.push(server.child);
  return server;
}

describe.runIf(testDbKind() === 'embedded')('the server process (embedded)', () => {
  it('refuses a second process on the same DATA_DIR with a message that says why', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mh-lock-'));
    const first = startServer(dataDir);
    const url = await first.ready;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    const second = startServer(dataDir);
    expect(await second.exited).toBe(75);
    expect(second.output().stderr).toMatch(/already in use by another process/);
    expect(second.output().stderr).toContain(dataDir);
    // The first server is unharmed.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('ends live streams on SIGTERM with a hint to subscribe again, and stops without waiting for them', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mh-streams-'));
    const server = startServer(dataDir, 0, { SHUTDOWN_TIMEOUT_MS: '120000' });
    const url = await server.ready;
    const stream = createClient({ url: `${url}/graphql` }).cohortUpdated({ code: 'WM1-ANY' });
    const ended = stream.next().then(
      () => null,
      (error: unknown) => error,
    );
    let open = 0;
    for (let i = 0; i < 100 && open < 1; i++) {
      const metrics = await (await fetch(`${url}/metrics`)).text();
      open = Number(/^mathshubs_subscriptions_active (\d+)/m.exec(metrics)?.[1] ?? 0);
      if (open < 1) await new Promise((r) => setTimeout(r, 50));
    }
    expect(open).toBe(1);
    server.child.kill('SIGTERM');
    const error = (await ended) as GraphQLRequestError;
    expect(error).toBeInstanceOf(GraphQLRequestError);
    expect(error.errors[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(error.message).toMatch(/subscribe again/);
    expect(await server.exited).toBe(0);
    expect(server.output().stdout).not.toMatch(/shutdown timeout/);
  });

  it('stops on SIGTERM: finishes, closes the database and releases the lock', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mh-stop-'));
    const server = startServer(dataDir);
    const url = await server.ready;
    const inFlight = fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ regions { code } }' }),
    });
    await new Promise((r) => setTimeout(r, 20));
    server.child.kill('SIGTERM');
    expect((await inFlight).status).toBe(200);
    expect(await server.exited).toBe(0);
    expect(server.output().stdout).toMatch(/"msg":"stopped"/);
    const reopened = await openEmbedded(dataDir);
    await reopened.close();
  });

  it('starts an empty data directory from today’s snapshot, and leaves one when there was none', async () => {
    const path = await snapshotPath();
    await rm(path, { force: true });
    const count = async (url: string) => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ hubs { totalCount } cohorts { totalCount } }' }),
      });
      return ((await response.json()) as { data: unknown }).data;
    };
    const seeding = startServer(await mkdtemp(join(tmpdir(), 'mh-seed-')), 0, { SEED_ON_START: 'true' });
    const seeded = await count(await seeding.ready);
    expect(seeding.output().stdout).toMatch(/"fromSnapshot":false/);
    expect(seeding.output().stdout).toContain('saved a snapshot of the demo data');
    expect(existsSync(path)).toBe(true);
    seeding.child.kill('SIGTERM');
    await seeding.exited;

    const copying = startServer(await mkdtemp(join(tmpdir(), 'mh-copy-')), 0, { SEED_ON_START: 'true' });
    const copied = await count(await copying.ready);
    expect(copying.output().stdout).toMatch(/"fromSnapshot":true/);
    expect(copying.output().stdout).not.toContain('loading the reference and demo data');
    expect(copied).toEqual(seeded);
    expect((copied as { hubs: { totalCount: number } }).hubs.totalCount).toBe(40);
  });

  it('keys snapshots by day, so demo data made relative to one day never serves another', async () => {
    expect(await snapshotPath(new Date('2026-11-01T08:00:00Z'))).toBe(
      await snapshotPath(new Date('2026-11-01T20:00:00Z')),
    );
    expect(await snapshotPath(new Date('2026-11-01T08:00:00Z'))).not.toBe(
      await snapshotPath(new Date('2026-11-02T08:00:00Z')),
    );
  });

  it('takes the lock in-process too', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mh-lock2-'));
    const db = await openEmbedded(dataDir);
    try {
      await expect(openEmbedded(dataDir)).rejects.toBeInstanceOf(DataDirLockedError);
    } finally {
      await db.close();
    }
  });
});

describe.runIf(testDbKind() === 'postgres')('the server process (postgres)', () => {
  it('serves reads and writes from the bundle on PostgreSQL, and stops cleanly', async () => {
    const db = await testDatabase();
    try {
      const server = startServer(await mkdtemp(join(tmpdir(), 'mh-pg-')), 0, { DATABASE_URL: db.url! });
      const url = await server.ready;
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ hub(code: "WM1") { code recruitingCohorts { totalCount } } }' }),
      });
      expect(await response.json()).toMatchObject({ data: { hub: { code: 'WM1' } } });
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    } finally {
      await db.close();
    }
  });
});
