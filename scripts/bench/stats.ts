// Issue "Reporting": cohortStats over HTTP for four groupings on the national dataset, beside the
// very same aggregate statement run directly with `pg` in this process (the floor). Requests are
// sequential, so each time is one request's latency; anonymous callers, so suppression is included.
import { join, resolve } from 'node:path';
import pg from 'pg';
import {
  cohortStatsQuery,
  type Dimension,
  type StatsFilterValues,
} from '../../packages/schema/src/reporting/cohort-stats.ts';
import { buildServer } from '../start.mjs';
import { startAndTime, stop } from './process.ts';

const root = resolve(import.meta.dirname, '../..');
const WM = { regionCodes: ['WM'] };
const GROUPINGS: { groupBy: Dimension[]; filter: StatsFilterValues }[] = [
  { groupBy: ['REGION'], filter: {} },
  { groupBy: ['HUB', 'ACADEMIC_YEAR'], filter: {} },
  { groupBy: ['PROGRAMME', 'ROLE'], filter: {} },
  { groupBy: ['HUB', 'PROGRAMME', 'ACADEMIC_YEAR'], filter: {} },
  { groupBy: ['HUB', 'ACADEMIC_YEAR'], filter: WM },
  { groupBy: ['PROGRAMME', 'ROLE'], filter: WM },
];
const QUERY = `query($groupBy: [StatsDimension!]!, $filter: StatsFilter) { cohortStats(groupBy: $groupBy, filter: $filter) {
  rows { key { region { code } hub { code } programme { slug } academicYear role } cohorts schools participants enrolments completed withdrawn completionRate attendanceRate placesOffered placesFilled fundingPence suppressed }
  total { cohorts schools participants enrolments suppressed } } }`;

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

export async function benchStats(url: string, runs = 30) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const port = 4902;
  await buildServer();
  // The statistics computed on every request: no response cache, no rate limit.
  const server = await startAndTime(
    [join(root, 'scripts/start.mjs')],
    { DATABASE_URL: url, PORT: String(port), LOG_LEVEL: 'warn', RESPONSE_CACHE: 'off', RATE_LIMIT: 'off' },
    port,
    { path: '/readyz' },
  );
  console.log(
    `\ncohortStats on the national dataset: ${runs} sequential runs each after 3 warm-up runs (anonymous caller)`,
  );
  console.log(
    '  grouping (filter)                           rows   SQL p50   SQL p95   HTTP p50  HTTP p95   p50 ratio',
  );
  try {
    for (const { groupBy, filter } of GROUPINGS) {
      const statement = cohortStatsQuery(groupBy, filter);
      const sqlTimes: number[] = [];
      const httpTimes: number[] = [];
      let rows = 0;
      for (let i = 0; i < runs + 3; i++) {
        const t0 = performance.now();
        const result = await client.query(statement.text, statement.values);
        if (i >= 3) sqlTimes.push(performance.now() - t0);
        rows = result.rowCount ?? 0;
      }
      for (let i = 0; i < runs + 3; i++) {
        const t0 = performance.now();
        const response = await fetch(`${server.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: QUERY, variables: { groupBy, filter } }),
        });
        const body = (await response.json()) as { errors?: unknown };
        if (body.errors) throw new Error(JSON.stringify(body.errors));
        if (i >= 3) httpTimes.push(performance.now() - t0);
      }
      const [s50, s95, h50, h95] = [
        percentile(sqlTimes, 50),
        percentile(sqlTimes, 95),
        percentile(httpTimes, 50),
        percentile(httpTimes, 95),
      ];
      console.log(
        `  ${`${JSON.stringify(groupBy)}${filter.regionCodes ? ' (WM)' : ''}`.padEnd(42)} ${String(rows - 1).padStart(5)} ${s50.toFixed(0).padStart(7)} ms ${s95.toFixed(0).padStart(6)} ms ${h50.toFixed(0).padStart(7)} ms ${h95.toFixed(0).padStart(6)} ms   ${(h50 / s50).toFixed(2)}×`,
      );
    }
  } finally {
    await stop(server.child);
    await client.end();
  }
}
