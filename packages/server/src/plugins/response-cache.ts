// A response cache for reads (@graphql-yoga/plugin-response-cache), kept where shared-state says
// (this process, or Redis). Anonymous answers are shared by every anonymous caller; an answer to a
// key is private to that key. The key is checked and the budget looked at before the cache may
// answer (plugins/caller.ts, plugins/rate-limit.ts); a hit costs one point. Per-caller figures
// (extensions.cost, RateLimit-*) are added on the way out, never stored. Any mutation invalidates
// every cached answer that shows a type it can change; `extensions.responseCache.hit` says whether
// an answer came from the cache.

import { type Cache, useResponseCache } from '@graphql-yoga/plugin-response-cache';
import type { Context } from '@maths-hubs/schema';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { requestState } from './request-state.ts';

/** Types whose figures a mutation can change: every cached answer showing one is dropped. */
export const MUTABLE_TYPES = [
  'Cohort',
  'CohortConnection',
  'Hub',
  'Programme',
  'School',
  'Application',
  'Enrolment',
  'Session',
  'Attendance',
  'Participant',
  'CohortStats',
  'CohortStatsRow',
  'Progression',
  'ApiKey',
  'AuditEntry',
  'Viewer',
];

export function useCaching(cache: Cache, ttlSeconds: number): Plugin<Context>[] {
  const invalidation: Plugin<Context> = {
    onExecute({ args }) {
      const operation = getOperationAST(args.document, args.operationName);
      const request = (args.contextValue as { request?: Request }).request;
      const state = request ? requestState(request) : undefined;
      if (operation?.operation === 'mutation' && state) state.mutated = true;
    },
    // After the mutation's transaction has committed, and before its response leaves, so that
    // the caller's next read (on any instance) cannot be answered from before it.
    async onResultProcess({ request }) {
      if (requestState(request)?.mutated)
        await cache.invalidate(MUTABLE_TYPES.map((typename) => ({ typename })));
    },
  };
  return [
    useResponseCache({
      cache,
      ttl: ttlSeconds * 1000,
      includeExtensionMetadata: true,
      invalidateViaMutation: false, // done above, by type, for every mutation
      // Never for a request already refused (a bad key, a spent budget): the refusal stands.
      enabled: (request) => {
        const state = requestState(request);
        return state?.viewer !== undefined && !state.refused;
      },
      session: (request) => {
        const viewer = requestState(request)?.viewer;
        if (!viewer || viewer.role === 'ANONYMOUS') return null;
        return viewer.apiKeyId !== null ? `key:${viewer.apiKeyId}` : 'admin-env';
      },
    }) as Plugin<Context>,
    invalidation,
  ];
}
