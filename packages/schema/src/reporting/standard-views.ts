// The standard dashboard views (national statistics by region, hub × year, programme × year, role,
// and the total), kept in memory and refreshed ahead of requests, so that a dashboard answers at
// once while writes go on. A view is the exact table before disclosure control: each request still
// withholds what its caller may not see, exactly as a live computation would (stats.ts `protect`).
//
// Freshness: a write to statistics stamps the tag Stats@All (cache-tags.ts). While
// anyone has asked for a view in the last ten minutes, the stamp is read (every 250 ms) and, if it
// moved, every view is recomputed (one after another), as seldom as keeps every answer under 5 s old:
// writes are batched into one refresh every 5 s less the last refresh's duration and a margin. A view is served from memory when no write came after it, or
// when it was read less than `maxAgeMs` (5 s) ago: so an answer is never more than 5 s behind a
// write, and says how old it is (`asOf`). Past that, the request computes the view itself.
import type { Dimension, StatsFilterValues, StatsResult } from './cohort-stats.ts';

/** The views kept: groupings of national statistics with no filter. */
export const STANDARD_VIEWS: readonly (readonly Dimension[])[] = [
  ['REGION'],
  ['HUB', 'ACADEMIC_YEAR'],
  ['PROGRAMME', 'ACADEMIC_YEAR'],
  ['ROLE'],
  [],
];

export interface StandardViewsOptions {
  /** Computes one view from the database, as of now. */
  compute(groupBy: Dimension[]): Promise<StatsResult>;
  /** The stamp of the last write to statistics (grows with every such write, on any instance). */
  version(): Promise<number>;
  /** How old a view may be while writes go on (default 5 s). */
  maxAgeMs?: number;
  /** How often the stamp is looked at while views are in use (default 250 ms). */
  pollMs?: number;
  /** The least time between the starts of two refreshes (default 1 s). */
  minIntervalMs?: number;
  /** Told of a refresh that failed (the next one tries again). */
  onError?: (error: unknown) => void;
  /** The API's clock: a view is of one day ("final" and "recruiting" depend on it). */
  clock?: () => Date;
}

export interface ViewAnswer {
  table: StatsResult;
  /** When its figures were read from the database. */
  asOf: Date;
  /** False when a write may have come after it: an answer built on it must not be cached. */
  current: boolean;
}

export interface StandardViews {
  /** The view for `groupBy` with no filter, from memory; null for anything else. */
  read(groupBy: readonly Dimension[], filter: StatsFilterValues): Promise<ViewAnswer | null>;
  /** Stops refreshing. */
  close(): void;
}

interface Snapshot {
  table: StatsResult;
  asOf: Date;
  /** The stamp read before its figures were: a later write stamps a greater one. */
  version: number;
  /** The clock's day it was computed on. */
  day: string;
}

const keyOf = (groupBy: readonly Dimension[]) => groupBy.join(',');
const STANDARD = new Set(STANDARD_VIEWS.map(keyOf));
/** Views not asked for in this long stop being refreshed. */
const IDLE_MS = 10 * 60_000;
/** A view is recomputed at least this often, whatever the stamp says (stamps expire). */
const MAX_LIFE_MS = 60_000;

const unfiltered = (filter: StatsFilterValues) =>
  Object.values(filter).every((v) => v === undefined || v === null || (Array.isArray(v) && v.length === 0));

export function createStandardViews({
  compute,
  version,
  maxAgeMs = 5_000,
  pollMs = 250,
  minIntervalMs = 1_000,
  onError = () => {},
  clock = () => new Date(),
}: StandardViewsOptions): StandardViews {
  const today = () => clock().toISOString().slice(0, 10);
  const snapshots = new Map<string, Snapshot>();
  let lastAsked = 0;
  let refreshing: Promise<void> | null = null;
  let lastRefresh = 0;
  let lastDuration = 0;
  // Writes are batched into as few refreshes as keep every answer under maxAgeMs: the next may
  // start once maxAgeMs, less the last refresh's duration and a second's margin, has passed.
  const due = () => Date.now() - lastRefresh >= Math.max(minIntervalMs, maxAgeMs - lastDuration - 1_000);
  const stamp = () => version().catch(() => Number.POSITIVE_INFINITY); // unknown: assume written

  /** Recomputes every view (once at a time): figures read after the stamp, so never newer than it says. */
  const refresh = () => {
    refreshing ??= (async () => {
      lastRefresh = Date.now();
      try {
        const v = await stamp();
        const [asOf, day] = [new Date(), today()];
        // One after another: a refresh takes one connection and one core of the database at a
        // time, leaving the rest to requests.
        const tables: StatsResult[] = [];
        for (const g of STANDARD_VIEWS) tables.push(await compute([...g]));
        STANDARD_VIEWS.forEach((g, i) => {
          snapshots.set(keyOf(g), { table: tables[i]!, asOf, day, version: Number.isFinite(v) ? v : -1 });
        });
        lastDuration = Date.now() - asOf.getTime();
      } catch (error) {
        onError(error);
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  };

  const timer = setInterval(async () => {
    if (Date.now() - lastAsked > IDLE_MS || refreshing || snapshots.size === 0) return;
    if (!due()) return;
    const v = await stamp();
    const now = Date.now();
    const stale = [...snapshots.values()].some(
      (s) => s.version < v || now - s.asOf.getTime() > MAX_LIFE_MS || s.day !== today(),
    );
    if (stale) await refresh();
  }, pollMs);
  timer.unref();

  return {
    async read(groupBy, filter) {
      const key = keyOf(groupBy);
      if (!STANDARD.has(key) || !unfiltered(filter)) return null;
      lastAsked = Date.now();
      const v = await stamp();
      let snapshot = snapshots.get(key);
      const age = snapshot ? Date.now() - snapshot.asOf.getTime() : Number.POSITIVE_INFINITY;
      if (
        !snapshot ||
        (snapshot.version < v && age >= maxAgeMs) ||
        age > MAX_LIFE_MS ||
        snapshot.day !== today()
      ) {
        await refresh();
        snapshot = snapshots.get(key);
        if (!snapshot) return null; // the refresh failed: the caller computes it live
      } else if (snapshot.version < v && due()) void refresh(); // served as it is, refreshed behind
      return { table: snapshot.table, asOf: snapshot.asOf, current: snapshot.version >= v };
    },
    close() {
      clearInterval(timer);
    },
  };
}
