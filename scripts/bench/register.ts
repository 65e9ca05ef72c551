// Issue "England's real school register": `pnpm db:import-schools` on a generated register file
// (the exact dialect, 50,000 rows), first into an empty register and again unchanged, on
// PostgreSQL and on the embedded database, run as a user runs it (a separate process, timed from
// outside). Beside it, in the same run, the floors: reading and checking the file without a
// database, and PostgreSQL's own COPY of the same bytes into a table of 135 text columns. Peak
// memory is the import process's own (its maxRSS), at three file sizes, to show it streams.
import { execFileSync } from 'node:child_process';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { readRegister } from '../../prisma/register/gias.ts';
import { GIAS_COLUMNS, generatedRecords, registerFile } from '../../prisma/register/register-file.ts';

const root = resolve(import.meta.dirname, '../..');
const work = join(root, '.bench/register');

async function registerOf(rows: number): Promise<string> {
  const file = join(work, `edubasealldata-${rows}.csv`);
  if (!(await stat(file).catch(() => null))) await writeFile(file, registerFile(generatedRecords(rows)));
  return file;
}

/** Runs a pnpm db:… command; its wall time, and the peak memory the command itself reports. */
function timed(args: string[], env: Record<string, string>) {
  const started = performance.now();
  const out = execFileSync('pnpm', ['-s', ...args], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const seconds = (performance.now() - started) / 1000;
  return { seconds, out };
}

function importTimed(file: string, env: Record<string, string>) {
  // stderr carries "done in … s; peak memory … MiB" when stdout carries the JSON report.
  const started = performance.now();
  const result = execFileSync(
    'bash',
    ['-c', `pnpm -s db:import-schools "$0" --json 2>&1 1>"$0.json"; true`, file],
    { cwd: root, env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', ...env }, encoding: 'utf8' },
  );
  const seconds = (performance.now() - started) / 1000;
  const inside = Number(/done in ([\d.]+) s/.exec(result)?.[1]);
  const peakMiB = Number(/peak memory (\d+) MiB/.exec(result)?.[1]);
  if (!Number.isFinite(inside)) throw new Error(`the import failed:\n${result}`);
  return { seconds, inside, peakMiB };
}

async function readOnly(file: string) {
  const started = performance.now();
  let rows = 0;
  for await (const _ of readRegister(file)) rows++;
  return { seconds: (performance.now() - started) / 1000, rows };
}

async function copyFloor(adminUrl: string, file: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query('DROP TABLE IF EXISTS register_copy_floor');
    await client.query(
      `CREATE UNLOGGED TABLE register_copy_floor (${GIAS_COLUMNS.map((_, i) => `c${i} text`).join(', ')})`,
    );
  } finally {
    await client.end();
  }
  const started = performance.now();
  execFileSync('psql', [
    adminUrl,
    '-qc',
    `\\copy register_copy_floor FROM '${file}' WITH (FORMAT csv, HEADER true, ENCODING 'WIN1252')`,
  ]);
  const seconds = (performance.now() - started) / 1000;
  execFileSync('psql', [adminUrl, '-qc', 'DROP TABLE register_copy_floor']);
  return seconds;
}

/** A new database with the reference data and no schools: DATABASE_URL for the commands. */
async function freshPostgres(adminUrl: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS maths_hubs_register_bench WITH (FORCE)');
  await admin.query('CREATE DATABASE maths_hubs_register_bench');
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = '/maths_hubs_register_bench';
  const env = { DATABASE_URL: url.toString() };
  timed(['db:seed', '--scale', 'none'], env);
  return env;
}

export async function benchRegister(adminUrl: string) {
  await mkdir(work, { recursive: true });
  const sizes = [25_000, 50_000, 100_000];
  const files = new Map<number, string>();
  for (const rows of sizes) files.set(rows, await registerOf(rows));
  const file = files.get(50_000)!;
  console.log(
    `\nSchool register import (pnpm db:import-schools, a separate process timed from outside; ${((await stat(file)).size / 2 ** 20).toFixed(1)} MB file of 50,000 rows)`,
  );

  const read = await readOnly(file);
  console.log(
    '  floor: read and check the file, no database       %s s (%d rows)',
    read.seconds.toFixed(2),
    read.rows,
  );
  const copy = await copyFloor(adminUrl, file);
  console.log('  floor: PostgreSQL COPY of the same bytes (psql)   %s s', copy.toFixed(2));
  const start = timed(['exec', 'tsx', '-e', '0'], {});
  console.log('  floor: starting tsx, as every pnpm db:… command   %s s', start.seconds.toFixed(2));

  // PostgreSQL: a fresh database with the reference data (hubs, WM1's areas) and no synthetic
  // layer; then the embedded database in a fresh data directory, likewise.
  const postgres = await freshPostgres(adminUrl);
  const dataDir = join(work, 'pglite');
  execFileSync('rm', ['-rf', dataDir]);
  const embedded = { DATA_DIR: dataDir };
  timed(['db:seed', '--scale', 'none'], embedded);
  for (const [label, env, floor] of [
    ['PostgreSQL', postgres, copy],
    ['PGlite', embedded, null],
  ] as const) {
    for (const [run, budget] of [
      ['first import   ', 20],
      ['same file again', 10],
    ] as const) {
      const result = importTimed(file, env);
      console.log(
        '  %s %s %s s (%s s inside the command%s); peak %d MiB%s',
        `${label},`.padEnd(11),
        run,
        result.seconds.toFixed(1),
        result.inside.toFixed(1),
        floor ? `; ${(result.inside / floor).toFixed(1)}× COPY` : '',
        result.peakMiB,
        floor ? `; budget ${budget} s` : '',
      );
    }
  }

  // Peak memory by file size (PostgreSQL, each into a fresh register), beside a command that
  // reads no file at all (migrate, nothing pending): what the process weighs before any row.
  const idle = timed(['db:migrate'], postgres);
  console.log(
    '  peak memory, no file (pnpm db:migrate)        %s MiB',
    /peak memory (\d+) MiB/.exec(idle.out)?.[1],
  );
  for (const rows of sizes) {
    const run = importTimed(files.get(rows)!, await freshPostgres(adminUrl));
    console.log(
      '  peak memory, %s rows (%s MB)   %d MiB (%s s inside)',
      rows.toLocaleString('en-GB').padStart(7),
      ((await stat(files.get(rows)!)).size / 2 ** 20).toFixed(0).padStart(3),
      run.peakMiB,
      run.inside.toFixed(1),
    );
  }
  const cleanup = new pg.Client({ connectionString: adminUrl });
  await cleanup.connect();
  await cleanup.query('DROP DATABASE IF EXISTS maths_hubs_register_bench WITH (FORCE)');
  await cleanup.end();
}
