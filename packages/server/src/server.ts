// The HTTP surface: Yoga serving /graphql (with GraphiQL), /healthz and /readyz.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { Context } from '@maths-hubs/schema';
import { schema } from '@maths-hubs/schema';
import { GraphQLError } from 'graphql';
import { createYoga, isAsyncIterable, type Plugin, useReadinessCheck } from 'graphql-yoga';
import { buildContext } from './context.ts';
import type { Database } from './db.ts';
import type { Logger } from './logger.ts';
import { useCsvReports } from './reports.ts';

/** GraphiQL opens on the tour in packages/sdk/operations, the same file the tests run. */
export const GRAPHIQL_DEFAULT_QUERY = readFileSync(
  new URL('../../sdk/operations/Tour.graphql', import.meta.url),
  'utf8',
);

/** The SDK's operations by SHA-256, so that clients may send a hash instead of the text. */
const PERSISTED_OPERATIONS: Record<string, string> = JSON.parse(
  readFileSync(new URL('../../sdk/persisted-operations.json', import.meta.url), 'utf8'),
);

export interface AppOptions {
  db: Database;
  logger: Logger;
  adminApiKey?: string | undefined;
  /** The clock the API reads "today" from; tests fix it. */
  clock?: () => Date;
  /** Statistics withhold counts from 1 to this (default 4) for everyone below national admin. */
  suppressionThreshold?: number;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Replaces unexpected (non-GraphQL) errors with a generic one carrying the request id, and logs them. */
function maskUnexpectedErrors(logger: Logger): Plugin<Context> {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          if (isAsyncIterable(result) || !result.errors?.length) return;
          const ctx = args.contextValue as Context;
          setResult({
            ...result,
            errors: result.errors.map((error) => {
              const original = error.originalError;
              // By name, not instanceof: the same class may be loaded twice (ESM and CommonJS builds).
              if (!original || original.name === 'GraphQLError') return error;
              if (original.name === 'PothosValidationError') {
                // e.g. a forged or stale cursor: the caller's mistake, so say what it was.
                return new GraphQLError(
                  `${original.message}. Pass a cursor from a previous page's pageInfo or edges.`,
                  {
                    nodes: error.nodes,
                    path: error.path,
                    extensions: { code: 'BAD_USER_INPUT' },
                  },
                );
              }
              logger.error({ err: original, requestId: ctx.requestId, path: error.path }, 'unexpected error');
              return new GraphQLError(
                `Unexpected error. If you report it, quote request id ${ctx.requestId}.`,
                {
                  nodes: error.nodes,
                  path: error.path,
                  extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: ctx.requestId },
                },
              );
            }),
          });
        },
      };
    },
  };
}

export function createApp({
  db,
  logger,
  adminApiKey,
  clock = () => new Date(),
  suppressionThreshold = 4,
}: AppOptions) {
  const requestIds = new WeakMap<Request, string>();
  // The CSV routes call back into this same instance (set just below).
  let graphqlFetch: (input: string, init: RequestInit) => Promise<Response> = () =>
    Promise.reject(new Error('not ready'));
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    // Masking is done by maskUnexpectedErrors below (Yoga's own check uses instanceof, which
    // fails when graphql is loaded both as ESM and as CommonJS).
    maskedErrors: false,
    graphiql: { title: 'Maths Hubs API', defaultQuery: GRAPHIQL_DEFAULT_QUERY },
    // GraphiQL's scripts served from this server, not a CDN: it works offline and behind firewalls.
    renderGraphiQL,
    logging: {
      debug: (...args) => logger.debug(args.length === 1 ? args[0] : args),
      info: (...args) => logger.info(args.length === 1 ? args[0] : args),
      warn: (...args) => logger.warn(args.length === 1 ? args[0] : args),
      error: (...args) => logger.error(args.length === 1 ? args[0] : args),
    },
    context: ({ request }) => {
      const given = request.headers.get('x-request-id');
      const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
      requestIds.set(request, requestId);
      return buildContext(request, requestId, {
        prisma: db.prisma,
        adminApiKey,
        clock,
        suppressionThreshold,
      }).catch((error: Error) => {
        if (error.name === 'GraphQLError') throw error;
        logger.error({ err: error, requestId }, 'could not build the request context');
        throw new GraphQLError(`Unexpected error. If you report it, quote request id ${requestId}.`, {
          extensions: { code: 'INTERNAL_SERVER_ERROR', requestId, http: { status: 500 } },
        });
      });
    },
    plugins: [
      usePersistedOperations({
        getPersistedOperation: (hash) => PERSISTED_OPERATIONS[hash] ?? null,
        allowArbitraryOperations: true, // any query by text too: the API is public
      }),
      maskUnexpectedErrors(logger),
      useCsvReports(() => graphqlFetch),
      {
        onResponse({ request, response }) {
          const id = requestIds.get(request);
          if (id) response.headers.set('x-request-id', id);
        },
      },
      useReadinessCheck({
        endpoint: '/readyz',
        async check({ fetchAPI }) {
          const ready = await db.isReady();
          return new fetchAPI.Response(JSON.stringify(ready), {
            status: ready.ok ? 200 : 503,
            headers: { 'content-type': 'application/json' },
          });
        },
      }),
    ],
  });
  graphqlFetch = async (input, init) => yoga.fetch(input, init);
  return yoga;
}
