// Two server processes on one PostgreSQL and one Redis, as behind a load balancer: what one
// instance learns, the other acts on at once. A decision through A reaches a subscriber on B;
// B's cached reads show it; a key revoked through A is refused by B; budgets are shared.
import { hashApiKeySecret } from '@maths-hubs/schema';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../sdk/src/index.ts';
import { type TestDatabase, testDatabase, testDbKind } from './helpers/fixtures.ts';
import { type ServerProcess, startServerProcess } from './helpers/server-process.ts';

// A Redis database of this file's own on TEST_REDIS_URL's server (skipped without one).
const REDIS_URL = process.env.TEST_REDIS_URL && `${process.env.TEST_REDIS_URL.replace(/\/\d*$/, '')}/9`;
const ADMIN = 'fleet-test-admin-key';
/** Costs 11 points; each `n` a document of its own, so that no cache answers it. */
const query = (n: number) => `{ page${n}: hubs(first: 10) { nodes { code } } }`;

describe.runIf(testDbKind() === 'postgres' && REDIS_URL)('two instances on one PostgreSQL and Redis', () => {
  let db: TestDatabase;
  let a: string;
  let b: string;
  const servers: ServerProcess[] = [];
  let cohort: { id: string; code: string; capacity: number };

  const gql = async (base: string, query: string, variables = {}, key?: string, address?: string) => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(address ? { 'x-forwarded-for': address } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  beforeAll(async () => {
    const redis = new Redis(REDIS_URL!);
    await redis.flushdb();
    redis.disconnect();
    db = await testDatabase();
    await db.prisma.apiKey.create({
      data: { label: 'fleet admin', role: 'NATIONAL_ADMIN', secretHash: hashApiKeySecret(ADMIN) },
    });
    const env = {
      DATABASE_URL: db.url!,
      REDIS_URL: REDIS_URL!,
      SEED_ON_START: 'false',
      COST_LIMIT_ANONYMOUS: '50',
      RATE_LIMIT_ANONYMOUS: '50',
      TRUST_PROXY: 'true',
    };
    servers.push(startServerProcess(env), startServerProcess(env));
    [a, b] = (await Promise.all(servers.map((s) => s.ready))) as [string, string];
    const [row] = await db.sql.query<{ code: string; capacity: number }>(
      "SELECT code, capacity FROM cohort WHERE status = 'RECRUITING' ORDER BY code LIMIT 1",
    );
    const found = await gql(
      a,
      'query($code: String!) { cohort(code: $code) { id } }',
      { code: row!.code },
      ADMIN,
    );
    cohort = { id: found.body.data.cohort.id, code: row!.code, capacity: row!.capacity };
  }, 120_000);

  afterAll(async () => {
    for (const server of servers) server.child.kill('SIGKILL');
    await db?.close();
  });

  it('delivers a change made through A to a subscriber on B, and B’s cached reads show it at once', async () => {
    const READ = 'query($code: String!) { cohort(code: $code) { capacity } }';
    // B caches the anonymous read.
    expect((await gql(b, READ, { code: cohort.code })).body.data.cohort.capacity).toBe(cohort.capacity);
    const cached = await gql(b, READ, { code: cohort.code });
    expect(cached.body.extensions?.responseCache?.hit).toBe(true);

    const stream = createClient({ url: `${b}/graphql` }).cohortUpdated({ code: cohort.code });
    const event = stream.next();
    // The subscription is registered on B once its stream is open: give it a moment, then write.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const capacity = cohort.capacity + 3;
    const changed = await gql(
      a,
      'mutation($input: UpdateCohortInput!) { updateCohort(input: $input) { userErrors { code } } }',
      { input: { cohortId: cohort.id, capacity } },
      ADMIN,
    );
    expect(changed.body.data.updateCohort.userErrors).toEqual([]);
    const received = await Promise.race([
      event,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000)),
    ]);
    expect(received && !received.done && received.value.cohortUpdated.capacity).toBe(capacity);
    await stream.return();
    expect((await gql(b, READ, { code: cohort.code })).body.data.cohort.capacity).toBe(capacity);
  });

  it('refuses on B a key revoked through A, on its next request', async () => {
    const secret = 'fleet-test-analyst-key';
    const key = await db.prisma.apiKey.create({
      data: { label: 'fleet analyst', role: 'ANALYST', secretHash: hashApiKeySecret(secret) },
    });
    expect((await gql(b, '{ viewer { role } }', {}, secret)).body.data.viewer.role).toBe('ANALYST');
    const id = Buffer.from(`ApiKey:${key.id}`).toString('base64');
    const revoked = await gql(
      a,
      'mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { userErrors { code } } }',
      { input: { id } },
      ADMIN,
    );
    expect(revoked.body.data.revokeApiKey.userErrors).toEqual([]);
    const refused = await gql(b, '{ viewer { role } }', {}, secret);
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].message).toMatch(/was revoked/);
  });

  it('shares one budget between A and B', async () => {
    const address = '198.51.100.7'; // a client of this test's own
    for (let i = 0; i < 4; i++)
      expect((await gql(i % 2 ? a : b, query(i), {}, undefined, address)).status).toBe(200); // 44 of 50
    const refused = await gql(b, query(4), {}, undefined, address);
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].extensions.code).toBe('RATE_LIMITED');
  });
});
