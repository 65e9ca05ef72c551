// The HTTP surface: Yoga serving /graphql (with GraphiQL), /healthz, /readyz and the reports.
// A request flows: caller (API key, rate key) → limits (shape, inputs, cost) → rate budget →
// execution under a deadline → error masking → cost figures on the way out.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { Context, StatsProtection } from '@maths-hubs/schema';
import { cohortStats, createStandardViews, schema } from '@maths-hubs/schema';
import { Kind, parse } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { clientResolver } from './client-address.ts';
import {
  DEFAULT_LIMITS,
  DEFAULT_RESPONSE_CACHE_TTL_SECONDS,
  type Limits,
  type MetricsSettings,
} from './config.ts';
import { buildContext } from './context.ts';
import type { Database } from './db.ts';
import { useEmbedAssets } from './embed.ts';
import { renderGraphiQLPage, useGraphiQLAssets } from './graphiql.ts';
import { useReadiness } from './health.ts';
import { createLiveHub, type LiveHub, useLiveEvents, useStreamLimits } from './live-events.ts';
import type { Logger } from './logger.ts';
import { useCaller } from './plugins/caller.ts';
import { useCompression } from './plugins/compression.ts';
import { useDeadline } from './plugins/deadline.ts';
import { useErrorMasking, useExplainedUnsupportedMediaType } from './plugins/errors.ts';
import { useHttpCaching } from './plugins/http-cache.ts';
import { useLimits, useRequestShape } from './plugins/limits.ts';
import { useMetrics } from './plugins/metrics.ts';
import { createAttempts, createRateLimiter, useRateLimit } from './plugins/rate-limit.ts';
import { createReadRouter, useReplicaRouting } from './plugins/replica.ts';
import { requestState } from './plugins/request-state.ts';
import { useCaching } from './plugins/response-cache.ts';
import { COHORT_STATS_HASH, COHORT_STATS_QUERY, useReports } from './reports.ts';
import { createSharedState, type SharedState } from './shared-state.ts';

/**
 * Operation names /metrics records as themselves: the SDK's, the reports' and the tour's. Others
 * are "other", so that clients cannot fill the label set with names of their own.
 */
function knownOperationNames(): Set<string> {
  const documents = [...Object.values(PERSISTED_OPERATIONS), GRAPHIQL_DEFAULT_QUERY];
  return new Set(
    documents.flatMap((d) =>
      parse(d).definitions.flatMap((def) =>
        def.kind === Kind.OPERATION_DEFINITION && def.name ? [def.name.value] : [],
      ),
    ),
  );
}

/** GraphiQL opens on the tour in packages/server/operations, the same file the tests run. */
export const GRAPHIQL_DEFAULT_QUERY = readFileSync(
  new URL('../operations/Tour.graphql', import.meta.url),
  'utf8',
);

/**
 * Documents that may run by hash: the SDK's manifest (append-only, so older SDKs keep working)
 * and the server's own report queries, which must run when only persisted operations are allowed.
 */
export const PERSISTED_OPERATIONS: Record<string, string> = {
  ...JSON.parse(readFileSync(new URL('../../sdk/persisted-operations.json', import.meta.url), 'utf8')),
  [COHORT_STATS_HASH]: COHORT_STATS_QUERY,
};

export interface AppOptions {
  db: Database;
  logger: Logger;
  adminApiKey?: string | undefined;
  /** The clock the API reads "today" from; tests fix it. */
  clock?: () => Date;
  /** Statistics never publish counts from 1 to this (default 4) exactly below national admin. */
  suppressionThreshold?: number;
  /** How statistics are protected below national admin (default: the cell key method). */
  statsProtection?: StatsProtection;
  /** Cost, shape, rate and size limits (config.ts); the defaults when not given. */
  limits?: Limits;
  /** Where budgets are kept; per process when not given. */
  sharedState?: SharedState;
  /** Seconds a read stays in the response cache; null: no cache. Default: on, as in production. */
  responseCacheTtlSeconds?: number | null;
  /** More Yoga plugins, run after the API's own (instrumentation, tests' counters). */
  plugins?: Plugin<Context>[];
  /** OpenTelemetry spans (tracing.ts), wrapped around everything; none when not given. */
  tracing?: Plugin<Context> | null;
  /** Live events (subscriptions); one is made when not given. The process closes it on shutdown. */
  live?: LiveHub;
  /** GET /metrics: for bearers of the token, or without one from this machine only (the default); null: off. */
  metrics?: Pick<MetricsSettings, 'token' | 'allowLocal'> | null;
}

/**
 * A Node request handler in front of the app: a body whose declared size is over the limit gets
 * 413 at once, unread (Node discards the rest as it arrives, so the client can finish sending and
 * read the answer). Yoga's own check, which also counts chunked bodies, streams it first.
 */
export function nodeHandler(app: ReturnType<typeof createApp>, maxBodyBytes: number) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBodyBytes) {
      res.writeHead(413, { 'content-type': 'application/json; charset=utf-8' });
      res.end(
        JSON.stringify({
          errors: [
            {
              message: `The request body is ${declared} bytes; the most accepted is ${maxBodyBytes}. Send a smaller document or fewer variables.`,
              extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' },
            },
          ],
        }),
      );
      return;
    }
    app(req, res);
  };
}

export function createApp({
  db,
  logger,
  adminApiKey,
  clock = () => new Date(),
  suppressionThreshold = 4,
  statsProtection = 'CELL_KEY',
  limits = DEFAULT_LIMITS,
  sharedState = createSharedState(undefined, logger),
  plugins = [],
  responseCacheTtlSeconds = DEFAULT_RESPONSE_CACHE_TTL_SECONDS,
  metrics = { token: undefined, allowLocal: true },
  live = createLiveHub(sharedState, limits),
  tracing = null,
}: AppOptions) {
  const responseCache =
    responseCacheTtlSeconds === null ? null : sharedState.responseCache(responseCacheTtlSeconds * 1000);
  // With the cache, whose stamps say when statistics were last written to, on any instance.
  const reads = createReadRouter(db, sharedState, logger);
  const statsViews = responseCache
    ? createStandardViews({
        // On the replica once it has replayed the last write (the stamp was read before this).
        compute: async (groupBy) => cohortStats(await reads.forRead(), groupBy, {}, clock()),
        version: () => responseCache.stamp('Stats@All'),
        clock,
        onError: (error) => logger.warn({ err: error }, 'statistics views: a refresh failed'),
      })
    : undefined;
  const deps = { prisma: db.prisma, adminApiKey, clock, suppressionThreshold, statsProtection, statsViews };
  const rateLimiter = createRateLimiter(limits, sharedState, logger);
  const clientOf = clientResolver(limits.trustProxy, limits.proxyHeader);
  const attemptsOf = createAttempts(limits.failedAttempts, sharedState, logger);
  const metricsPlugin = metrics
    ? useMetrics({
        token: metrics.token,
        allowLocal: metrics.allowLocal,
        clientOf,
        db,
        operationNames: knownOperationNames(),
        openSubscriptions: live.openStreams,
        sharedState: () => sharedState.status(),
      })
    : null;
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    // Masking is done by useErrorMasking (Yoga's own check uses instanceof, which fails when
    // graphql is loaded both as ESM and as CommonJS).
    maskedErrors: false,
    // Keys travel in a header, never in cookies: any origin may call, without credentials.
    cors: {
      origin: '*',
      credentials: false,
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['authorization', 'content-type', 'x-request-id', 'if-none-match'],
      exposedHeaders: [
        'etag',
        'x-request-id',
        'retry-after',
        'ratelimit-limit',
        'ratelimit-remaining',
        'ratelimit-reset',
        'x-trace-id',
        'traceparent',
      ],
      maxAge: 86_400,
    },
    maxRequestBodySize: limits.maxBodyBytes,
    graphiql: { title: 'Maths Hubs API', defaultQuery: GRAPHIQL_DEFAULT_QUERY },
    // A small page; its scripts and styles are files served by this server (graphiql.ts).
    renderGraphiQL: renderGraphiQLPage,
    logging: {
      debug: (...args) => logger.debug(args.length === 1 ? args[0] : args),
      info: (...args) => logger.info(args.length === 1 ? args[0] : args),
      warn: (...args) => logger.warn(args.length === 1 ? args[0] : args),
      error: (...args) => logger.error(args.length === 1 ? args[0] : args),
    },
    context: ({ request }) => {
      const state = requestState(request);
      // useCaller has resolved the viewer before parsing; without it nothing reaches execution.
      if (!state?.viewer) throw new Error('the caller was not resolved before execution');
      state.announcements = [];
      return buildContext(
        state.requestId,
        state.viewer,
        deps,
        live.forRequest(state.caller, state.announcements),
        attemptsOf(`ip:${state.client.key}`),
      );
    },
    plugins: [
      // First, so that the request's span wraps everything the others do.
      ...(tracing ? [tracing] : []),
      useGraphiQLAssets(),
      useEmbedAssets(),
      useRequestShape(),
      useCaller(deps, logger, clientOf),
      useExplainedUnsupportedMediaType(),
      usePersistedOperations({
        getPersistedOperation: (hash) => PERSISTED_OPERATIONS[hash] ?? null,
        // OPERATIONS=persisted: callers without a key may run only the SDK's operations.
        allowArbitraryOperations: (request) =>
          limits.operations === 'any' || (requestState(request)?.viewer?.role ?? 'ANONYMOUS') !== 'ANONYMOUS',
        customErrors: {
          keyNotFound: {
            message:
              'Send a GraphQL document as `query`, or a persisted operation’s hash as extensions.persistedQuery.sha256Hash.',
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          },
          notFound: {
            message:
              'No persisted operation has this hash. Send the document as `query`, or update the SDK: hashes once shipped stay accepted.',
            extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 400 } },
          },
          persistedQueryOnly:
            'This server runs only the SDK’s persisted operations for callers without an API key. ' +
            'Send the operation by its hash (the SDK does this), or send an API key ("Authorization: Bearer <key>"); ' +
            'a national admin of the Maths Hubs programme can issue one.',
        },
      }),
      useLimits(limits),
      useRateLimit(rateLimiter, limits),
      useStreamLimits(limits, rateLimiter),
      // Before the cache: a write's position is noted before cached reads are invalidated.
      useReplicaRouting(reads),
      // After the key check and the budget, before parsing: a hit skips everything after.
      ...(responseCache === null || responseCacheTtlSeconds === null
        ? []
        : [
            useCaching({
              cache: responseCache,
              ttlSeconds: responseCacheTtlSeconds,
              clock,
              logger,
              prisma: db.prisma,
            }),
          ]),
      // After the cache's invalidation: a subscriber who reads again sees what it was told.
      useLiveEvents(live),
      useDeadline(limits.requestTimeoutMs),
      useErrorMasking(logger),
      useReports({ context: deps, limiter: rateLimiter, limits, logger, live, reads, clientOf }),
      useReadiness(db.sql, sharedState),
      ...(metricsPlugin ? [metricsPlugin] : []),
      ...plugins,
      useHttpCaching(responseCacheTtlSeconds ?? 60, rateLimiter),
      // Last, so that it compresses the response every other plugin has finished.
      useCompression(),
    ],
  });
  /** The metrics text for a listener of its own (METRICS_PORT); null when metrics are off. */
  const scrapeMetrics = metricsPlugin ? metricsPlugin.scrape : null;
  return Object.assign(yoga, { scrapeMetrics });
}
