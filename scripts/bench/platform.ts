// Issue "Platform and data": the embedded server's cold start and idle memory, beside a bare
// Node.js HTTP server started the same way (the floor), and the national-scale seed on PostgreSQL.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { buildSnapshot, readSnapshot } from '../../packages/server/src/snapshot.ts';
import { buildServer } from '../start.mjs';
import { rssMiB, sleep, startAndTime, stop } from './process.ts';

const root = resolve(import.meta.dirname, '../..');
const QUERY = JSON.stringify({ query: '{ regions { code } hubs(first: 100) { totalCount } }' });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function bareNode(port: number) {
  const code = `require('node:http').createServer((q, s) => s.end('ok')).listen(${port})`;
  return startAndTime(['-e', code], {}, port, { path: '/' });
}

async function server(dataDir: string, port: number) {
  // As `pnpm start` runs it (the bundle is built once, before the timed runs).
  return startAndTime(
    [join(root, 'scripts/start.mjs')],
    { DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', DATABASE_URL: '' },
    port,
    { path: '/graphql', body: QUERY },
  );
}

export async function benchColdStart(runs = 3) {
  // As after `pnpm install`: the server bundled and today's demo snapshot built (both untimed).
  await buildServer();
  if (!(await readSnapshot())) await buildSnapshot();
  const port = 4900;
  const bare: number[] = [];
  const bareRss: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = await bareNode(port);
    bare.push(s.msToFirstAnswer);
    await sleep(1000);
    bareRss.push(rssMiB(s.child.pid!));
    await stop(s.child);
  }

  const first: number[] = [];
  const warm: number[] = [];
  const idle: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dataDir = await mkdtemp(join(tmpdir(), 'mh-bench-'));
    const a = await server(dataDir, port); // empty directory: migrate and seed
    first.push(a.msToFirstAnswer);
    await stop(a.child);
    const b = await server(dataDir, port); // existing directory
    warm.push(b.msToFirstAnswer);
    await sleep(3000);
    idle.push(rssMiB(b.child.pid!));
    await stop(b.child);
    await rm(dataDir, { recursive: true, force: true });
  }
  const floor = median(bare);
  console.log('\nEmbedded server: cold start to first GraphQL answer (median of %d)', runs);
  console.log('  bare Node http server (floor)      %s ms', floor.toFixed(0));
  console.log(
    '  first start (from the snapshot)   %s ms  (%sx floor)',
    median(first).toFixed(0),
    (median(first) / floor).toFixed(1),
  );
  console.log(
    '  later starts (existing data dir)   %s ms  (%sx floor)',
    median(warm).toFixed(0),
    (median(warm) / floor).toFixed(1),
  );
  console.log('Resident memory at idle (3 s after first answer)');
  console.log('  bare Node http server              %s MiB', median(bareRss).toFixed(0));
  console.log('  Maths Hubs API, embedded           %s MiB', median(idle).toFixed(0));
}

export async function benchNationalSeed(adminUrl: string) {
  const database = 'maths_hubs_bench';
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const started = performance.now();
  execFileSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'packages/server/src/cli.ts'), 'seed', '--scale', 'national'],
    {
      env: { ...process.env, DATABASE_URL: url.toString() },
      stdio: 'inherit',
    },
  );
  const seconds = (performance.now() - started) / 1000;
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  const [size] = (await db.query(`SELECT pg_size_pretty(pg_database_size($1)) AS size`, [database])).rows;
  const counts = (
    await db.query(`SELECT
      (SELECT count(*) FROM school)::int AS schools, (SELECT count(*) FROM cohort)::int AS cohorts,
      (SELECT count(*) FROM participant)::int AS participants, (SELECT count(*) FROM enrolment)::int AS enrolments,
      (SELECT count(*) FROM attendance)::int AS attendance, (SELECT count(*) FROM application)::int AS applications`)
  ).rows[0];
  await db.end();
  await admin.end();
  console.log('\nNational-scale seed on PostgreSQL (migrate + reference + national layer, one process)');
  console.log('  took %s s; database size %s', seconds.toFixed(1), size.size);
  console.log('  rows: %o', counts);
  return url.toString();
}
