// GET /metrics: Prometheus text from the app's own registry, readable by this host or with a token.
import { randomUUID } from 'node:crypto';
import { createSchema, createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Limits } from '../src/config.ts';
import { type MetricsPlugin, useMetrics } from '../src/plugins/metrics.ts';
import { serveOnLocalPort, type TestApi, testApi } from './helpers/api.ts';
import { testDbKind } from './helpers/fixtures.ts';

const METRICS_TOKEN = 'a-metrics-token-of-32-characters-at-least';

// The text exposition format, line by line: comments, samples with optional labels, and empty
// lines (which the format ignores; prom-client puts one between metric families).
const METRIC_NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
// Prometheus reads values with Go's ParseFloat, which takes NaN in any case (prom-client writes "Nan").
const VALUE = '(?:[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?|[Nn][Aa][Nn]|[-+]Inf)';
const LINE = new RegExp(
  `^(?:# HELP ${METRIC_NAME} .*|# TYPE ${METRIC_NAME} (?:counter|gauge|histogram|summary|untyped)|` +
    `${METRIC_NAME}(?:\\{(?:${LABEL}(?:,${LABEL})*,?)?\\})? ${VALUE}(?: -?\\d+)?)$`,
);

/** Samples by `name{label="value",…}` with the labels sorted, so lookups need not know their order. */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const lines = text.split('\n');
  expect(lines.at(-1)).toBe(''); // the text ends with a newline
  for (const line of lines.slice(0, -1)) {
    if (line === '') continue;
    expect(line, 'a line of the exposition format').toMatch(LINE);
    if (line.startsWith('#')) continue;
    const match = /^([^{ ]+)(?:\{(.*)\})? (\S+)/.exec(line)!;
    const labels = [...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)]
      .map(([, k, v]) => `${k}="${v}"`)
      .sort();
    samples.set(key(match[1]!, labels), Number(match[3]));
  }
  return samples;
}

const key = (name: string, labels: string[]) => (labels.length ? `${name}{${labels.join(',')}}` : name);

/** A sample's value (0 when absent), found by name and labels. */
const sample = (samples: Map<string, number>, name: string, labels: Record<string, string> = {}) =>
  samples.get(
    key(
      name,
      Object.entries(labels)
        .map(([k, v]) => `${k}="${v}"`)
        .sort(),
    ),
  ) ?? 0;

/** The sum of every sample of a metric, whatever its labels. */
const total = (samples: Map<string, number>, name: string) =>
  [...samples].filter(([k]) => k === name || k.startsWith(`${name}{`)).reduce((sum, [, v]) => sum + v, 0);

/** Scrapes from this host over real HTTP (no token configured: only local callers get it). */
async function scrapeLocally(handler: Parameters<typeof serveOnLocalPort>[0], headers: HeadersInit = {}) {
  const server = await serveOnLocalPort(handler);
  try {
    const response = await fetch(server.url.replace(/\/graphql$/, '/metrics'), { headers });
    return { response, text: await response.text() };
  } finally {
    await server.close();
  }
}

async function post(
  api: TestApi,
  query: string,
  headers: Record<string, string> = {},
  variables: Record<string, unknown> = {},
) {
  const response = await api.app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { response, body: (await response.json()) as any };
}

const HUB_CODES = 'query HubCodes($first: Int = 10) { hubs(first: $first) { nodes { code } } }'; // costs 11
/** Another page size each time, so that each request executes (the same one again is a cache hit). */
let pageSize = 10;
const freshHubCodes = () => ({ first: ++pageSize });

describe(`metrics (${testDbKind()})`, () => {
  let api: TestApi;
  let metrics: MetricsPlugin;
  const scrape = async () => {
    const { response, text } = await scrapeLocally(api.app);
    expect(response.status).toBe(200);
    return parse(text);
  };

  beforeAll(async () => {
    metrics = useMetrics({ allowLocal: true, operationNames: ['HubCodes', 'Broken'] });
    // The test's own metrics plugin serves /metrics (the app's default one is left out).
    api = await testApi({ plugins: [metrics], metrics: null });
    metrics.attachDatabase(api.db);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('serves the exposition format to this host, with default Node metrics and none to a web page', async () => {
    const { response, text } = await scrapeLocally(api.app, { origin: 'https://example.org' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const samples = parse(text);
    expect(sample(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sample(samples, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(text).toContain('# TYPE mathshubs_graphql_requests_total counter');
    expect(text).toContain('# TYPE mathshubs_graphql_request_duration_seconds histogram');
    expect(text).toContain('# TYPE mathshubs_sql_statements_per_request histogram');
  });

  it('counts N queries of an operation, their duration and their SQL statements; not its own scrapes', async () => {
    const labels = { operation: 'HubCodes', outcome: 'ok' };
    const before = await scrape();
    const n = 3;
    for (let i = 0; i < n; i++)
      expect((await post(api, HUB_CODES, {}, freshHubCodes())).response.status).toBe(200);
    const after = await scrape();
    const delta = (name: string, l: Record<string, string> = {}) =>
      sample(after, name, l) - sample(before, name, l);
    expect(delta('mathshubs_graphql_requests_total', labels)).toBe(n);
    // The scrapes themselves are not GraphQL requests.
    expect(
      total(after, 'mathshubs_graphql_requests_total') - total(before, 'mathshubs_graphql_requests_total'),
    ).toBe(n);
    expect(delta('mathshubs_graphql_request_duration_seconds_count', labels)).toBe(n);
    expect(delta('mathshubs_graphql_request_duration_seconds_sum', labels)).toBeGreaterThan(0);
    expect(delta('mathshubs_sql_statements_per_request_count')).toBe(n);
    // Each read of hubs is at least one statement, and at most a few (statements.test.ts).
    const statements = delta('mathshubs_sql_statements_per_request_sum');
    expect(statements).toBeGreaterThanOrEqual(n);
    expect(statements).toBeLessThanOrEqual(3 * n);
  });

  it('gives each of several concurrent requests its own statements', async () => {
    const count = 'mathshubs_sql_statements_per_request_count';
    const sum = 'mathshubs_sql_statements_per_request_sum';
    const first = await scrape();
    await post(api, HUB_CODES, {}, freshHubCodes());
    const alone = await scrape();
    const each = sample(alone, sum) - sample(first, sum); // one request's statements
    expect(each).toBeGreaterThanOrEqual(1);
    const n = 6;
    await Promise.all(Array.from({ length: n }, () => post(api, HUB_CODES, {}, freshHubCodes())));
    const after = await scrape();
    expect(sample(after, count) - sample(alone, count)).toBe(n);
    expect(sample(after, sum) - sample(alone, sum)).toBe(n * each);
    // None was given fewer than its own (which another would then have been given).
    const fewer = String(Math.max(...[0, 1, 2, 3].filter((b) => b < each)));
    const bucket = (s: Map<string, number>) =>
      sample(s, 'mathshubs_sql_statements_per_request_bucket', { le: fewer });
    expect(bucket(after) - bucket(alone)).toBe(0);
  });

  it('counts errors by code, and requests refused before execution as refused', async () => {
    const before = await scrape();
    const invalid = await post(api, 'query Broken { noSuchField }');
    expect(invalid.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const unauthenticated = await post(api, HUB_CODES, { authorization: 'Bearer not-a-key' });
    expect(unauthenticated.response.status).toBe(401);
    const after = await scrape();
    const delta = (name: string, l: Record<string, string>) =>
      sample(after, name, l) - sample(before, name, l);
    expect(delta('mathshubs_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(delta('mathshubs_graphql_requests_total', { operation: 'Broken', outcome: 'error' })).toBe(1);
    expect(delta('mathshubs_graphql_errors_total', { code: 'UNAUTHENTICATED' })).toBe(1);
    expect(delta('mathshubs_graphql_requests_total', { operation: 'HubCodes', outcome: 'refused' })).toBe(1);
  });

  it('counts a request to /graphql answered before any result (415) as an error', async () => {
    const before = await scrape();
    const response = await api.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{ __typename }',
    });
    expect(response.status).toBe(415);
    const after = await scrape();
    const labels = { operation: 'anonymous', outcome: 'error' };
    expect(
      sample(after, 'mathshubs_graphql_requests_total', labels) -
        sample(before, 'mathshubs_graphql_requests_total', labels),
    ).toBe(1);
  });

  it('records only known operation names: 250 invented names are "other", and a known one still counts', async () => {
    const before = await scrape();
    for (let i = 0; i < 250; i++) await post(api, `query Invented${i} { __typename }`);
    await post(api, '{ __typename }');
    await post(api, HUB_CODES, {}, freshHubCodes());
    const after = await scrape();
    const delta = (l: Record<string, string>) =>
      sample(after, 'mathshubs_graphql_requests_total', l) -
      sample(before, 'mathshubs_graphql_requests_total', l);
    expect(delta({ operation: 'other', outcome: 'ok' })).toBe(250);
    expect(delta({ operation: 'anonymous', outcome: 'ok' })).toBe(1);
    expect(delta({ operation: 'HubCodes', outcome: 'ok' })).toBe(1);
    expect([...after.keys()].some((k) => k.includes('Invented'))).toBe(false);
  });

  it('reports the pool (PGlite: one connection) and the open subscriptions', async () => {
    metrics.subscriptionOpened();
    metrics.subscriptionOpened();
    metrics.subscriptionClosed();
    const samples = await scrape();
    expect(sample(samples, 'mathshubs_subscriptions_active')).toBe(1);
    metrics.subscriptionClosed();
    if (api.db.kind === 'embedded')
      expect(sample(samples, 'mathshubs_db_pool_connections', { state: 'total' })).toBe(1);
    // PostgreSQL: reported once db.ts exposes its pool (the last test checks the figures).
    else if ('pool' in api.db)
      expect(sample(samples, 'mathshubs_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['X-Forwarded-For naming this host', { 'x-forwarded-for': '127.0.0.1' }],
    ['X-Forwarded-For naming another', { 'x-forwarded-for': '203.0.113.9, ::1' }],
    ['an empty X-Forwarded-For entry', { 'x-forwarded-for': '203.0.113.9, ' }],
    ['Forwarded', { forwarded: 'for=127.0.0.1' }],
    ['X-Real-IP', { 'x-real-ip': '127.0.0.1' }],
    ['Via', { via: '1.1 proxy' }],
  ])('refuses a scrape that came through a proxy on this host (%s)', async (_name, headers) => {
    const { response, text } = await scrapeLocally(api.app, headers);
    expect(response.status).toBe(403);
    expect(text).toMatch(/METRICS_TOKEN/);
  });

  it('refuses a scrape from elsewhere when no token is set, saying to set METRICS_TOKEN', async () => {
    const response = await api.app.fetch('http://localhost/metrics'); // no peer address: not local
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/METRICS_TOKEN/);
  });
});

describe(`metrics of rate limits and the response cache (${testDbKind()})`, () => {
  let api: TestApi;
  const limits: Limits = {
    ...DEFAULT_LIMITS,
    trustProxy: { kind: 'hops', hops: 1 },
    cost: { anonymous: 100, key: 1_000 },
    rate: {
      windowSeconds: 60,
      budgets: { ANONYMOUS: 20, HUB_STAFF: 200, ANALYST: 200, NATIONAL_ADMIN: 200 },
    },
  };
  const metrics = useMetrics({
    token: METRICS_TOKEN,
    allowLocal: false,
    defaultMetrics: false,
    operationNames: ['HubCodes', 'NineHubs'],
  });
  const scrape = async () => {
    const response = await api.app.fetch('http://localhost/metrics', {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(response.status).toBe(200);
    return parse(await response.text());
  };

  beforeAll(async () => {
    // The test's own metrics plugin serves /metrics (the app's default one is left out).
    api = await testApi({ limits, plugins: [metrics], metrics: null });
    metrics.attachDatabase(api.db);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('counts cache hits and misses, and each refusal over budget; scrapes are never charged', async () => {
    const client = { 'x-forwarded-for': `2001:db8:${randomUUID().slice(0, 4)}::1` };
    const before = await scrape();
    const statuses: number[] = [];
    // 20 points: 11 for a miss, 1 for a hit, then a query of 10 points that 8 cannot pay for.
    for (const query of [
      HUB_CODES,
      HUB_CODES,
      'query NineHubs { hubs(first: 9) { nodes { code } } }',
      HUB_CODES,
    ])
      statuses.push((await post(api, query, client)).response.status);
    for (let i = 0; i < 5; i++) await scrape(); // not rate-limited, whatever the budget
    const after = await scrape();
    const delta = (name: string, l: Record<string, string> = {}) =>
      sample(after, name, l) - sample(before, name, l);
    // Refused when charged (NineHubs), then before anything runs (the budget is spent).
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(delta('mathshubs_rate_limit_refusals_total')).toBe(2);
    expect(delta('mathshubs_graphql_errors_total', { code: 'RATE_LIMITED' })).toBe(2);
    expect(delta('mathshubs_graphql_requests_total', { operation: 'NineHubs', outcome: 'refused' })).toBe(1);
    expect(delta('mathshubs_graphql_requests_total', { operation: 'HubCodes', outcome: 'refused' })).toBe(1);
    expect(delta('mathshubs_graphql_requests_total', { operation: 'HubCodes', outcome: 'ok' })).toBe(2);
    expect(delta('mathshubs_response_cache_total', { result: 'miss' })).toBe(1);
    expect(delta('mathshubs_response_cache_total', { result: 'hit' })).toBe(1);
    // Only the miss sent SQL: the hit and the two refusals sent none.
    expect(delta('mathshubs_sql_statements_per_request_count')).toBe(4);
    expect(delta('mathshubs_sql_statements_per_request_bucket', { le: '0' })).toBe(3);
  });

  it('counts a report refused over budget, without counting reports as GraphQL requests', async () => {
    const analyst = { authorization: `Bearer ${api.keys.analyst}` };
    const before = await scrape();
    let last: Response | undefined;
    let reports = 0;
    for (; reports < 100 && last?.status !== 429; reports++)
      last = await api.app.fetch('http://localhost/reports/cohort-stats.csv?groupBy=REGION', {
        headers: analyst,
      });
    expect(last?.status).toBe(429);
    const after = await scrape();
    expect(
      sample(after, 'mathshubs_rate_limit_refusals_total') -
        sample(before, 'mathshubs_rate_limit_refusals_total'),
    ).toBe(1);
    expect(
      total(after, 'mathshubs_graphql_requests_total') - total(before, 'mathshubs_graphql_requests_total'),
    ).toBe(0);
  });
});

describe('metrics protection and pool figures (no database)', () => {
  const app = (options: Parameters<typeof useMetrics>[0]) =>
    createYoga({
      schema: createSchema({ typeDefs: 'type Query { ok: Boolean }' }),
      plugins: [useMetrics({ defaultMetrics: false, ...options })],
    });

  it('with a token, asks for it (401 with WWW-Authenticate) from anywhere, this host included', async () => {
    const withToken = app({ token: 'metrics-secret', allowLocal: true });
    const none = await withToken.fetch('http://localhost/metrics');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const wrong = await withToken.fetch('http://localhost/metrics', {
      headers: { authorization: 'Bearer not-the-secret' },
    });
    expect(wrong.status).toBe(401);
    const right = await withToken.fetch('http://localhost/metrics', {
      headers: { authorization: 'Bearer metrics-secret' },
    });
    expect(right.status).toBe(200);
    parse(await right.text());
    expect((await scrapeLocally(withToken)).response.status).toBe(401);
  });

  it('without a token and without allowLocal, serves nobody (403 saying to set METRICS_TOKEN)', async () => {
    const closed = app({ allowLocal: false });
    const local = await scrapeLocally(closed);
    expect(local.response.status).toBe(403);
    expect(local.text).toMatch(/set METRICS_TOKEN/);
  });

  it('reads the PostgreSQL pool and the open subscriptions at each scrape', async () => {
    const pool = { totalCount: 3, idleCount: 2, waitingCount: 0 };
    let streams = 2;
    const metrics = useMetrics({
      token: 't',
      allowLocal: false,
      defaultMetrics: false,
      db: { kind: 'postgres', onQuery: () => () => {}, pool },
      openSubscriptions: () => streams,
    });
    const yoga = createYoga({
      schema: createSchema({ typeDefs: 'type Query { ok: Boolean }' }),
      plugins: [metrics],
    });
    const read = async () =>
      parse(
        await (
          await yoga.fetch('http://localhost/metrics', { headers: { authorization: 'Bearer t' } })
        ).text(),
      );
    let samples = await read();
    expect(sample(samples, 'mathshubs_db_pool_connections', { state: 'total' })).toBe(3);
    expect(sample(samples, 'mathshubs_db_pool_connections', { state: 'idle' })).toBe(2);
    expect(sample(samples, 'mathshubs_subscriptions_active')).toBe(2);
    pool.waitingCount = 4;
    streams = 0;
    samples = await read();
    expect(sample(samples, 'mathshubs_db_pool_connections', { state: 'waiting' })).toBe(4);
    expect(sample(samples, 'mathshubs_subscriptions_active')).toBe(0);
  });
});
