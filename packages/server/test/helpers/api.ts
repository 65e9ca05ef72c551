// A test API: the Yoga app over a seeded test database, with an API key for every role.
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hashApiKeySecret } from '@maths-hubs/schema';
import { DEFAULT_LIMITS } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { type AppOptions, createApp } from '../../src/server.ts';
import { SEED_TODAY, type TestDatabase, testDatabase } from './fixtures.ts';

export const ADMIN_API_KEY = 'test-admin-key-0123456789abcdef0123456789abcdef';

export type Caller = 'anonymous' | 'admin' | 'bootstrapAdmin' | 'analyst' | 'wm1Staff' | 'nw6Staff';

export interface GraphQLResponse {
  status: number;
  headers: Headers;
  data: any;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** A seeded database, keys for every role, and the app; `options` override the app's defaults. */
export async function testApi(options: Partial<Omit<AppOptions, 'db' | 'logger'>> = {}) {
  const db: TestDatabase = await testDatabase();
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
    logger: createLogger('silent'),
    adminApiKey: ADMIN_API_KEY,
    clock: () => SEED_TODAY,
    // Functional tests send far more than one client would: budgets are tested on their own.
    limits: { ...DEFAULT_LIMITS, rate: null },
    ...options,
  });

  async function gql(
    query: string,
    variables: Record<string, unknown> = {},
    as: Caller = 'anonymous',
    headers: Record<string, string> = {},
  ): Promise<GraphQLResponse> {
    const response = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(as === 'anonymous' ? {} : { authorization: `Bearer ${keys[as]}` }),
        ...headers,
      },
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

  return { db, app, gql, ok, keys, close: () => db.close() };
}

export type TestApi = Awaited<ReturnType<typeof testApi>>;

/** Serves a handler (the app) over real HTTP on a free local port: its /graphql URL, and a close. */
export async function serveOnLocalPort(handler: RequestListener) {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
