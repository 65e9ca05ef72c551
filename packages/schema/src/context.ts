// What every resolver receives. Built per request by the server (packages/server/src/context.ts);
// the schema never opens a connection itself, so tests can hand it any database.
import type { PrismaClient } from '@maths-hubs/db/client';
import type { Change } from './cache-tags.ts';
import type { Loaders } from './loaders.ts';
import type { StandardViews } from './reporting/standard-views.ts';

export type Role = 'ANONYMOUS' | 'HUB_STAFF' | 'ANALYST' | 'NATIONAL_ADMIN';

/** Who is calling: resolved once per request from the API key. */
export interface Viewer {
  role: Role;
  /** The hub a HUB_STAFF key is scoped to. */
  hubId: number | null;
  /** The key's id; null for anonymous callers and the bootstrap ADMIN_API_KEY. */
  apiKeyId: number | null;
  label: string | null;
}

export const ANONYMOUS: Viewer = { role: 'ANONYMOUS', hubId: null, apiKeyId: null, label: null };

/** A committed change to a cohort's places, status or dates, as announced to subscribers. */
export interface CohortChange {
  id: number;
  code: string;
  hubId: number | null;
}

/** Live updates: what a request announces, and the stream a subscription reads. */
export interface LiveEvents {
  /** Records a change, sent to subscribers once the request's response is ready (after commit). */
  announce(change: CohortChange): void;
  /** Every change from now on, on every instance; rejects when the caller has too many open. */
  cohortChanges(): Promise<AsyncIterableIterator<CohortChange>>;
}

/**
 * Failed attempts at something guessable, counted per client and per target (e.g. anonymous
 * applications to a cohort), so that probing other people's records is slow. Kept in shared state.
 */
export interface Attempts {
  /** Seconds until another attempt at `target` is allowed; 0 when it is allowed now. */
  waitBefore(target: string): Promise<number>;
  /** Counts one failed attempt at `target`. */
  failed(target: string): Promise<void>;
}

export type StatsProtection = 'CELL_KEY' | 'SUPPRESSION';

export interface Context {
  prisma: PrismaClient;
  requestId: string;
  viewer: Viewer;
  loaders: Loaders;
  /** The current time; fixed in tests so that "recruiting" does not drift with the calendar. */
  now: Date;
  /** Counts from 1 to this are never published exactly for anyone below national admin. */
  suppressionThreshold: number;
  /**
   * How statistics are protected below national admin: the cell key method (the default), or
   * per-table suppression (kept to show, in the tests, what it cannot protect across tables).
   */
  statsProtection?: StatsProtection;
  /** Objects this request created ("Application:12"), which its caller may read back whatever their role. */
  grants: Set<string>;
  /** Permission refusals of this request's mutations, raised as top-level FORBIDDEN errors too. */
  refusals: string[];
  live: LiveEvents;
  /** Failed attempts of this caller (none counted when not given: tests of the schema alone). */
  attempts?: Attempts | undefined;
  /** What this request's writes changed (recorded with their audit entries), to invalidate cached reads. */
  changes: Change[];
  /** Tags of what this read shows, when its answer may be cached (cache-tags.ts); else undefined. */
  cacheTags?: Set<string> | undefined;
  /** The standard dashboard views, kept in memory (none: statistics are always computed live). */
  statsViews?: StandardViews | undefined;
}
