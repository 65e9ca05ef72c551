// Issue "Public read API": three real queries against the national-scale dataset in PostgreSQL,
// each beside `{ __typename }` on the same server in the same run (the framework's own ceiling).
// Statements per request are counted in-process; throughput and latency are measured over HTTP
// with autocannon at a fixed concurrency against a separate server process.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { openPostgres } from '../../packages/server/src/db.ts';
import { createLogger } from '../../packages/server/src/logger.ts';
import { createApp } from '../../packages/server/src/server.ts';
import { startAndTime, stop } from './process.ts';

const root = resolve(import.meta.dirname, '../..');
const operation = (name: string) =>
  readFileSync(join(root, 'packages/sdk/operations', `${name}.graphql`), 'utf8');
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef0123456789abcdef';

export const QUERIES = [
  { name: '{ __typename } (ceiling)', query: '{ __typename }', variables: {}, admin: false },
  { name: 'hub page (HubPage, WM1)', query: operation('HubPage'), variables: { code: 'WM1' }, admin: false },
  {
    name: 'recruiting cohorts (region WM, 20)',
    query: operation('RecruitingCohorts'),
    variables: { regionCode: 'WM' },
    admin: false,
  },
  {
    name: 'deep tour (5 × 5 × 5, admin)',
    query: operation('DeepTour'),
    variables: { hubs: 5, cohorts: 5, enrolments: 5 },
    admin: true,
  },
];

async function statementsPerRequest(url: string) {
  const db = await openPostgres(url, 4);
  const app = createApp({ db, logger: createLogger('silent'), adminApiKey: ADMIN_KEY });
  const counts: number[] = [];
  for (const q of QUERIES) {
    let n = 0;
    const off = db.onQuery(() => n++);
    const response = await app.fetch('http://bench/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(q.admin ? { authorization: `Bearer ${ADMIN_KEY}` } : {}),
      },
      body: JSON.stringify({ query: q.query, variables: q.variables }),
    });
    const body = (await response.json()) as { errors?: unknown };
    if (body.errors) throw new Error(`${q.name}: ${JSON.stringify(body.errors)}`);
    off();
    counts.push(n);
  }
  await db.close();
  return counts;
}

export async function benchApi(url: string, { connections = 16, seconds = 10 } = {}) {
  const statements = await statementsPerRequest(url);
  const port = 4901;
  const server = await startAndTime(
    ['--import', 'tsx', join(root, 'packages/server/src/main.ts')],
    {
      DATABASE_URL: url,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ADMIN_API_KEY: ADMIN_KEY,
      DATABASE_POOL_SIZE: '10',
    },
    port,
    { path: '/readyz' },
  );
  console.log(
    `\nRead API over HTTP: ${connections} concurrent connections, ${seconds} s each, national dataset on PostgreSQL`,
  );
  console.log('  query                                   SQL/req    req/s   p50 ms   p99 ms   vs ceiling');
  let ceiling = 0;
  try {
    for (const [i, q] of QUERIES.entries()) {
      const result = await autocannon({
        url: `${server.url}/graphql`,
        method: 'POST',
        connections,
        duration: seconds,
        headers: {
          'content-type': 'application/json',
          ...(q.admin ? { authorization: `Bearer ${ADMIN_KEY}` } : {}),
        },
        body: JSON.stringify({ query: q.query, variables: q.variables }),
      });
      if (result.non2xx > 0 || result.errors > 0)
        throw new Error(`${q.name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      const rps = result.requests.average;
      if (i === 0) ceiling = rps;
      console.log(
        `  ${q.name.padEnd(38)} ${String(statements[i]).padStart(7)} ${rps.toFixed(0).padStart(8)} ${String(result.latency.p50).padStart(8)} ${String(result.latency.p99).padStart(8)}   ${(rps / ceiling).toFixed(3)}×`,
      );
    }
  } finally {
    await stop(server.child);
  }
}
