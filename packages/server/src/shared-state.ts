// The one place that knows whether state shared between requests lives in this process or in
// Redis. Everything else asks for a budget (and, later, a cache or a pub/sub channel) and never
// asks where it is kept.
//
// With REDIS_URL set, several instances share budgets through Redis. If Redis cannot be reached
// the API keeps answering: it fails open to per-process state, logs it once, and reports itself
// degraded; when Redis is back, sharing resumes without a restart (ioredis reconnects).
import { randomUUID } from 'node:crypto';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from './logger.ts';
import type { StoredGzip } from './plugins/stored-gzip.ts';

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

/** One stored answer of a read (plugins/response-cache.ts). */
export interface CachedAnswer {
  /** The response body up to its extensions, `{"data":…`; each caller's figures close it. */
  prefix: string;
  /** The ETag of `prefix}`: the body every caller shares. */
  etag: string;
  /** `prefix` compressed once (plugins/stored-gzip.ts), so that a hit is not compressed again. */
  gzip?: StoredGzip;
  /** What the answer shows (cache-tags.ts in the schema). */
  tags: string[];
  /** The write sequence when its read began: a tag invalidated after that makes it stale. */
  seq: number;
  /** The day (of the API's clock) it was computed on: "recruiting" depends on it. */
  day: string;
}

/**
 * Answers of reads, dropped by tag. Each invalidation takes the next number of one write sequence
 * and stamps its tags with it; an answer is served only if none of its tags (nor EVERYTHING) was
 * stamped after its read began, so a write racing a read can never leave that read's answer behind.
 */
export interface AnswerCache {
  /** The write sequence now: sampled before a read begins. */
  sequence(): Promise<number>;
  /** A stored answer that no write has touched since its read began; else null. */
  get(key: string): Promise<CachedAnswer | null>;
  set(key: string, answer: CachedAnswer, ttlMs: number): Promise<void>;
  /** Makes every answer showing one of these tags stale, on every instance. */
  invalidate(tags: readonly string[]): Promise<void>;
  /** The write sequence at which `tag` (or EVERYTHING) was last invalidated (0: not lately). */
  stamp(tag: string): Promise<number>;
}

/** Every answer depends on this tag (the schema's EVERYTHING). */
const EVERYTHING = '*';

/** Answers in this process: an LRU of answers, and the stamp of each tag while it matters. */
export function memoryAnswerCache(maxTtlMs: number, max = 5_000): AnswerCache {
  let seq = 0;
  const answers = new LRUCache<string, CachedAnswer>({ max });
  // A stamp older than the longest TTL can go: every answer read before it has expired.
  const stamps = new Map<string, { seq: number; at: number }>();
  const stampOf = (tag: string) => stamps.get(tag)?.seq ?? 0;
  const prune = () => {
    const oldest = Date.now() - maxTtlMs;
    for (const [tag, stamp] of stamps) if (stamp.at < oldest) stamps.delete(tag);
  };
  return {
    sequence: async () => seq,
    async get(key) {
      const answer = answers.get(key);
      if (!answer) return null;
      if (stampOf(EVERYTHING) > answer.seq || answer.tags.some((tag) => stampOf(tag) > answer.seq)) {
        answers.delete(key);
        return null;
      }
      return answer;
    },
    async set(key, answer, ttlMs) {
      answers.set(key, answer, { ttl: ttlMs });
    },
    stamp: async (tag) => Math.max(stampOf(tag), stampOf(EVERYTHING)),
    async invalidate(tags) {
      if (tags.length === 0) return;
      seq += 1;
      const at = Date.now();
      for (const tag of tags) stamps.set(tag, { seq, at });
      if (stamps.size > 100_000) prune();
    },
  };
}

// Redis: "seq" the write sequence, "v:<tag>" each tag's stamp (kept a little longer than any
// answer), "m:<key>" an answer's sequence and tags, "a:<key>" its body. Checking an answer is one
// script: its tags' stamps are compared where they are kept, and only a valid body comes back.
const GET_VALID = `
local meta = redis.call('GET', KEYS[1])
if not meta then return nil end
local seq, tags = nil, {}
for line in string.gmatch(meta, '[^\\n]+') do
  if seq == nil then seq = tonumber(line) else tags[#tags + 1] = ARGV[1] .. 'v:' .. line end
end
tags[#tags + 1] = ARGV[1] .. 'v:*'
for i = 1, #tags, 500 do
  local stamps = redis.call('MGET', unpack(tags, i, math.min(i + 499, #tags)))
  for _, stamp in ipairs(stamps) do
    if stamp and tonumber(stamp) > seq then return nil end
  end
end
return redis.call('GET', KEYS[2])`;
const INVALIDATE = `
local seq = redis.call('INCR', KEYS[1])
for i = 3, #ARGV do redis.call('SET', ARGV[1] .. 'v:' .. ARGV[i], seq, 'PX', ARGV[2]) end
return seq`;

export interface SharedStateStatus {
  store: 'memory' | 'redis';
  /** False while Redis is configured but unreachable (the API runs on per-process state). */
  healthy: boolean;
}

/**
 * Leases of a scarce thing, held across every instance sharing this state (live streams per
 * client). A holder that dies without releasing loses its lease when it is no longer renewed.
 */
export interface Leases {
  /** Takes a lease of `key` for `holder` when fewer than `max` are held; false when all are. */
  acquire(key: string, holder: string, max: number): Promise<boolean>;
  release(key: string, holder: string): Promise<void>;
}

export interface SharedState {
  status(): SharedStateStatus;
  /** Leases named `name` (one set per name); in Redis when it is set, else in this process. */
  leases(name: string): Leases;
  budget(options: { name: string; points: number; windowSeconds: number }): Budget;
  /**
   * The response cache, in this process or in Redis; `maxTtlMs` is the longest an answer is kept.
   * While Redis is away it answers nothing (a miss), and an invalidation that could not reach it
   * is made good when it is back, by invalidating everything.
   */
  responseCache(maxTtlMs: number): AnswerCache;
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

function memoryLeases(): Leases {
  const held = new Map<string, Set<string>>();
  return {
    async acquire(key, holder, max) {
      const holders = held.get(key) ?? new Set<string>();
      if (holders.size >= max) return false;
      holders.add(holder);
      held.set(key, holders);
      return true;
    },
    async release(key, holder) {
      const holders = held.get(key);
      holders?.delete(holder);
      if (holders?.size === 0) held.delete(key);
    },
  };
}

/** Takes a lease: drops expired ones, refuses at the maximum, else adds this holder's. */
const ACQUIRE_LEASE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[4]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`;
/** How long a lease lasts unless renewed; renewed every third of it while held. */
const LEASE_MS = 60_000;

/**
 * Leases in Redis: a sorted set per key, holders scored by expiry, renewed while held. While
 * Redis is away, leases are counted in this process (bounded per instance, as before sharing).
 */
function redisLeases(redis: Redis, prefix: string, healthy: () => boolean): Leases & { close(): void } {
  const local = memoryLeases();
  const mine = new Map<string, { key: string; shared: boolean }>();
  const renew = setInterval(() => {
    if (!healthy() || mine.size === 0) return;
    const pipeline = redis.pipeline();
    for (const [holder, { key, shared }] of mine) {
      if (!shared) continue;
      pipeline.zadd(`${prefix}${key}`, 'XX', Date.now() + LEASE_MS, holder);
      pipeline.pexpire(`${prefix}${key}`, LEASE_MS);
    }
    pipeline.exec().catch(() => {});
  }, LEASE_MS / 3);
  renew.unref();
  return {
    async acquire(key, holder, max) {
      if (healthy()) {
        try {
          const taken = await redis.eval(
            ACQUIRE_LEASE,
            1,
            `${prefix}${key}`,
            Date.now(),
            holder,
            max,
            LEASE_MS,
          );
          if (taken === 1) mine.set(holder, { key, shared: true });
          return taken === 1;
        } catch {
          // Redis went away mid-request: counted here instead.
        }
      }
      const taken = await local.acquire(key, holder, max);
      if (taken) mine.set(holder, { key, shared: false });
      return taken;
    },
    async release(key, holder) {
      const lease = mine.get(holder);
      mine.delete(holder);
      if (!lease?.shared) return local.release(key, holder);
      await redis.zrem(`${prefix}${key}`, holder).catch(() => {}); // else it expires unrenewed
    },
    close: () => clearInterval(renew),
  };
}

function memoryState(): SharedState {
  let lastWrite = 0;
  let answers: AnswerCache | undefined;
  const leases = new Map<string, Leases>();
  return {
    leases: (name) => {
      const set = leases.get(name) ?? memoryLeases();
      leases.set(name, set);
      return set;
    },
    noteWrite: async (lsn) => {
      lastWrite = Math.max(lastWrite, lsn);
    },
    lastWrite: async () => lastWrite,
    status: () => ({ store: 'memory', healthy: true }),
    budget: ({ name, points, windowSeconds }) =>
      budgetOver(new RateLimiterMemory({ keyPrefix: name, points, duration: windowSeconds }), points),
    // One per state: whoever asks (the app, an import) drops the same answers.
    responseCache: (maxTtlMs) => {
      answers ??= memoryAnswerCache(maxTtlMs);
      return answers;
    },
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
  let answers: AnswerCache | undefined;
  let stampTtlMs = 0;
  const leaseSets = new Map<string, ReturnType<typeof redisLeases>>();
  return {
    status: () => ({ store: 'redis', healthy }),
    leases(name) {
      const set = leaseSets.get(name) ?? redisLeases(redis, `${namespace}:lease:${name}:`, () => healthy);
      leaseSets.set(name, set);
      return set;
    },
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
    responseCache(maxTtlMs) {
      // Stamps must outlive every answer they can make stale: the longest TTL anyone asked for.
      stampTtlMs = Math.max(stampTtlMs, maxTtlMs + 60_000);
      if (answers) return answers; // one per state, as in memory
      // A connection of its own, whose every key carries the namespace (ioredis prefixes them).
      const prefix = `${namespace}:response:`;
      const cacheRedis = new Redis(url, {
        keyPrefix: prefix,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        connectTimeout: 2_000,
        retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
      });
      cacheRedis.on('error', () => {}); // reported by the main connection's handlers
      connections.push(cacheRedis);
      // Invalidations that could not reach Redis: when it is back, everything stored before is stale.
      let missed = false;
      const invalidate = async (tags: readonly string[]) => {
        await cacheRedis.eval(INVALIDATE, 1, 'seq', prefix, String(stampTtlMs), ...tags);
      };
      cacheRedis.on('ready', () => {
        if (!missed) return;
        invalidate([EVERYTHING]).then(
          () => {
            missed = false;
            logger.info('response cache: invalidations missed while Redis was away are made good');
          },
          () => {},
        );
      });
      const ready = () => healthy && !missed && cacheRedis.status === 'ready';
      answers = {
        async sequence() {
          if (!ready()) throw new Error('the shared response cache is unavailable');
          return Number((await cacheRedis.get('seq')) ?? 0);
        },
        async stamp(tag) {
          if (!ready()) throw new Error('the shared response cache is unavailable');
          const [own, all] = await cacheRedis.mget(`v:${tag}`, 'v:*');
          return Math.max(Number(own ?? 0), Number(all ?? 0));
        },
        async get(key) {
          if (!ready()) return null;
          try {
            const body = (await cacheRedis.eval(GET_VALID, 2, `m:${key}`, `a:${key}`, prefix)) as
              | string
              | null;
            return body ? (JSON.parse(body) as CachedAnswer) : null;
          } catch {
            return null; // a miss, never an error
          }
        },
        async set(key, answer, ttlMs) {
          if (!ready()) return;
          const meta = [String(answer.seq), ...answer.tags].join('\n');
          await cacheRedis
            .multi()
            .set(`m:${key}`, meta, 'PX', ttlMs)
            .set(`a:${key}`, JSON.stringify({ ...answer, tags: [] }), 'PX', ttlMs)
            .exec()
            .catch(() => {});
        },
        async invalidate(tags) {
          if (tags.length === 0) return;
          try {
            if (cacheRedis.status !== 'ready') throw new Error('Redis is away');
            await invalidate(tags);
          } catch (error) {
            missed = true;
            logger.warn(
              { err: error },
              'response cache: an invalidation could not reach Redis; everything is dropped when it is back',
            );
          }
        },
      };
      return answers;
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
      // The event target neither awaits nor catches (un)subscribe; a stream that ends while this
      // process closes would otherwise reject unhandled with "Connection is closed".
      const guardedSubscriber = {
        on: subscriber.on.bind(subscriber),
        subscribe: (channel: string) => subscriber.subscribe(channel).catch(() => 0),
        unsubscribe: (channel: string) => subscriber.unsubscribe(channel).catch(() => 0),
      } as unknown as Redis; // the only three members the event target uses
      const remote = createRedisEventTarget<CustomEvent>({
        publishClient: redis,
        subscribeClient: guardedSubscriber,
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
      for (const set of leaseSets.values()) set.close();
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
