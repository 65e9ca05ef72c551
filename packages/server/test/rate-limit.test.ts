// Rate limits by cost, in both stores: per process, and in Redis (the shared one at 6379, and a
// private one on a spare port that the test stops and starts to show failing open and recovering).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../sdk/src/index.ts';
import { DEFAULT_LIMITS, type Limits } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { COHORT_STATS_QUERY } from '../src/reports.ts';
import { createSharedState, type SharedState } from '../src/shared-state.ts';
import { serveOnLocalPort, type TestApi, testApi } from './helpers/api.ts';
import { testDbKind } from './helpers/fixtures.ts';
import { sparePort } from './helpers/ports.ts';

// Tests that need Redis run when TEST_REDIS_URL names one (.ci/run sets it), and skip without it.
const SHARED_REDIS = process.env.TEST_REDIS_URL;
const METRICS_TOKEN = 'a-metrics-token-of-32-characters-at-least';
const QUERY = '{ hubs(first: 10) { nodes { code } } }'; // costs 1 + 10 + 0 = 11

/** Small budgets so a test can spend them; each test uses its own client address. */
const limits = (budget: number): Limits => ({
  ...DEFAULT_LIMITS,
  trustProxy: { kind: 'hops', hops: 1 },
  cost: { anonymous: 100, key: 1_000 },
  rate: {
    windowSeconds: 60,
    budgets: { ANONYMOUS: budget, HUB_STAFF: budget * 10, ANALYST: budget * 10, NATIONAL_ADMIN: budget * 10 },
  },
});

/** A client address of its own (behind a trusted proxy, the last X-Forwarded-For entry counts). */
/** A client of its own: an IPv6 client is counted by its /64, so each gets another network. */
const freshAddress = () => `192.0.2.1, 2001:db8:${randomUUID().slice(0, 4)}:${randomUUID().slice(0, 4)}::1`;
/** Each run keeps its budgets apart from other runs' in the shared Redis. */
const namespace = () => `test-${randomUUID()}`;

/**
 * Sends QUERY with a comment of its own, so that it executes at its full cost each time (the same
 * text again would be answered from the response cache, for one point).
 */
async function post(api: TestApi, address: string, headers: Record<string, string> = {}) {
  const response = await api.app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address, ...headers },
    body: JSON.stringify({ query: `${QUERY} # ${randomUUID()}` }),
  });
  return { response, body: (await response.json()) as any };
}

async function until(check: () => boolean | Promise<boolean>, tries = 100) {
  for (let i = 0; i < tries; i++) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

function behavesAsABudget(store: () => SharedState) {
  let api: TestApi;
  beforeAll(async () => {
    api = await testApi({ limits: limits(50), sharedState: store() });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('charges each operation its cost and says so in headers and extensions.cost', async () => {
    const address = freshAddress();
    const first = await post(api, address);
    expect(first.response.status).toBe(200);
    expect(first.body.extensions.cost).toEqual({
      requested: 11,
      limit: 100,
      remaining: 39,
      resetSeconds: expect.any(Number),
      budget: 50,
    });
    expect(first.response.headers.get('ratelimit-limit')).toBe('50');
    expect(first.response.headers.get('ratelimit-remaining')).toBe('39');
    expect(Number(first.response.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    const second = await post(api, address);
    expect(second.response.headers.get('ratelimit-remaining')).toBe('28');
  });

  it('refuses with 429, Retry-After and RATE_LIMITED once the budget is spent, before anything runs', async () => {
    const address = freshAddress();
    for (let i = 0; i < 4; i++) expect((await post(api, address)).response.status).toBe(200); // 44 spent
    const statements: string[] = [];
    const stop = api.db.onQuery((sql) => statements.push(sql));
    const refused = await post(api, address);
    stop();
    expect(refused.response.status).toBe(429);
    expect(Number(refused.response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(refused.body.errors[0].message).toMatch(/costs 11 points and 6 of your 50 are left/);
    expect(refused.body.data).toBeUndefined();
    expect(statements).toEqual([]);
    // Another address has its own budget.
    expect((await post(api, freshAddress())).response.status).toBe(200);
  });

  it('gives a key its own, larger budget, and refuses a revoked key before any budget is charged', async () => {
    const address = freshAddress();
    for (let i = 0; i < 5; i++) await post(api, address);
    expect((await post(api, address)).response.status).toBe(429);
    const keyed = await post(api, address, { authorization: `Bearer ${api.keys.analyst}` });
    expect(keyed.response.status).toBe(200);
    expect(keyed.response.headers.get('ratelimit-limit')).toBe('500');
    const revoked = await post(api, freshAddress(), { authorization: 'Bearer not-a-key' });
    expect(revoked.response.status).toBe(401);
  });
}

describe(`rate limits in this process (${testDbKind()})`, () => {
  behavesAsABudget(() => createSharedState(undefined, createLogger('silent')));
});

describe(`reports and rate limits (${testDbKind()})`, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await testApi({
      limits: limits(200),
      sharedState: createSharedState(undefined, createLogger('silent')),
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('charges a CSV report what the cohortStats query it equals costs, from the same budget', async () => {
    const analyst = { authorization: `Bearer ${api.keys.analyst}` };
    const report = () =>
      api.app.fetch('http://localhost/reports/cohort-stats.csv?groupBy=REGION', { headers: analyst });
    const query = await api.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...analyst },
      body: JSON.stringify({ query: COHORT_STATS_QUERY, variables: { groupBy: ['REGION'], filter: {} } }),
    });
    const { requested: cost, remaining } = ((await query.json()) as any).extensions.cost;
    expect(cost).toBeGreaterThan(1);
    const first = await report();
    expect(first.status).toBe(200);
    expect(Number(first.headers.get('ratelimit-remaining'))).toBe(remaining - cost);
    let last = first;
    for (let i = 0; i < 100 && last.status === 200; i++) last = await report();
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await last.text()).toMatch(new RegExp(`Rate limit reached: this operation costs ${cost} points`));
  });
});

describe.runIf(SHARED_REDIS)(`rate limits in Redis (${testDbKind()})`, () => {
  let shared: SharedState;
  const sharedNamespace = namespace();
  behavesAsABudget(() => {
    shared = createSharedState(SHARED_REDIS!, createLogger('silent'), sharedNamespace);
    return shared;
  });
  afterAll(async () => {
    await shared?.close();
  });

  it('shares one budget between two instances', async () => {
    const other = createSharedState(SHARED_REDIS!, createLogger('silent'), sharedNamespace);
    // Two limiters with the same name on two connections are two instances of one API.
    const name = `share-${randomUUID()}`;
    const first = other.budget({ name, points: 30, windowSeconds: 60 });
    const second = shared.budget({ name, points: 30, windowSeconds: 60 });
    await until(() => other.status().healthy && shared.status().healthy);
    expect((await first.charge('ip:1', 20)).remaining).toBe(10);
    const refused = await second.charge('ip:1', 20);
    expect(refused.allowed).toBe(false);
    expect(refused.remaining).toBe(0);
    await other.close();
  });
});

describe.runIf(SHARED_REDIS)('Redis going away and coming back (a private redis-server)', () => {
  let redis: ChildProcess | undefined;
  let port: number;
  let shared: SharedState;
  let api: TestApi;
  const start = async () => {
    redis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    expect(await until(() => shared?.status().healthy ?? true)).toBe(true);
  };
  const stopRedis = async () => {
    const exited = new Promise((resolve) => redis?.once('exit', resolve));
    redis?.kill('SIGKILL');
    await exited;
  };

  beforeAll(async () => {
    port = await sparePort();
    await start();
    shared = createSharedState(`redis://127.0.0.1:${port}`, createLogger('silent'), namespace());
    api = await testApi({
      limits: limits(50),
      sharedState: shared,
      metrics: { token: METRICS_TOKEN, allowLocal: false },
    });
    expect(await until(() => shared.status().healthy)).toBe(true);
  });
  const sharedStateGauge = async () => {
    const response = await api.app.fetch('http://localhost/metrics', {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    return /^mathshubs_shared_state_healthy\{store="redis"\} (\d)/m.exec(await response.text())?.[1];
  };
  afterAll(async () => {
    await api?.close();
    await shared?.close();
    if (redis && redis.exitCode === null) await stopRedis();
  });

  it('fails open to per-process budgets, reports degraded on /readyz (still 200), and resumes sharing', async () => {
    const address = freshAddress();
    expect((await post(api, address)).response.status).toBe(200);

    await stopRedis();
    expect(await until(() => !shared.status().healthy)).toBe(true);
    const during = await post(api, address);
    expect(during.response.status).toBe(200); // still answering, still counted (in memory)
    expect(during.response.headers.get('ratelimit-limit')).toBe('50');
    const ready = await api.app.fetch('http://localhost/readyz');
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as any).sharedState).toMatch(/degraded/);
    expect(await sharedStateGauge()).toBe('0');
    // Live events still reach this instance's own subscribers.
    const cohort = (await api.ok('{ cohorts(first: 1) { nodes { id code capacity } } }')).cohorts.nodes[0];
    const stream = createClient({
      url: 'http://localhost/graphql',
      fetch: api.app.fetch as typeof fetch,
    }).cohortUpdated({
      code: cohort.code,
    });
    const event = stream.next();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await api.ok(
      'mutation($input: UpdateCohortInput!) { updateCohort(input: $input) { userErrors { code } } }',
      { input: { cohortId: cohort.id, capacity: cohort.capacity + 1 } },
      'admin',
    );
    const received = await event;
    expect(!received.done && received.value.cohortUpdated.code).toBe(cohort.code);
    await stream.return();
    // Per-process budgets still bound a caller while Redis is away.
    let refused = false;
    for (let i = 0; i < 6 && !refused; i++) refused = (await post(api, address)).response.status === 429;
    expect(refused).toBe(true);

    await start();
    expect(await until(() => shared.status().healthy)).toBe(true);
    const readyAgain = await api.app.fetch('http://localhost/readyz');
    expect(((await readyAgain.json()) as any).sharedState).toBe('redis');
    expect(await sharedStateGauge()).toBe('1');
    const after = await post(api, freshAddress());
    expect(after.response.status).toBe(200);
    expect(after.response.headers.get('ratelimit-remaining')).toBe('39');
  });
});

describe(`the SDK and a 429 (${testDbKind()})`, () => {
  let api: TestApi;
  let closeServer: (() => Promise<void>) | undefined;
  let url: string;
  beforeAll(async () => {
    // A one-second window: the SDK's retry after Retry-After then finds the budget full again.
    api = await testApi({
      limits: { ...limits(120), rate: { windowSeconds: 1, budgets: { ...limits(120).rate!.budgets } } },
    });
    ({ url, close: closeServer } = await serveOnLocalPort(api.app));
  });
  afterAll(async () => {
    await closeServer?.();
    await api?.close();
  });

  it('retries after Retry-After and then succeeds, end to end', async () => {
    const statuses: number[] = [];
    const client = createClient({
      url,
      headers: { 'x-forwarded-for': freshAddress() },
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        const response = await fetch(input, init);
        statuses.push(response.status);
        return response;
      }) as typeof fetch,
    });
    // A page of ten hubs costs 51, of eleven 56, …: the third in a second is refused, retried,
    // then answered. Each page is another size, so that none is answered from the response cache.
    let refusedOnce = false;
    for (let i = 0; i < 8; i++) {
      const data = await client.hubs({ first: 10 + i });
      expect(data.hubs.nodes).toHaveLength(10 + i);
      if (statuses.includes(429)) refusedOnce = true;
    }
    expect(refusedOnce).toBe(true);
    expect(statuses.at(-1)).toBe(200);
  });
});
