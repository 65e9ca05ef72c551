// `pnpm bench season`: the recruiting season. Anonymous visitors read the hub pages of all 40 hubs,
// uniformly at random, over 16 connections, while cohorts change 10 times a second: places, and
// cancellations and new cohorts that move cohorts in and out of the lists hub pages show. Ours
// (production defaults: response cache and rate limits on, a budget too large to refuse) against
// PostGraphile v5 over the same national database, the same writes applied to it as SQL. Rounds in
// the order A B B A A B, each figure the median of 3 with its spread. Staleness is checked on
// reads sampled throughout: after each write, a read of its hub's page must show it. Then a
// dashboard asks ours for the standard statistics views, one after another, under the same writes.
//
// Needs Linux x64 and PostgreSQL; the peer is installed on first use in scripts/bench/peer
// (npm ci from its lockfile: postgraphile 5.1.5, @graphile/simplify-inflection, Node 22).
import autocannon from 'autocannon';
import pg from 'pg';
import { operationDocument } from '../../packages/sdk/scripts/documents.ts';
import { buildServer } from '../start.mjs';
import { median, PEER_HUB_PAGE, percentile, spread, startPeer } from './peers.ts';
import { ADMIN_KEY, serveBundled, sleep, stop } from './process.ts';

const OURS_PAGE = operationDocument('HubPage');
const STATS_VIEWS = [['REGION'], ['HUB', 'ACADEMIC_YEAR'], ['PROGRAMME', 'ACADEMIC_YEAR'], ['ROLE'], []];
const STATS = `query($groupBy: [StatsDimension!]!) { cohortStats(groupBy: $groupBy) { asOf total { enrolments } rows { enrolments } } }`;

interface Target {
  id: number;
  code: string;
  hub: string;
  hubId: number;
  regionId: number;
  programmeId: number;
  capacity: number;
  placesTaken: number;
}

/** The writer: 10 changes a second to what hub pages show, through the API (ours) or as SQL (peer). */
function writer(kind: 'ours' | 'peer', baseUrl: string, db: pg.Pool, targets: Target[], perSecond: number) {
  let n = 0;
  let stale = 0;
  let checked = 0;
  let failed = 0;
  const pending = new Set<Promise<void>>();
  const today = new Date();
  const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  const page = async (hub: string) => {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        kind === 'ours'
          ? { query: OURS_PAGE, variables: { code: hub } }
          : { query: PEER_HUB_PAGE, variables: { code: hub } },
      ),
    });
    type Listed = { code: string; capacity: number }[];
    const { data } = (await response.json()) as {
      data: {
        hub?: { recruitingCohorts: { nodes: Listed } };
        hubs?: { nodes: { cohorts: { nodes: Listed } }[] };
      };
    };
    return kind === 'ours' ? data.hub!.recruitingCohorts.nodes : data.hubs!.nodes[0]!.cohorts.nodes;
  };
  const api = async (query: string, input: Record<string, unknown>) => {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify({ query, variables: { input } }),
    });
    type Payload = { userErrors: unknown[]; cohort?: { code: string } };
    const body = (await response.json()) as { data?: Record<string, Payload> };
    const payload = body.data && Object.values(body.data)[0];
    if (!payload || payload.userErrors.length > 0) throw new Error(JSON.stringify(body).slice(0, 300));
    return payload;
  };
  const gid = (id: number) => Buffer.from(`Cohort:${id}`).toString('base64');
  // A new cohort must be listed, unless the page is full of others due as soon (then: unknown).
  const shown = (cohorts: { code: string }[], code: string) =>
    cohorts.some((c) => c.code === code) ? true : cohorts.length >= 20 ? null : false;

  async function once(i: number) {
    const target = targets[(i * 7919) % targets.length]!;
    const roll = i % 10;
    // Then a visitor's read of that hub's page must show the change (0 stale is the goal).
    let expect: (cohorts: { code: string; capacity: number }[]) => boolean | null;
    if (roll < 8) {
      const capacity = Math.max(target.placesTaken, target.capacity + (i % 2 === 0 ? 1 : -1));
      target.capacity = capacity;
      if (kind === 'ours')
        await api(
          'mutation($input: UpdateCohortInput!) { updateCohort(input: $input) { userErrors { code } } }',
          { cohortId: gid(target.id), capacity },
        );
      else
        await db.query('UPDATE cohort SET capacity = $1, updated_at = now() WHERE id = $2', [
          capacity,
          target.id,
        ]);
      expect = (cohorts) => {
        const shown = cohorts.find((c) => c.code === target.code);
        return shown ? shown.capacity === capacity : null; // not on the first page: nothing to check
      };
    } else if (roll === 8) {
      // A new cohort, due sooner than any other: it heads its hub's list.
      const code = `${target.hub}-BENCH-${kind.toUpperCase()}-${Date.now().toString(36).toUpperCase()}-${i}`;
      if (kind === 'ours') {
        const made = await api(
          'mutation($input: CreateCohortInput!) { createCohort(input: $input) { cohort { code } userErrors { code } } }',
          {
            programmeSlug: 'secondary-tfm-development',
            hubCode: target.hub,
            academicYear: academicYearOf(day(40)),
            name: `Season cohort ${i}`,
            capacity: 6,
            applicationDeadline: day(1),
            startsOn: day(40),
            endsOn: day(200),
          },
        );
        expect = (cohorts) => shown(cohorts, made.cohort!.code);
      } else {
        await db.query(
          `INSERT INTO cohort (code, name, programme_id, hub_id, region_id, academic_year, status, capacity, application_deadline, starts_on, ends_on, areas_served, updated_at)
           SELECT $1, $2, p.id, $3, $4, $5, 'RECRUITING', 6, $6, $7, $8, '{}', now() FROM programme p WHERE p.slug = 'secondary-tfm-development'`,
          [
            code,
            `Season cohort ${i}`,
            target.hubId,
            target.regionId,
            academicYearOf(day(40)),
            day(1),
            day(40),
            day(200),
          ],
        );
        expect = (cohorts) => shown(cohorts, code);
      }
    } else {
      // A cancelled cohort leaves the recruiting lists.
      const [victim] = (
        await db.query<{ id: number; code: string }>(
          `SELECT id, code FROM cohort WHERE hub_id = $1 AND status = 'RECRUITING' AND name LIKE 'Season cohort %'
              AND (code LIKE '%-BENCH-%') = $2 ORDER BY id LIMIT 1`,
          [target.hubId, kind === 'peer'],
        )
      ).rows;
      if (!victim) return;
      if (kind === 'ours')
        await api(
          'mutation($input: UpdateCohortInput!) { updateCohort(input: $input) { userErrors { code } } }',
          { cohortId: gid(victim.id), status: 'CANCELLED' },
        );
      else
        await db.query(`UPDATE cohort SET status = 'CANCELLED', updated_at = now() WHERE id = $1`, [
          victim.id,
        ]);
      expect = (cohorts) => !cohorts.some((c) => c.code === victim.code);
    }
    const cohorts = await page(target.hub);
    const verdict = expect(cohorts);
    if (verdict !== null) {
      checked++;
      if (!verdict) {
        stale++;
        if (process.env.SEASON_DEBUG)
          console.error(
            `  stale: write ${i} (${roll < 8 ? 'places' : roll === 8 ? 'open' : 'cancel'}) in ${target.hub} on ${target.code}`,
            JSON.stringify(cohorts.find((c) => c.code === target.code)),
            target.capacity,
          );
      }
    }
  }

  const timer = setInterval(() => {
    const p = once(n++)
      .catch((error: unknown) => {
        failed++;
        if (failed <= 3) console.error(`  ${kind} write failed: ${(error as Error).message}`);
      })
      .finally(() => pending.delete(p));
    pending.add(p);
  }, 1000 / perSecond);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(pending);
      return { writes: n, checked, stale, failed };
    },
  };
}

function academicYearOf(isoDay: string) {
  const d = new Date(isoDay);
  const y = d.getUTCFullYear() - (d.getUTCMonth() < 8 ? 1 : 0);
  return `${y}/${String((y + 1) % 100).padStart(2, '0')}`;
}

/** The standard views, one after another, as a dashboard under the writes: latency and age. */
function dashboard(baseUrl: string) {
  const latencies: number[] = [];
  const ages: number[] = [];
  let running = true;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const started = performance.now();
      const response = await fetch(`${baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
        body: JSON.stringify({ query: STATS, variables: { groupBy: STATS_VIEWS[i % STATS_VIEWS.length] } }),
      });
      const body = (await response.json()) as { data: { cohortStats: { asOf: string } } };
      latencies.push(performance.now() - started);
      ages.push(Date.now() - Date.parse(body.data.cohortStats.asOf));
      await sleep(200);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { latencies, ages };
    },
  };
}

async function round(
  kind: 'ours' | 'peer',
  baseUrl: string,
  db: pg.Pool,
  targets: Target[],
  hubs: string[],
  {
    connections,
    seconds,
    writesPerSecond,
  }: { connections: number; seconds: number; writesPerSecond: number },
) {
  const writes = writer(kind, baseUrl, db, targets, writesPerSecond);
  const query = kind === 'ours' ? OURS_PAGE : PEER_HUB_PAGE;
  const result = await autocannon({
    url: `${baseUrl}/graphql`,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip' },
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({ query, variables: { code: hubs[Math.floor(Math.random() * hubs.length)] } }),
        }),
      },
    ],
  });
  const written = await writes.stop();
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${kind}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, written };
}

export async function benchSeason(
  url: string,
  { connections = 16, seconds = 20, writesPerSecond = 10 } = {},
) {
  await buildServer();
  const db = new pg.Pool({ connectionString: url, max: 4 });
  try {
    const hubs = (await db.query<{ code: string }>('SELECT code FROM hub ORDER BY code')).rows.map(
      (r) => r.code,
    );
    // Each hub's first recruiting cohorts: what its page shows, so that the writes show.
    const targets = (
      await db.query<Target>(
        `SELECT id, code, hub, "hubId", "regionId", "programmeId", capacity, "placesTaken" FROM (
           SELECT c.id, c.code, h.code AS hub, h.id AS "hubId", h.region_id AS "regionId", c.programme_id AS "programmeId",
                  c.capacity, c.places_taken AS "placesTaken",
                  row_number() OVER (PARTITION BY h.id ORDER BY c.application_deadline NULLS LAST, c.code) AS n
             FROM cohort c JOIN hub h ON h.id = c.hub_id
            WHERE c.status = 'RECRUITING' AND c.application_deadline >= current_date AND c.name NOT LIKE 'Season cohort %') t
          WHERE n <= 5 ORDER BY id`,
      )
    ).rows;
    console.log(
      `\nRecruiting season: hub pages of ${hubs.length} hubs at random, ${connections} connections, ${seconds} s a round, ${writesPerSecond} writes/s (8 in 10 change places, 1 opens a cohort, 1 cancels one); national dataset on PostgreSQL`,
    );
    const ours = await serveBundled(url, 4911, { RATE_LIMIT: 'on', RATE_LIMIT_ANONYMOUS: '1000000000' });
    const peer = await startPeer(url, 4912);
    const options = { connections, seconds, writesPerSecond };
    // Warm both up (JIT, pools, our cache) for 5 s each, unmeasured.
    for (const [q, base] of [
      [OURS_PAGE, ours.url],
      [PEER_HUB_PAGE, peer.url],
    ] as const)
      await autocannon({
        url: `${base}/graphql`,
        connections,
        duration: 5,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip' },
            setupRequest: (request) => ({
              ...request,
              body: JSON.stringify({
                query: q,
                variables: { code: hubs[Math.floor(Math.random() * hubs.length)] },
              }),
            }),
          },
        ],
      });
    const results: Record<'ours' | 'peer', Awaited<ReturnType<typeof round>>[]> = { ours: [], peer: [] };
    let views = { latencies: [] as number[], ages: [] as number[] };
    try {
      for (const kind of ['ours', 'peer', 'peer', 'ours', 'ours', 'peer'] as const) {
        const r = await round(kind, kind === 'ours' ? ours.url : peer.url, db, targets, hubs, options);
        results[kind].push(r);
        console.log(
          `  round ${kind.padEnd(4)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  writes ${r.written.writes} (${r.written.failed} failed), stale ${r.written.stale} of ${r.written.checked} checked`,
        );
      }
      // Then a dashboard on ours under the same writes, without the visitors.
      const writes = writer('ours', ours.url, db, targets, writesPerSecond);
      const stats = dashboard(ours.url);
      await sleep(seconds * 1000);
      await writes.stop();
      views = await stats.stop();
    } finally {
      await stop(ours.child);
      await stop(peer.child);
    }
    const figure = (kind: 'ours' | 'peer') => {
      const rs = results[kind];
      return {
        rps: median(rs.map((r) => r.rps)),
        p99: median(rs.map((r) => r.p99)),
        spread: spread(rs.map((r) => r.rps)),
        stale: rs.reduce((s, r) => s + r.written.stale, 0),
        checked: rs.reduce((s, r) => s + r.written.checked, 0),
      };
    };
    const [a, b] = [figure('ours'), figure('peer')];
    console.log('  median of 3            req/s (spread)        p99 ms   stale reads');
    console.log(
      `  ours                   ${a.rps.toFixed(0).padStart(5)} (${a.spread})  ${String(a.p99).padStart(10)}   ${a.stale} of ${a.checked}`,
    );
    console.log(
      `  PostGraphile v5        ${b.rps.toFixed(0).padStart(5)} (${b.spread})  ${String(b.p99).padStart(10)}   ${b.stale} of ${b.checked}`,
    );
    console.log(`  ratio                  ${(a.rps / b.rps).toFixed(2)}×`);
    const { latencies, ages } = views;
    console.log(
      `Standard statistics views under the same writes (${latencies.length} asked, one at a time): p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms; as of at most ${(Math.max(...ages) / 1000).toFixed(2)} s before (p50 ${(percentile(ages, 50) / 1000).toFixed(2)} s)`,
    );
  } finally {
    await db.end();
  }
}
