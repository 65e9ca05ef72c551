// WEB_CONCURRENCY: one port served by several worker processes on PostgreSQL, /metrics adding up
// every worker's figures, and SIGTERM stopping them all.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testDatabase, testDbKind } from './helpers/fixtures.ts';
import { type ServerProcess, startServerProcess } from './helpers/server-process.ts';

/** A request on a connection of its own, so that the kernel may hand it to any worker. */
function post(base: string, query: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ query });
    const req = request(
      `${base}/graphql`,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe.runIf(testDbKind() === 'postgres')('a cluster of workers (WEB_CONCURRENCY)', () => {
  let db: TestDatabase;
  let server: ServerProcess;
  let base: string;

  beforeAll(async () => {
    db = await testDatabase();
    server = startServerProcess({
      DATABASE_URL: db.url!,
      WEB_CONCURRENCY: '2',
      SEED_ON_START: 'false',
      RATE_LIMIT: 'off',
      RESPONSE_CACHE: 'off',
    });
    base = await server.ready;
  }, 120_000);

  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await db?.close();
  });

  it('serves one port from two workers and adds up their metrics', async () => {
    // Both workers log that they are ready.
    for (let i = 0; i < 100 && (server.output().stdout.match(/GraphiQL at/g) ?? []).length < 2; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(server.output().stdout.match(/GraphiQL at/g)).toHaveLength(2);
    const pids = new Set(
      server
        .output()
        .stdout.split('\n')
        .filter((l) => l.includes('GraphiQL at'))
        .map((l) => JSON.parse(l).pid),
    );
    expect(pids.size).toBe(2);
    // Named as an SDK operation: /metrics labels only names it knows.
    const results = await Promise.all(
      Array.from({ length: 30 }, () => post(base, 'query Regions { regions { code } }')),
    );
    expect(results.every((status) => status === 200)).toBe(true);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    const line = metrics
      .split('\n')
      .find((l) => l.startsWith('mathshubs_graphql_requests_total{') && l.includes('operation="Regions"'));
    expect(Number(line?.split(' ').at(-1))).toBe(30);
  });

  it('replaces the workers one by one on SIGHUP, answering all the while', async () => {
    const before = (server.output().stdout.match(/GraphiQL at/g) ?? []).length;
    server.child.kill('SIGHUP');
    const statuses: number[] = [];
    for (let i = 0; i < 600 && !server.output().stdout.includes('rolling restart done'); i++)
      statuses.push(await post(base, '{ regions { code } }'));
    expect(server.output().stdout).toContain('rolling restart done');
    // Two new workers started (each logs its own ready line, which may reach the shared stdout
    // just after the primary's "done"); every request during the roll was answered.
    const started = () => (server.output().stdout.match(/GraphiQL at/g) ?? []).length;
    await expect.poll(started, { timeout: 10_000 }).toBe(before + 2);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(await post(base, '{ regions { code } }')).toBe(200);
  });

  it('stops every worker on SIGTERM', async () => {
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    // The two of the first generation stopped during the roll, the two of the second now.
    expect(server.output().stdout.match(/"msg":"stopped"/g)).toHaveLength(4);
  });
});
