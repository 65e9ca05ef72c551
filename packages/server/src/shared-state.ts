// The one place that knows whether state shared between requests lives in this process or in
// Redis. Everything else asks for a budget (and, later, a cache or a pub/sub channel) and never
// asks where it is kept.
//
// With REDIS_URL set, several instances share budgets through Redis. If Redis cannot be reached
// the API keeps answering: it fails open to per-process state, logs it once, and reports itself
// degraded; when Redis is back, sharing resumes without a restart (ioredis reconnects).
import { randomUUID } from 'node:crypto';
import { createRedisCache } from '@envelop/response-cache-redis';
import { type Cache, createInMemoryCache } from '@graphql-yoga/plugin-response-cache';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from './logger.ts';

export interface BudgetResult {
  allowed: boolean;
  /** The whole budget of a window. */
  limit: number;
  /** Points left after this charge (0 when refused). */
  remaining: number;
  /** Points that were left before this charge. */
  available: number;
  /** Seconds until the budget is full again. */
  resetSeconds: number;
}

/** A per-caller budget of points that refills every window. */
export interface Budget {
  /** Charges `points` to `key`; refuses (and charges nothing more) when the budget is spent. */
  charge(key: string, points: number): Promise<BudgetResult>;
  /** What is left for `key`, without charging. */
  peek(key: string): Promise<BudgetResult>;
  /** Gives back points charged for work that turned out free (a 304). */
  refund(key: string, points: number): Promise<void>;
}

export interface SharedStateStatus {
  store: 'memory' | 'redis';
  /** False while Redis is configured but unreachable (the API runs on per-process state). */
  healthy: boolean;
}

export interface SharedState {
  status(): SharedStateStatus;
  budget(options: { name: string; points: number; windowSeconds: number }): Budget;
  /** The response cache: in this process, or in Redis (falling back to this process meanwhile). */
  responseCache(): Cache;
  /**
   * Where subscription events travel: undefined for this process only (the pub/sub's own
   * default), or Redis pub/sub, with this process's subscribers served at once even while Redis
   * is away.
   */
  eventTarget(): EventTarget | undefined;
  /** Records the primary's WAL position after a write (the greatest one seen is kept). */
  noteWrite(lsn: number): Promise<void>;
  /** The WAL position of the latest write any instance noted (0: none); throws when unknown. */
  lastWrite(): Promise<number>;
  close(): Promise<void>;
}

function toResult(res: RateLimiterRes, limit: number, allowed: boolean, cost: number): BudgetResult {
  return {
    allowed,
    limit,
    remaining: allowed ? Math.max(res.remainingPoints, 0) : 0,
    available: Math.max(limit - (res.consumedPoints - cost), 0),
    resetSeconds: Math.max(Math.ceil(res.msBeforeNext / 1000), allowed ? 0 : 1),
  };
}

function budgetOver(limiter: RateLimiterMemory | RateLimiterRedis, points: number): Budget {
  return {
    async charge(key, cost) {
      try {
        return toResult(await limiter.consume(key, cost), points, true, cost);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return toResult(rejection, points, false, cost);
        throw rejection;
      }
    },
    async refund(key, cost) {
      await limiter.reward(key, cost);
    },
    async peek(key) {
      const res = await limiter.get(key);
      if (!res)
        return { allowed: true, limit: points, remaining: points, available: points, resetSeconds: 0 };
      return toResult(res, points, res.remainingPoints > 0, 0);
    },
  };
}

function memoryState(): SharedState {
  let lastWrite = 0;
  return {
    noteWrite: async (lsn) => {
      lastWrite = Math.max(lastWrite, lsn);
    },
    lastWrite: async () => lastWrite,
    status: () => ({ store: 'memory', healthy: true }),
    budget: ({ name, points, windowSeconds }) =>
      budgetOver(new RateLimiterMemory({ keyPrefix: name, points, duration: windowSeconds }), points),
    responseCache: () => createInMemoryCache({ max: 5_000 }),
    eventTarget: () => undefined,
    close: async () => {},
  };
}

function redisState(url: string, logger: Logger, namespace: string): SharedState {
  const redis = new Redis(url, {
    // Fail a command at once while disconnected, so that a request falls back to memory instead
    // of waiting for Redis; keep reconnecting in the background.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let healthy = false;
  const connections: Redis[] = [];
  redis.on('ready', () => {
    if (!healthy)
      logger.info({ redis: url.replace(/\/\/[^@]*@/, '//***@') }, 'shared state: Redis connected');
    healthy = true;
  });
  redis.on('error', (error) => {
    if (healthy) {
      logger.warn(
        { err: error },
        'shared state: Redis unreachable, using per-process state until it is back',
      );
    }
    healthy = false;
  });
  redis.on('end', () => {
    healthy = false;
  });
  const lastWriteKey = `${namespace}:last-write-lsn`;
  return {
    status: () => ({ store: 'redis', healthy }),
    async noteWrite(lsn) {
      // Keeps the greatest position, whatever order concurrent writers report in.
      await redis.eval(
        "local c = redis.call('GET', KEYS[1]) if not c or tonumber(c) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end",
        1,
        lastWriteKey,
        String(lsn),
      );
    },
    async lastWrite() {
      return Number((await redis.get(lastWriteKey)) ?? 0);
    },
    budget: ({ name, points, windowSeconds }) =>
      budgetOver(
        new RateLimiterRedis({
          storeClient: redis,
          keyPrefix: `${namespace}:${name}`,
          points,
          duration: windowSeconds,
          rejectIfRedisNotReady: true,
          // While Redis is away, budgets are kept per process (fail open, still bounded).
          insuranceLimiter: new RateLimiterMemory({ keyPrefix: name, points, duration: windowSeconds }),
        }),
        points,
      ),
    responseCache() {
      // A connection of its own, whose every key carries the namespace (ioredis prefixes them).
      const cacheRedis = new Redis(url, {
        keyPrefix: `${namespace}:response:`,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        connectTimeout: 2_000,
        retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
      });
      cacheRedis.on('error', () => {}); // reported by the main connection's handlers
      connections.push(cacheRedis);
      const shared = createRedisCache({ redis: cacheRedis }) as Cache;
      const local = createInMemoryCache({ max: 5_000 });
      // While Redis is away: answer from (and invalidate) this process's cache; a failed shared
      // write or read is a miss, never an error. Invalidations go to both, so neither serves stale.
      const guard = async <T>(fn: () => Promise<T> | T, fallback: () => Promise<T> | T): Promise<T> => {
        if (!healthy) return fallback();
        try {
          return await fn();
        } catch {
          return fallback();
        }
      };
      return {
        get: (key) =>
          guard(
            () => shared.get(key),
            () => local.get(key),
          ),
        set: (key, result, entities, ttl) =>
          guard(
            () => shared.set(key, result, entities, ttl),
            () => local.set(key, result, entities, ttl),
          ),
        async invalidate(entities) {
          const list = [...entities];
          await local.invalidate(list);
          await guard(
            () => shared.invalidate(list),
            () => undefined,
          );
        },
      };
    },
    eventTarget() {
      // Events are delivered here directly and published for the other instances, each tagged
      // with this process's origin so that it ignores its own when Redis echoes them back.
      const origin = randomUUID();
      const local = new EventTarget();
      // A connection in subscriber mode; it queues while disconnected and resubscribes on return.
      const subscriber = new Redis(url, {
        connectTimeout: 2_000,
        retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
      });
      subscriber.on('error', () => {}); // reported by the main connection's handlers
      connections.push(subscriber);
      const remote = createRedisEventTarget<CustomEvent>({
        publishClient: redis,
        subscribeClient: subscriber,
      });
      const channel = (type: string) => `${namespace}:events:${type}`;
      const relays = new Map<EventListenerOrEventListenerObject, (event: CustomEvent) => void>();
      const deliver = (listener: EventListenerOrEventListenerObject, event: Event) =>
        typeof listener === 'function' ? listener(event) : listener.handleEvent(event);
      return {
        addEventListener(type: string, listener: EventListenerOrEventListenerObject | null) {
          if (!listener) return;
          local.addEventListener(type, listener);
          const relay = (event: CustomEvent) => {
            const message = event.detail as { origin?: string; detail?: unknown } | null;
            if (message && message.origin !== origin)
              deliver(listener, new CustomEvent(type, { detail: message.detail }));
          };
          relays.set(listener, relay);
          remote.addEventListener(channel(type), relay);
        },
        removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null) {
          if (!listener) return;
          local.removeEventListener(type, listener);
          const relay = relays.get(listener);
          relays.delete(listener);
          if (relay) remote.removeEventListener(channel(type), relay);
        },
        dispatchEvent(event: Event) {
          const detail = (event as CustomEvent).detail;
          local.dispatchEvent(new CustomEvent(event.type, { detail }));
          if (healthy) redis.publish(channel(event.type), JSON.stringify({ origin, detail })).catch(() => {});
          return true;
        },
      };
    },
    async close() {
      redis.disconnect();
      for (const connection of connections) connection.disconnect();
    },
  };
}

/** `namespace` prefixes every Redis key, so that deployments (or test runs) sharing a Redis stay apart. */
export function createSharedState(
  redisUrl: string | undefined,
  logger: Logger,
  namespace = 'maths-hubs',
): SharedState {
  return redisUrl ? redisState(redisUrl, logger, namespace) : memoryState();
}
