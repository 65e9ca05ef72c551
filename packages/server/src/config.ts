// The process configuration: read from the environment and validated once, at start.
import { resolve } from 'node:path';
import type { Role, StatsProtection } from '@maths-hubs/schema';
import { z } from 'zod';
import { type ProxyHeader, parseTrustProxy, type TrustProxy } from './client-address.ts';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], {
    error: 'must be one of true, false, 1, 0, yes, no',
  })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const integer = (min: number, max: number) =>
  z.coerce
    .number({ error: `must be a whole number between ${min} and ${max}` })
    .int({ error: `must be a whole number between ${min} and ${max}` })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

const environment = z.object({
  PORT: integer(0, 65535).default(4000),
  HOST: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, {
      error: 'must be a PostgreSQL connection URL such as postgres://user@localhost:5432/mathshubs',
    })
    .optional(),
  DATABASE_REPLICA_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, { error: 'must be a PostgreSQL connection URL of a streaming replica' })
    .optional(),
  DATA_DIR: z.string().min(1, { error: 'must not be empty' }).default('./.data'),
  DATABASE_POOL_SIZE: integer(1, 200).default(10),
  MIGRATE_ON_START: booleanFlag.optional(),
  SEED_ON_START: booleanFlag.optional(),
  ADMIN_API_KEY: z
    .string()
    .min(32, { error: 'must be at least 32 characters; generate one with `openssl rand -hex 32`' })
    .optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(10_000),
  STATS_SUPPRESSION_THRESHOLD: integer(0, 100).default(4),
  STATS_PROTECTION: z
    .enum(['cell-key', 'suppression'], { error: 'must be "cell-key" or "suppression"' })
    .default('cell-key'),
  // Running in public (README "Limits and budgets").
  OPERATIONS: z.enum(['any', 'persisted'], { error: 'must be "any" or "persisted"' }).default('any'),
  COST_LIMIT_ANONYMOUS: integer(1, 10_000_000).default(5_000),
  COST_LIMIT_KEY: integer(1, 10_000_000).default(50_000),
  MAX_DEPTH: integer(2, 100).default(15),
  MAX_ALIASES: integer(0, 1_000).default(30),
  MAX_TOKENS: integer(50, 1_000_000).default(5_000),
  MAX_DIRECTIVES: integer(0, 1_000).default(20),
  RATE_LIMIT: z.enum(['on', 'off'], { error: 'must be "on" or "off"' }).default('on'),
  RATE_LIMIT_WINDOW_SECONDS: integer(1, 86_400).default(60),
  RATE_LIMIT_ANONYMOUS: integer(1, 1_000_000_000).default(20_000),
  RATE_LIMIT_HUB_STAFF: integer(1, 1_000_000_000).default(200_000),
  RATE_LIMIT_ANALYST: integer(1, 1_000_000_000).default(200_000),
  RATE_LIMIT_NATIONAL_ADMIN: integer(1, 1_000_000_000).default(1_000_000),
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((value, ctx) => {
      try {
        return parseTrustProxy(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  PROXY_HEADER: z
    .enum(['x-forwarded-for', 'forwarded'], { error: 'must be "x-forwarded-for" or "forwarded"' })
    .default('x-forwarded-for'),
  MAX_BODY_BYTES: integer(1_000, 100_000_000).default(100_000),
  STATEMENT_TIMEOUT_MS: integer(0, 3_600_000).default(10_000),
  REQUEST_TIMEOUT_MS: integer(0, 3_600_000).default(20_000),
  RESPONSE_CACHE: z.enum(['on', 'off'], { error: 'must be "on" or "off"' }).default('on'),
  RESPONSE_CACHE_TTL_SECONDS: integer(1, 86_400).default(60),
  WEB_CONCURRENCY: integer(1, 64).default(1),
  MAX_STREAMS_PER_CLIENT: integer(1, 1_000).default(5),
  FAILED_APPLICATIONS_PER_CLIENT: integer(1, 1_000_000).default(20),
  FAILED_APPLICATIONS_PER_COHORT: integer(1, 1_000_000).default(500),
  MAX_STREAMS: integer(1, 1_000_000).default(2_000),
  STREAM_LIFETIME_SECONDS: integer(10, 86_400).default(3_600),
  STREAM_IDLE_SECONDS: integer(10, 86_400).default(900),
  NODE_ENV: z.string().optional(),
  METRICS: z.enum(['on', 'off'], { error: 'must be "on" or "off"' }).default('on'),
  METRICS_PORT: integer(1, 65535).optional(),
  METRICS_TOKEN: z
    .string()
    .min(32, { error: 'must be at least 32 characters; generate one with `openssl rand -hex 32`' })
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, { error: 'must be a Redis URL such as redis://127.0.0.1:6379' })
    .optional(),
});

/** Variables whose values are secrets: a bad one is described by its length, never echoed. */
const SECRET_VARIABLES = new Set([
  'ADMIN_API_KEY',
  'DATABASE_URL',
  'DATABASE_REPLICA_URL',
  'REDIS_URL',
  'METRICS_TOKEN',
]);

export interface Limits {
  /** `any`: every caller may send any document; `persisted`: callers without a key only the SDK's. */
  operations: 'any' | 'persisted';
  /** The most one operation may cost, without and with an API key. */
  cost: { anonymous: number; key: number };
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  /** Cost budgets per caller, refilled every `windowSeconds`; null when RATE_LIMIT=off. */
  rate: { windowSeconds: number; budgets: Record<Role, number> } | null;
  /** Which TCP peers are proxies whose forwarding header is believed (client-address.ts). */
  trustProxy: TrustProxy;
  /** The header those proxies write. */
  proxyHeader: ProxyHeader;
  maxBodyBytes: number;
  /** PostgreSQL's statement_timeout on every pooled connection (0: none). */
  statementTimeoutMs: number;
  /** A request still running after this gets a TIMEOUT error (0: none). */
  requestTimeoutMs: number;
  /**
   * Failed anonymous applications to one cohort, per client and from everyone, in a window: past
   * either, more are refused (TOO_MANY_ATTEMPTS) until it has passed.
   */
  failedAttempts: { perClient: number; perTarget: number; windowSeconds: number };
  /** Live streams (subscriptions) one caller may hold open, across the instances sharing state. */
  maxStreamsPerCaller: number;
  /** Live streams one instance holds open for everyone together. */
  maxStreams: number;
  /** A stream is ended cleanly (clients subscribe again) after this long, or this long without an event. */
  streamLifetimeMs: number;
  streamIdleMs: number;
}

export interface Config {
  port: number;
  host: string | undefined;
  database:
    | { kind: 'embedded'; dataDir: string }
    | {
        kind: 'postgres';
        url: string;
        poolSize: number;
        statementTimeoutMs?: number;
        /** A streaming replica for reads that need no fresh write. */
        replicaUrl?: string | undefined;
      };
  /** Apply pending migrations at start (always on for the embedded database). */
  migrateOnStart: boolean;
  /** Load the reference and demo data at start when the database is empty. */
  seedOnStart: boolean;
  adminApiKey: string | undefined;
  logLevel: z.infer<typeof environment>['LOG_LEVEL'];
  shutdownTimeoutMs: number;
  /** Statistics never publish counts from 1 to this exactly for anyone below national admin. */
  suppressionThreshold: number;
  /** How statistics are protected below national admin (docs/statistics-protection.md). */
  statsProtection: StatsProtection;
  limits: Limits;
  /** Shared state (rate budgets, the response cache) lives in Redis when set, else in this process. */
  redisUrl: string | undefined;
  /** Seconds a read stays in the response cache (invalidated sooner by mutations); null: off. */
  responseCacheTtlSeconds: number | null;
  /** Worker processes on this machine (PostgreSQL only); 1: this process serves. */
  workers: number;
  /** GET /metrics (see MetricsSettings); null: off. */
  metrics: MetricsSettings | null;
  /** Said in the start-up log: settings that turned something off or look unsafe. */
  notices: string[];
}

export interface MetricsSettings {
  /** Bearers of this token may scrape /metrics on the API's port. */
  token: string | undefined;
  /** Without a token: requests from this machine (no proxy in between) may scrape the API's port. */
  allowLocal: boolean;
  /** A listener of its own on 127.0.0.1 that serves only /metrics. */
  port?: number | undefined;
}

const defaults = environment.parse({});
/** The limits when nothing is configured: what tests and embedders get from `createApp`. */
export const DEFAULT_LIMITS: Limits = limitsFrom(defaults);
/** The response cache when nothing is configured (on, as `pnpm start` has it): tests get it too. */
export const DEFAULT_RESPONSE_CACHE_TTL_SECONDS: number | null =
  defaults.RESPONSE_CACHE === 'off' ? null : defaults.RESPONSE_CACHE_TTL_SECONDS;

function limitsFrom(e: z.infer<typeof environment>): Limits {
  return {
    operations: e.OPERATIONS,
    cost: { anonymous: e.COST_LIMIT_ANONYMOUS, key: e.COST_LIMIT_KEY },
    maxDepth: e.MAX_DEPTH,
    maxAliases: e.MAX_ALIASES,
    maxTokens: e.MAX_TOKENS,
    maxDirectives: e.MAX_DIRECTIVES,
    rate:
      e.RATE_LIMIT === 'off'
        ? null
        : {
            windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS,
            budgets: {
              ANONYMOUS: e.RATE_LIMIT_ANONYMOUS,
              HUB_STAFF: e.RATE_LIMIT_HUB_STAFF,
              ANALYST: e.RATE_LIMIT_ANALYST,
              NATIONAL_ADMIN: e.RATE_LIMIT_NATIONAL_ADMIN,
            },
          },
    trustProxy: e.TRUST_PROXY,
    proxyHeader: e.PROXY_HEADER,
    maxBodyBytes: e.MAX_BODY_BYTES,
    statementTimeoutMs: e.STATEMENT_TIMEOUT_MS,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    failedAttempts: {
      perClient: e.FAILED_APPLICATIONS_PER_CLIENT,
      perTarget: e.FAILED_APPLICATIONS_PER_COHORT,
      windowSeconds: 3_600,
    },
    maxStreamsPerCaller: e.MAX_STREAMS_PER_CLIENT,
    maxStreams: e.MAX_STREAMS,
    streamLifetimeMs: e.STREAM_LIFETIME_SECONDS * 1000,
    streamIdleMs: e.STREAM_IDLE_SECONDS * 1000,
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration; throws a ConfigError that lists every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Treat empty variables as unset, as shells and .env files often leave them so.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = environment.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        const given = env[name];
        if (given === undefined) return `${name} ${issue.message}`;
        // Never print a secret back into a log: its length is enough to see what went wrong.
        if (SECRET_VARIABLES.has(name)) return `${name} ${issue.message} (got ${given.length} characters)`;
        return `${name} ${issue.message} (got ${JSON.stringify(given)})`;
      }),
    );
  }
  const e = parsed.data;
  if (e.RATE_LIMIT === 'on' && e.RATE_LIMIT_ANONYMOUS < e.COST_LIMIT_ANONYMOUS) {
    throw new ConfigError([
      `RATE_LIMIT_ANONYMOUS (${e.RATE_LIMIT_ANONYMOUS}) must be at least COST_LIMIT_ANONYMOUS (${e.COST_LIMIT_ANONYMOUS}), or no anonymous operation at the limit could ever run`,
    ]);
  }
  const embedded = e.DATABASE_URL === undefined;
  if (embedded && e.WEB_CONCURRENCY > 1)
    throw new ConfigError([
      'WEB_CONCURRENCY above 1 needs DATABASE_URL: the embedded database belongs to one process',
    ]);
  if (embedded && e.DATABASE_REPLICA_URL)
    throw new ConfigError(['DATABASE_REPLICA_URL needs DATABASE_URL: the embedded database has no replicas']);
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT === e.PORT)
    throw new ConfigError([`METRICS_PORT must differ from PORT (${e.PORT})`]);
  const { metrics, notices } = metricsSettings(e);
  if (e.TRUST_PROXY.kind === 'hops')
    notices.push(
      `TRUST_PROXY=${e.TRUST_PROXY.hops} believes the last ${e.TRUST_PROXY.hops} forwarding entries from any peer: if clients can reach this server without the proxy, list the proxies' addresses instead (e.g. TRUST_PROXY=10.0.0.0/8)`,
    );
  return {
    port: e.PORT,
    host: e.HOST,
    database: embedded
      ? { kind: 'embedded', dataDir: resolve(e.DATA_DIR) }
      : {
          kind: 'postgres',
          url: e.DATABASE_URL as string,
          poolSize: e.DATABASE_POOL_SIZE,
          statementTimeoutMs: e.STATEMENT_TIMEOUT_MS,
          replicaUrl: e.DATABASE_REPLICA_URL,
        },
    migrateOnStart: embedded ? true : (e.MIGRATE_ON_START ?? false),
    seedOnStart: e.SEED_ON_START ?? embedded,
    adminApiKey: e.ADMIN_API_KEY,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    suppressionThreshold: e.STATS_SUPPRESSION_THRESHOLD,
    statsProtection: e.STATS_PROTECTION === 'suppression' ? 'SUPPRESSION' : 'CELL_KEY',
    limits: limitsFrom(e),
    redisUrl: e.REDIS_URL,
    responseCacheTtlSeconds: e.RESPONSE_CACHE === 'off' ? null : e.RESPONSE_CACHE_TTL_SECONDS,
    metrics,
    notices,
    workers: e.WEB_CONCURRENCY,
  };
}

/**
 * In production, /metrics needs a token or its own loopback port: "this machine" is not a safe
 * test behind a proxy that connects from it. Elsewhere, this machine may scrape without either.
 */
function metricsSettings(e: z.infer<typeof environment>): {
  metrics: MetricsSettings | null;
  notices: string[];
} {
  if (e.METRICS === 'off') return { metrics: null, notices: [] };
  const production = e.NODE_ENV === 'production';
  if (production && !e.METRICS_TOKEN && e.METRICS_PORT === undefined) {
    return {
      metrics: null,
      notices: [
        '/metrics is off: in production (NODE_ENV=production) it needs METRICS_TOKEN (scrape with "Authorization: Bearer <token>") or METRICS_PORT (a listener on 127.0.0.1 only)',
      ],
    };
  }
  return {
    metrics: { token: e.METRICS_TOKEN, allowLocal: !production, port: e.METRICS_PORT },
    notices: [],
  };
}
