// Running in public: the hostile-input corpus, the cost figures on every response, and the
// trusted-documents mode. Counts, never times: refusals are proven by zero executions and zero SQL.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from '@maths-hubs/schema';
import type { Plugin } from 'graphql-yoga';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../src/config.ts';
import { nodeHandler, PERSISTED_OPERATIONS } from '../src/server.ts';
import { type TestApi, testApi } from './helpers/api.ts';
import { testDbKind } from './helpers/fixtures.ts';
import { HOSTILE_CASES, type HostileCase } from './hostile-corpus.ts';

/** Counts operations that reached execution (a refused one never does, so no resolver runs). */
function executionCounter() {
  const counter = { executions: 0 };
  const plugin: Plugin<Context> = {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn((args) => {
        counter.executions++;
        return executeFn(args);
      });
    },
  };
  return { counter, plugin };
}

const { counter, plugin } = executionCounter();
let api: TestApi;
beforeAll(async () => {
  // Budgets off: the hostile corpus below sends far more than one client's budget, twice (budgets
  // are tested in rate-limit.test.ts). The response cache stays on, as in production.
  api = await testApi({ plugins: [plugin], limits: { ...DEFAULT_LIMITS, rate: null } });
});
afterAll(async () => {
  await api?.close();
});

/** Every row count that a write could change: the database must be the same after the corpus. */
async function fingerprint() {
  const [row] = await api.db.sql.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM application)::int AS applications, (SELECT count(*) FROM cohort)::int AS cohorts,
            (SELECT count(*) FROM enrolment)::int AS enrolments, (SELECT count(*) FROM participant)::int AS participants,
            (SELECT count(*) FROM school)::int AS schools, (SELECT count(*) FROM api_key)::int AS keys,
            (SELECT count(*) FROM audit_log)::int AS audit, (SELECT max(updated_at) FROM cohort)::text AS touched`,
  );
  return row;
}

async function send(c: HostileCase) {
  const url = new URL('http://localhost/graphql');
  for (const [k, v] of Object.entries(c.search ?? {})) url.searchParams.set(k, v);
  // The modern media type: request errors are 400 (legacy application/json gets 200, per the spec).
  const headers: Record<string, string> = { accept: 'application/graphql-response+json', ...c.headers };
  let body: BodyInit | undefined;
  if (c.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(c.json);
  } else if (c.raw !== undefined) body = c.raw as BodyInit;
  const response = await api.app.fetch(url.toString(), { method: c.method ?? 'POST', headers, body });
  const text = await response.text();
  let json: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } | null =
    null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: response.status, text, json };
}

describe(`hostile input (${testDbKind()})`, () => {
  it('has a corpus of at least 40 cases', () => {
    expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(HOSTILE_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const statements: string[] = [];
    const stop = api.db.onQuery((sql) => statements.push(sql));
    const before = counter.executions;
    let result: Awaited<ReturnType<typeof send>>;
    try {
      result = await send(c);
    } finally {
      stop();
    }
    expect(result.status, result.text.slice(0, 300)).toBeLessThan(500);
    const statuses = Array.isArray(c.expect.status) ? c.expect.status : [c.expect.status];
    expect(statuses, result.text.slice(0, 300)).toContain(result.status);
    if (result.status >= 400) {
      // A 4xx always says why, in words.
      const message = result.json?.errors?.[0]?.message ?? result.text;
      expect(message.length, `status ${result.status} without an explanation`).toBeGreaterThan(0);
    }
    if (c.expect.code) expect(result.json?.errors?.[0]?.extensions?.code).toBe(c.expect.code);
    if (c.expect.message) expect(result.json?.errors?.[0]?.message).toMatch(c.expect.message);
    if (c.expect.refused) {
      expect(counter.executions - before, 'operations executed').toBe(0);
      // With a key, the key itself is looked up (one statement); nothing else may run.
      const beyondKeyCheck = statements.filter((sql) => !/FROM "public"\."api_key"/.test(sql));
      expect(beyondKeyCheck, 'SQL statements sent').toEqual([]);
      expect(statements.length).toBeLessThanOrEqual(c.headers?.authorization?.startsWith('Bearer') ? 1 : 0);
      expect(result.json?.data ?? null).toBeNull();
    }
    // Never a masked internal error.
    expect(result.text).not.toMatch(/Unexpected error/);
  });

  it('leaves the database as it was after the whole corpus, sent twice', async () => {
    const before = await fingerprint();
    for (const c of HOSTILE_CASES) await send(c);
    for (const c of HOSTILE_CASES) await send(c);
    expect(await fingerprint()).toEqual(before);
  });
});

describe(`cost figures on every response (${testDbKind()})`, () => {
  it('reports what the operation cost and the caller’s limit, even for a refusal', async () => {
    // Another document of the same cost first: the same one again would be a cache hit (1 point).
    const small = await api.gql('query Small { hubs(first: 5) { nodes { code } } }');
    expect(small.status).toBe(200);
    expect(small.data).toBeTruthy();
    const body = await (
      await api.app.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ hubs(first: 5) { nodes { code } } }' }),
      })
    ).json();
    expect(body.extensions.cost).toMatchObject({ requested: 6, limit: DEFAULT_LIMITS.cost.anonymous });
    const keyed = await (
      await api.app.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${api.keys.analyst}` },
        body: JSON.stringify({ query: '{ hubs(first: 5) { nodes { code } } }' }),
      })
    ).json();
    expect(keyed.extensions.cost.limit).toBe(DEFAULT_LIMITS.cost.key);
    const refused = await api.gql(
      '{ hubs(first: 100) { nodes { cohorts(first: 100) { nodes { code } } } } }',
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      limit: 'cost',
      figure: 10_201,
      allowed: DEFAULT_LIMITS.cost.anonymous,
    });
  });

  it('gives GraphiQL a refusal it can show as it is: a JSON body whose message says what to fix', async () => {
    // GraphiQL's own fetcher sends this Accept header and prints the response body.
    const response = await api.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json, multipart/mixed',
      },
      body: JSON.stringify({
        query: '{ hubs(first: 100) { nodes { cohorts(first: 100) { nodes { code } } } } }',
      }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/json/);
    const body = (await response.json()) as any;
    expect(body.errors[0].message).toBe(
      'Query refused (limit: cost): this operation costs 10,201 points; the most allowed without an API key is 5,000. ' +
        'Ask for smaller pages (`first`) or fewer nested lists, or send an API key for a higher limit.',
    );
  });

  it('raises a permission refusal as a top-level FORBIDDEN error even when userErrors is not selected', async () => {
    const result = await api.gql(
      'mutation { revokeApiKey(input: { id: "QXBpS2V5OjE=" }) { apiKey { id } } }',
    );
    expect(result.data.revokeApiKey.apiKey).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe(`trusted documents: OPERATIONS=persisted (${testDbKind()})`, () => {
  let persisted: TestApi;
  beforeAll(async () => {
    persisted = await testApi({ limits: { ...DEFAULT_LIMITS, operations: 'persisted' } });
  });
  afterAll(async () => {
    await persisted?.close();
  });

  const byHash = (hash: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) =>
    persisted.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
    });

  it('runs the SDK’s operations by hash for anyone, and any document only with a key', async () => {
    const [hash] = Object.entries(PERSISTED_OPERATIONS).find(([, text]) => /query Regions\b/.test(text))!;
    const ok = await byHash(hash, {});
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as any).data.regions).toHaveLength(9);

    const text = await persisted.gql('{ regions { code } }');
    expect(text.errors?.[0]?.message).toMatch(/only the SDK’s persisted operations.*send an API key/);
    expect(text.data ?? null).toBeNull();

    const keyed = await persisted.gql('{ regions { code } }', {}, 'analyst');
    expect(keyed.errors).toBeUndefined();
    expect(keyed.data.regions).toHaveLength(9);
  });

  it('serves the CSV report, a first-class persisted operation', async () => {
    const response = await persisted.app.fetch('http://localhost/reports/cohort-stats.csv?groupBy=REGION', {
      headers: { authorization: `Bearer ${persisted.keys.analyst}` },
    });
    expect(response.status).toBe(200);
    expect((await response.text()).split('\r\n').find((l) => !l.startsWith('#'))).toMatch(
      /^Row,Region code,Region,Cohorts,/,
    );
    const anonymous = await persisted.app.fetch('http://localhost/reports/cohort-stats.csv?groupBy=REGION');
    expect(anonymous.status).toBe(200);
  });
});

describe(`HTTP hygiene (${testDbKind()})`, () => {
  it('allows any origin without credentials: keys travel in a header, never a cookie', async () => {
    const preflight = await api.app.fetch('http://localhost/graphql', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    // Any origin is allowed (Yoga echoes it, with Vary: Origin), but never with credentials.
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://evil.example');
    expect(preflight.headers.get('access-control-allow-credentials')).not.toBe('true');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const simple = await api.app.fetch('http://localhost/graphql?query=%7B__typename%7D', {
      headers: { origin: 'https://hub.example' },
    });
    expect(simple.headers.get('access-control-allow-origin')).toBe('https://hub.example');
    expect(simple.headers.get('access-control-allow-credentials')).not.toBe('true');
    expect(simple.headers.get('access-control-expose-headers')).toMatch(/ratelimit-remaining/i);
  });

  it('answers a declared oversize body with 413 over real HTTP without reading it', async () => {
    const server = createServer(nodeHandler(api.app, DEFAULT_LIMITS.maxBodyBytes));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }', variables: { s: 'x'.repeat(10_000_000) } }),
      });
      expect(response.status).toBe(413);
      expect(((await response.json()) as any).errors[0].message).toMatch(/the most accepted is 100000/);
      const small = await fetch(`http://127.0.0.1:${port}/graphql?query=%7B__typename%7D`);
      expect(small.status).toBe(200);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses a body over the configured size with 413 before parsing, by Content-Length or by counting', async () => {
    const big = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(200_000) } });
    const declared = await api.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(big.length) },
      body: big,
    });
    expect(declared.status).toBe(413);
    const streamed = await api.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 4; i++)
            controller.enqueue(new TextEncoder().encode(big.slice(i * 60_000, (i + 1) * 60_000)));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });
});

describe(`errors outside execution (${testDbKind()})`, () => {
  it('are masked with a request id, and logged once at warning level', async () => {
    const lines: { level: number; msg: string; requestId?: string; err?: { message: string } }[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    // A plugin that fails before execution, as a bug in one would: what the client and the log see.
    const failing: Plugin<Context> = {
      onParams({ params }) {
        if (params.operationName === 'Boom') throw new RangeError('secret detail: Maximum call stack');
      },
    };
    const own = await testApi({ logger, plugins: [failing] });
    try {
      const response = await own.app.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-boom-1' },
        body: JSON.stringify({ query: 'query Boom { __typename }', operationName: 'Boom' }),
      });
      const body = (await response.json()) as any;
      expect(body.errors).toEqual([
        {
          message: 'Unexpected error. If you report it, quote request id req-boom-1.',
          extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-boom-1' },
        },
      ]);
      expect(JSON.stringify(body)).not.toContain('secret detail');
      const logged = lines.filter((l) => l.err?.message?.includes('secret detail'));
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ level: 40, requestId: 'req-boom-1' });
      expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it('a node ID past its column is the caller’s mistake: BAD_USER_INPUT, and nothing at error level', async () => {
    const lines: { level: number }[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const own = await testApi({ logger });
    try {
      const id = Buffer.from('Cohort:99999999999999999999').toString('base64');
      for (let i = 0; i < 20; i++) {
        const result = await own.gql(`query N${i}($id: ID!) { node(id: $id) { id } }`, { id });
        expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      }
      expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    } finally {
      await own.close();
    }
  });
});
