// The response cache: answers of queries, kept where shared-state says (this process, or Redis).
//
// - Only queries are stored, never a mutation, a subscription, an answer with errors or a refused
//   request; a hit is possible only for a document some earlier query stored.
// - Anonymous answers are shared by every anonymous caller; an answer to a key is private to it.
//   The key is checked and the budget looked at before the cache may answer (caller.ts,
//   rate-limit.ts); a hit costs one point. Per-caller figures (extensions.cost, RateLimit-*) are
//   added on the way out, never stored: the stored body stops before its extensions.
// - Each answer carries the tags of what it shows (the schema's cache-tags.ts); a mutation, once
//   committed, invalidates the tags of what it changed, before its response leaves, so that the
//   caller's next read (on any instance) cannot be answered from before it. A write that races a
//   read makes that read's answer stale (the write sequence is sampled before the read begins).
// - No answer outlives the API clock's day: "recruiting" depends on today's date.
// - A hit is sent as stored, with its ETag and its compressed bytes: no serialising, hashing or
//   compressing again (only each caller's few bytes of extensions; stored-gzip.ts).
import { createHash } from 'node:crypto';
import type { Context } from '@maths-hubs/schema';
import { EVERYTHING, invalidationTags, UNCACHEABLE } from '@maths-hubs/schema';
import stableStringify from 'fast-json-stable-stringify';
import { type ExecutionResult, getOperationAST } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.ts';
import type { AnswerCache, CachedAnswer } from '../shared-state.ts';
import { encodingWeight } from '../static-files.ts';
import { requestState } from './request-state.ts';
import { gzipWith, storeGzip } from './stored-gzip.ts';

/** An answer showing more objects than this is not stored (checking it would cost more than it saves). */
export const MAX_TAGS = 5_000;

const DAY_MS = 86_400_000;
const dayOf = (now: Date) => now.toISOString().slice(0, 10);
/** Milliseconds until the clock's next day begins (UTC, as the schema's startOfDay). */
const untilNextDay = (now: Date) => DAY_MS - (now.getTime() % DAY_MS);

/** The ETag of a body every caller shares: `prefix}`. */
export const etagOf = (sharedBody: string) =>
  `"${createHash('sha256').update(sharedBody).digest('base64url').slice(0, 32)}"`;

/**
 * The JSON media type a response may be sent as (Yoga's choice among those the client accepts:
 * application/json when acceptable), or null when the client accepts neither (a stream).
 */
function jsonMediaType(request: Request): string | null {
  const accept = request.headers.get('accept');
  if (!accept) return 'application/json';
  const types = accept.split(',').map((part) => part.split(';')[0]!.trim().toLowerCase());
  const matches = (type: string) => types.some((t) => t === type || t === '*/*' || t === 'application/*');
  if (matches('application/json')) return 'application/json';
  if (matches('application/graphql-response+json')) return 'application/graphql-response+json';
  return null;
}

interface CacheRequest {
  key: string;
  mediaType: string;
  /** The client takes gzip: a stored answer's compressed bytes can be sent. */
  gzip: boolean;
  hit?: CachedAnswer;
  /** The write sequence when the read began; undefined when the answer may not be stored. */
  seq?: number;
  context?: Context;
  /** The answer's ETag, once known. */
  etag?: string;
}

const cacheRequests = new WeakMap<Request, CacheRequest>();
/** Mutations' contexts, whose committed changes are invalidated as the response leaves. */
const writes = new WeakMap<Request, Context>();

export interface CachingOptions {
  cache: AnswerCache;
  ttlSeconds: number;
  clock: () => Date;
  logger: Logger;
  /** Where a mutation's changes are looked up (the primary). */
  prisma: Context['prisma'];
}

export function useCaching({ cache, ttlSeconds, clock, logger, prisma }: CachingOptions): Plugin<Context> {
  const ttlMs = ttlSeconds * 1000;
  return {
    // After the key check and the budget, before parsing: a hit skips everything after.
    async onParams({ request, params, setResult }) {
      const state = requestState(request);
      if (!state?.viewer || state.refused || !params.query) return;
      const mediaType = jsonMediaType(request);
      if (!mediaType) return;
      const viewer = state.viewer;
      const session =
        viewer.role === 'ANONYMOUS' ? '' : viewer.apiKeyId !== null ? `key:${viewer.apiKeyId}` : 'admin-env';
      const key = createHash('sha256')
        .update(
          `${session}|${params.operationName ?? ''}|${stableStringify(params.variables ?? {})}|${params.query}`,
        )
        .digest('base64url');
      const gzip = encodingWeight(request.headers.get('accept-encoding'))('gzip') > 0;
      const entry: CacheRequest = { key, mediaType, gzip };
      cacheRequests.set(request, entry);
      const hit = await cache.get(key).catch(() => null);
      if (hit && hit.day === dayOf(clock())) {
        entry.hit = hit;
        setResult({ extensions: { responseCache: { hit: true } } });
      }
    },
    async onExecute({ args }) {
      const ctx = args.contextValue as Context & { request?: Request };
      if (!ctx.request) return;
      const kind = getOperationAST(args.document, args.operationName)?.operation;
      if (kind === 'mutation') {
        writes.set(ctx.request, ctx);
        return;
      }
      const entry = cacheRequests.get(ctx.request);
      if (kind !== 'query' || !entry || entry.hit) return;
      // Sampled before anything is read: a write after this point makes the answer stale.
      entry.seq = await cache.sequence().catch(() => undefined);
      if (entry.seq === undefined) return;
      entry.context = ctx;
      ctx.cacheTags = new Set();
    },
    async onResultProcess({ request, result, setResult, setResultProcessor, resultProcessor }) {
      const written = writes.get(request);
      if (written) {
        writes.delete(request);
        // Committed by now: what changed is read from the primary and dropped everywhere.
        const tags = await invalidationTags(prisma, written.changes).catch((error: unknown) => {
          logger.error(
            { err: error },
            'response cache: could not work out what a write changed; dropping all',
          );
          return [EVERYTHING];
        });
        await cache
          .invalidate(tags)
          .catch((error: unknown) => logger.error({ err: error }, 'response cache: invalidation failed'));
        return;
      }
      const entry = cacheRequests.get(request);
      if (!entry || isAsyncIterable(result) || Array.isArray(result)) return;
      const plain = result as ExecutionResult;
      let answer = entry.hit;
      if (!answer) {
        const tags = entry.context?.cacheTags;
        const storable =
          entry.seq !== undefined &&
          tags !== undefined &&
          plain.data &&
          !plain.errors?.length &&
          !tags.has(UNCACHEABLE) &&
          tags.size <= MAX_TAGS;
        if (plain.errors?.length) return; // refused or failed: neither a hit nor a miss
        setResult({ ...plain, extensions: { ...plain.extensions, responseCache: { hit: false } } });
        if (!storable) return;
        const prefix = `{"data":${JSON.stringify(plain.data)}`;
        const now = clock();
        answer = {
          prefix,
          etag: etagOf(`${prefix}}`),
          gzip: storeGzip(prefix),
          tags: [...tags],
          seq: entry.seq!,
          day: dayOf(now),
        };
        // Stored before the answer leaves, so that the caller's next request can be answered from it.
        await cache
          .set(entry.key, answer, Math.min(ttlMs, untilNextDay(now)))
          .catch((error: unknown) =>
            logger.warn({ err: error }, 'response cache: could not store an answer'),
          );
      }
      const stored = answer;
      const fallback = resultProcessor;
      entry.etag = stored.etag;
      // The body as stored, closed by this caller's extensions (added by the plugins after).
      setResultProcessor((final, fetchAPI, accepted) => {
        const last = final as ExecutionResult;
        if (last.errors?.length && fallback) return fallback(final, fetchAPI, accepted);
        const rest = last.extensions ? `,"extensions":${JSON.stringify(last.extensions)}}` : '}';
        const headers = { 'content-type': `${entry.mediaType}; charset=utf-8`, vary: 'accept-encoding' };
        if (entry.gzip && stored.gzip) {
          const body = gzipWith(stored.gzip, rest);
          return new fetchAPI.Response(new Uint8Array(body), {
            status: 200,
            headers: { ...headers, 'content-encoding': 'gzip', 'content-length': String(body.length) },
          });
        }
        return new fetchAPI.Response(stored.prefix + rest, { status: 200, headers });
      }, entry.mediaType);
    },
  };
}

/** The ETag of this request's answer, when the response cache computed it (no need to hash again). */
export function answerEtag(request: Request): string | undefined {
  return cacheRequests.get(request)?.etag;
}
