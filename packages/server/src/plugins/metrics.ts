// Prometheus metrics at GET /metrics (text exposition format), from a registry of this app's own
// (prom-client's global one is never used, so several apps in one process keep apart).
//
// What is measured, and where it is read:
//   - GraphQL requests by operation and outcome, with their duration: the whole request is wrapped
//     (Yoga's `instrumentation.request`), the outcome is read from the result on its way out
//     (`onResultProcess`, after the other plugins have refused, masked or answered from the cache);
//   - errors by extensions.code, response-cache hits and misses (`extensions.responseCache.hit`),
//     rate-limit refusals (RATE_LIMITED, or a 429 from the reports): from the same result;
//   - SQL statements per request: the database's query hook, attributed to the request whose
//     asynchronous context sent the statement (AsyncLocalStorage around the request);
//   - database pool connections, read on each scrape; open subscriptions (read on each scrape from
//     `openSubscriptions`, or moved by the subscription code); process and Node figures
//     (prom-client's default metrics).
//
// Who may scrape: with a token, only "Authorization: Bearer <token>"; without one, only this host
// (a loopback peer and no forwarding header: a proxy on this host is not "this host"), and only
// when `allowLocal`. Operation labels come from a fixed set of names (the SDK's), so that clients
// cannot use the label values up. /metrics is not
// GraphQL: it is neither counted as a request nor charged to a rate budget.
import { AsyncLocalStorage } from 'node:async_hooks';
import cluster from 'node:cluster';
import { createHash, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Context } from '@maths-hubs/schema';
import { getOperationAST } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { AggregatorRegistry, Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { type ClientResolver, clientResolver, isLocal } from '../client-address.ts';
import { clusterMetrics } from '../cluster.ts';
import type { Database } from '../db.ts';
import { requestState } from './request-state.ts';

/** The pool figures node-postgres keeps (`pg.Pool`). */
export interface PoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** What the metrics read from the database: its query hook, its kind, its pool when it has one. */
export type MetricsDatabase = Pick<Database, 'kind' | 'onQuery'> & { pool?: PoolStats };

export interface MetricsOptions {
  /** The bearer token a scraper must send (METRICS_TOKEN). Without one, only this host may scrape. */
  token?: string | undefined;
  /** Without a token: whether requests from this host (127.0.0.1, ::1) may scrape. */
  allowLocal: boolean;
  /** Who the client is (client-address.ts); the TCP peer when not given. */
  clientOf?: ClientResolver;
  /** The database: statements per request from its query hook, pool figures on each scrape. */
  db?: MetricsDatabase;
  /** Default "/metrics". */
  endpoint?: string;
  /** The GraphQL endpoint (default "/graphql"): a request to it that ends before any result is an error. */
  graphqlEndpoint?: string;
  /** prom-client's default metrics (process memory and CPU, heap, event loop, GC); default true. */
  defaultMetrics?: boolean;
  /** Operation names recorded as themselves (the SDK's and the server's own); any other is "other". */
  operationNames?: Iterable<string>;
  /**
   * Subscriptions open now, read at each scrape (e.g. the live hub's `openStreams`). Without it,
   * the gauge moves by `subscriptionOpened()` / `subscriptionClosed()`.
   */
  openSubscriptions?: () => number;
  /** Where shared state lives and whether it is reachable (a Redis outage: per-process state). */
  sharedState?: () => { store: 'memory' | 'redis'; healthy: boolean };
}

export type Outcome = 'ok' | 'error' | 'refused';

export interface MetricsPlugin extends Plugin<Context> {
  registry: Registry;
  /** The exposition text, as GET /metrics answers it (for a listener of its own: METRICS_PORT). */
  scrape(): Promise<string>;
  /** Starts counting statements per request from this database and reporting its pool. */
  attachDatabase(db: MetricsDatabase): void;
  subscriptionOpened(): void;
  subscriptionClosed(): void;
}

const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
/** Refused before execution: over a rate budget, too complex, or a key that was not accepted. */
const REFUSAL_CODES = new Set(['RATE_LIMITED', 'QUERY_TOO_COMPLEX', 'UNAUTHENTICATED']);
/** The first operation's name in a document not yet parsed (a request refused before parsing). */
const LEADING_NAME = /^\s*(?:query|mutation|subscription)\s+([A-Za-z_][A-Za-z0-9_]*)/;

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const STATEMENT_BUCKETS = [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89];

interface GraphQLResultLike {
  data?: unknown;
  errors?: readonly { extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

/** One request, from the moment it arrives until its response is made. */
interface RequestRecord {
  start: number;
  statements: number;
  /** The operation name the client gave, or that the executed document has. */
  operationName?: string | null;
  outcome?: Outcome;
  status?: number;
  /** The response-cache verdict (only when the cache is on). */
  cache?: 'hit' | 'miss';
  rateLimited?: boolean;
  errorCodes: string[];
}

const digest = (value: string) => createHash('sha256').update(value).digest();

function codeOf(error: { extensions?: Record<string, unknown> }): string {
  const code = error.extensions?.code;
  if (typeof code !== 'string') return 'UNKNOWN';
  return ERROR_CODE.test(code) ? code : 'OTHER';
}

export function useMetrics(options: MetricsOptions): MetricsPlugin {
  const endpoint = options.endpoint ?? '/metrics';
  const graphqlEndpoint = options.graphqlEndpoint ?? '/graphql';
  const knownNames = new Set(options.operationNames ?? []);
  const clientOf = options.clientOf ?? clientResolver({ kind: 'none' });
  const tokenDigest = options.token ? digest(options.token) : null;
  const registry = new Registry();
  if (cluster.isWorker) {
    // The primary gathers this registry's figures from every worker (prom-client's cluster support).
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([registry]);
  }
  const registers = [registry];
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'mathshubs_graphql_requests_total',
    help: 'GraphQL requests by operation name and outcome (ok, error, or refused before execution).',
    labelNames: ['operation', 'outcome'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'mathshubs_graphql_request_duration_seconds',
    help: 'Time from a GraphQL request arriving to its response being made, in seconds.',
    labelNames: ['operation', 'outcome'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const errors = new Counter({
    name: 'mathshubs_graphql_errors_total',
    help: 'Errors in GraphQL results, by extensions.code.',
    labelNames: ['code'] as const,
    registers,
  });
  const statements = new Histogram({
    name: 'mathshubs_sql_statements_per_request',
    help: 'SQL statements sent through Prisma for one GraphQL request.',
    buckets: STATEMENT_BUCKETS,
    registers,
  });
  const cache = new Counter({
    name: 'mathshubs_response_cache_total',
    help: 'Reads answered from the response cache (hit) or executed and offered to it (miss).',
    labelNames: ['result'] as const,
    registers,
  });
  const refusals = new Counter({
    name: 'mathshubs_rate_limit_refusals_total',
    help: 'Requests refused because the caller’s rate budget was spent (GraphQL and reports).',
    registers,
  });
  let db: MetricsDatabase | undefined;
  new Gauge({
    name: 'mathshubs_db_pool_connections',
    help: 'Database connections by state, read at each scrape (embedded PGlite: one, total).',
    labelNames: ['state'] as const,
    registers,
    collect() {
      if (!db) return;
      if (db.kind === 'embedded') {
        this.set({ state: 'total' }, 1);
      } else if (db.pool) {
        this.set({ state: 'total' }, db.pool.totalCount);
        this.set({ state: 'idle' }, db.pool.idleCount);
        this.set({ state: 'waiting' }, db.pool.waitingCount);
      }
    },
  });
  const openSubscriptions = options.openSubscriptions;
  const subscriptions: Gauge = new Gauge({
    name: 'mathshubs_subscriptions_active',
    help: 'GraphQL subscriptions open now on this instance.',
    registers,
    collect() {
      if (openSubscriptions) this.set(openSubscriptions());
    },
  });

  const sharedState = options.sharedState;
  new Gauge({
    name: 'mathshubs_shared_state_healthy',
    help: 'Whether shared state (rate budgets, the response cache, live events) is reachable: 0 while Redis is away and this instance runs on its own state.',
    labelNames: ['store'] as const,
    registers,
    collect() {
      if (!sharedState) return;
      const { store, healthy } = sharedState();
      this.reset();
      this.set({ store }, healthy ? 1 : 0);
    },
  });

  const current = new AsyncLocalStorage<RequestRecord>();
  let stopListening: (() => void) | undefined;
  const attachDatabase = (database: MetricsDatabase) => {
    stopListening?.();
    db = database;
    stopListening = database.onQuery(() => {
      const record = current.getStore();
      if (record) record.statements++;
    });
  };
  if (options.db) attachDatabase(options.db);

  const operationLabel = (name: string | null | undefined): string => {
    if (!name) return 'anonymous';
    return knownNames.has(name) ? name : 'other';
  };

  function finish(record: RequestRecord, pathname: string, method: string) {
    if (record.outcome === undefined) {
      // No GraphQL result was made: a report, a health check, GraphiQL, a preflight; or a request
      // to the GraphQL endpoint that was answered early (415), which is counted as an error.
      if (record.status === 429) refusals.inc();
      if (pathname !== graphqlEndpoint || method === 'OPTIONS' || (record.status ?? 500) < 400) return;
      record.outcome = 'error';
    }
    const labels = { operation: operationLabel(record.operationName), outcome: record.outcome };
    requests.inc(labels);
    duration.observe(labels, (performance.now() - record.start) / 1000);
    statements.observe(record.statements);
    for (const code of record.errorCodes) errors.inc({ code });
    if (record.cache) cache.inc({ result: record.cache });
    if (record.rateLimited) refusals.inc();
  }

  function scrapeAllowed(request: Request, serverContext: unknown): { status: number; message?: string } {
    if (tokenDigest) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
      if (match && timingSafeEqual(digest(match[1]!), tokenDigest)) return { status: 200 };
      return { status: 401, message: 'Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>".\n' };
    }
    if (options.allowLocal && isLocal(clientOf(request, serverContext))) return { status: 200 };
    return {
      status: 403,
      message: options.allowLocal
        ? 'Metrics are served only to this host, and never through a proxy (a request with a forwarding header). To scrape from elsewhere, set METRICS_TOKEN and send "Authorization: Bearer <METRICS_TOKEN>", or scrape METRICS_PORT on this host.\n'
        : 'Metrics are not served without a token: set METRICS_TOKEN and send "Authorization: Bearer <METRICS_TOKEN>".\n',
    };
  }

  // In a cluster, every worker's figures added up (cluster.ts), whichever worker is scraped.
  const scrape = () => (cluster.isWorker ? clusterMetrics() : registry.metrics());

  return {
    registry,
    scrape,
    attachDatabase,
    subscriptionOpened: () => subscriptions.inc(),
    subscriptionClosed: () => subscriptions.dec(),

    instrumentation: {
      request({ request }, wrapped) {
        const url = new URL(request.url, 'http://localhost');
        if (url.pathname === endpoint) return wrapped();
        const record: RequestRecord = { start: performance.now(), statements: 0, errorCodes: [] };
        return current.run(record, async () => {
          try {
            await wrapped();
          } finally {
            finish(record, url.pathname, request.method);
          }
        });
      },
    },

    async onRequest({ request, url, serverContext, fetchAPI, endResponse }) {
      if (url.pathname !== endpoint) return;
      const plain = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(
          new fetchAPI.Response('Use GET.\n', { status: 405, headers: { ...plain, allow: 'GET, HEAD' } }),
        );
        return;
      }
      const allowed = scrapeAllowed(request, serverContext);
      if (allowed.status !== 200) {
        endResponse(
          new fetchAPI.Response(allowed.message, {
            status: allowed.status,
            headers:
              allowed.status === 401 ? { ...plain, 'www-authenticate': 'Bearer realm="metrics"' } : plain,
          }),
        );
        return;
      }
      const text = await scrape();
      endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : text, {
          status: 200,
          headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' },
        }),
      );
    },

    onParams({ params }) {
      const record = current.getStore();
      if (!record) return;
      record.operationName =
        params.operationName ??
        (typeof params.query === 'string' ? LEADING_NAME.exec(params.query)?.[1] : undefined) ??
        null;
    },

    onExecute({ args }) {
      const record = current.getStore();
      if (!record) return;
      const name = getOperationAST(args.document, args.operationName)?.name?.value;
      if (name) record.operationName = name;
    },

    onResultProcess({ request, result }) {
      const record = current.getStore();
      if (!record) return;
      if (isAsyncIterable(result)) {
        record.outcome = 'ok';
        return;
      }
      const results = (Array.isArray(result) ? result : [result]) as GraphQLResultLike[];
      const refusedEarly = requestState(request)?.refused === true;
      let outcome: Outcome = 'ok';
      for (const one of results) {
        const codes = (one.errors ?? []).map(codeOf);
        record.errorCodes.push(...codes);
        if (codes.includes('RATE_LIMITED')) record.rateLimited = true;
        const hit = (one.extensions?.responseCache as { hit?: unknown } | undefined)?.hit;
        if (typeof hit === 'boolean') record.cache = hit ? 'hit' : 'miss';
        const refused =
          one.data === undefined && (refusedEarly || codes.some((code) => REFUSAL_CODES.has(code)));
        if (refused) outcome = 'refused';
        else if (codes.length > 0 && outcome === 'ok') outcome = 'error';
      }
      record.outcome = outcome;
    },

    onResponse({ request, response }) {
      const record = current.getStore();
      if (record) record.status = response.status;
      // Never readable by a web page's script (the API's CORS allows any origin).
      if (new URL(request.url, 'http://localhost').pathname === endpoint) {
        for (const name of [...response.headers.keys()])
          if (name.startsWith('access-control-')) response.headers.delete(name);
      }
    },

    onDispose() {
      stopListening?.();
    },
  };
}
