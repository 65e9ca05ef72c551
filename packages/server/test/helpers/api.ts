// A test API: the Yoga app over a seeded test database, with an API key for every role.
import { randomUUID } from 'node:crypto';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hashApiKeySecret } from '@maths-hubs/schema';
import { DEFAULT_RESPONSE_CACHE_TTL_SECONDS } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { type AppOptions, createApp } from '../../src/server.ts';
import { createSharedState } from '../../src/shared-state.ts';
import { SEED_TODAY, type TestDatabase, testDatabase } from './fixtures.ts';

export const ADMIN_API_KEY = 'test-admin-key-0123456789abcdef0123456789abcdef';

export type Caller = 'anonymous' | 'admin' | 'bootstrapAdmin' | 'analyst' | 'wm1Staff' | 'nw6Staff';

export interface GraphQLResponse {
  status: number;
  headers: Headers;
  data: any;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/**
 * State shared between requests as production keeps it: in Redis when TEST_REDIS_URL is set, else
 * in this process; always in a namespace of its own, so that test files running in parallel share
 * no budget and no cached answer.
 */
export async function testSharedState() {
  const url = process.env.TEST_REDIS_URL;
  const shared = createSharedState(url, createLogger('silent'), `test-${randomUUID()}`);
  // Wait for Redis, so that requests use it rather than the per-process fallback.
  for (let i = 0; url && !shared.status().healthy && i < 200; i++)
    await new Promise((r) => setTimeout(r, 25));
  if (url && !shared.status().healthy) throw new Error(`Redis at ${url} did not answer`);
  // And for its response cache's own connection, so that the first answers are stored too.
  const cache = shared.responseCache((DEFAULT_RESPONSE_CACHE_TTL_SECONDS ?? 60) * 1000);
  for (let i = 0; i < 200; i++) {
    if (
      await cache.sequence().then(
        () => true,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 25));
  }
  return shared;
}

/**
 * A seeded database, keys for every role, and the app with the production defaults (response
 * cache, cost and rate limits on, as `pnpm start` has them); `options` override them, and a test
 * that does so says why.
 */
export async function testApi(options: Partial<Omit<AppOptions, 'db'>> = {}) {
  const db: TestDatabase = await testDatabase();
  const sharedState = options.sharedState ?? (await testSharedState());
  const hubId = async (code: string) => (await db.prisma.hub.findUniqueOrThrow({ where: { code } })).id;
  const keys: Record<Exclude<Caller, 'anonymous'>, string> = {
    admin: 'secret-admin',
    bootstrapAdmin: ADMIN_API_KEY,
    analyst: 'secret-analyst',
    wm1Staff: 'secret-wm1',
    nw6Staff: 'secret-nw6',
  };
  await db.prisma.apiKey.createMany({
    data: [
      { label: 'test admin', role: 'NATIONAL_ADMIN', secretHash: hashApiKeySecret(keys.admin) },
      { label: 'test analyst', role: 'ANALYST', secretHash: hashApiKeySecret(keys.analyst) },
      {
        label: 'WM1 staff',
        role: 'HUB_STAFF',
        hubId: await hubId('WM1'),
        secretHash: hashApiKeySecret(keys.wm1Staff),
      },
      {
        label: 'NW6 staff',
        role: 'HUB_STAFF',
        hubId: await hubId('NW6'),
        secretHash: hashApiKeySecret(keys.nw6Staff),
      },
    ],
  });
  const app = createApp({
    db,
    logger: options.logger ?? createLogger('silent'),
    adminApiKey: ADMIN_API_KEY,
    clock: () => SEED_TODAY,
    ...options,
    sharedState,
  });

  /** The headers of a JSON POST by `as`. */
  const headersFor = (as: Caller, more: Record<string, string> = {}): Record<string, string> => ({
    'content-type': 'application/json',
    ...(as === 'anonymous' ? {} : { authorization: `Bearer ${keys[as]}` }),
    ...more,
  });

  /**
   * Another app over the same database, keys and clock, with no response cache: what the cached
   * app's answers are compared with.
   */
  const uncached = (overrides: Partial<Omit<AppOptions, 'db' | 'logger'>> = {}) =>
    createApp({
      db,
      logger: createLogger('silent'),
      adminApiKey: ADMIN_API_KEY,
      clock: options.clock ?? (() => SEED_TODAY),
      ...(options.limits ? { limits: options.limits } : {}),
      ...overrides,
      responseCacheTtlSeconds: null,
    });

  async function gql(
    query: string,
    variables: Record<string, unknown> = {},
    as: Caller = 'anonymous',
    headers: Record<string, string> = {},
  ): Promise<GraphQLResponse> {
    const response = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: headersFor(as, headers),
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: GraphQLResponse['errors'] };
    return { status: response.status, headers: response.headers, data: body.data, errors: body.errors };
  }

  /** Runs a query and fails the test on any GraphQL error. */
  async function ok(query: string, variables: Record<string, unknown> = {}, as: Caller = 'anonymous') {
    const result = await gql(query, variables, as);
    if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
    return result.data;
  }

  return {
    db,
    app,
    gql,
    ok,
    keys,
    sharedState,
    headersFor,
    uncached,
    close: async () => {
      if (!options.sharedState) await sharedState.close();
      await db.close();
    },
  };
}

export type TestApi = Awaited<ReturnType<typeof testApi>>;

/** Serves a handler (the app) over real HTTP on a free local port: its /graphql URL, and a close. */
export async function serveOnLocalPort(handler: RequestListener) {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
