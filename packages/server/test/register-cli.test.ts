// `pnpm db:import-schools` and `pnpm db:import-hub-areas` as a user runs them: separate processes
// against the configured database (an embedded DATA_DIR, or DATABASE_URL), with the contract's
// exit codes: 0 applied, 3 invalid rows skipped, 75 data directory in use, 1 other failure.
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { registerFile } from '@maths-hubs/db/register/register-file';
import lockfile from 'proper-lockfile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressReporter } from '../src/register-report.ts';
import { type TestDatabase, testDatabase, testDbKind } from './helpers/fixtures.ts';

const root = join(import.meta.dirname, '../../..');
let dir: string;
let env: Record<string, string>;
let db: TestDatabase | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mh-register-cli-'));
  if (testDbKind() === 'postgres') {
    db = await testDatabase();
    env = { DATABASE_URL: db.url! };
  } else {
    env = { DATA_DIR: join(dir, 'data') };
    // A register-only database: reference data (regions, hubs) and no synthetic layer.
    const seeded = await cli('db:seed', '--scale', 'none');
    expect(seeded.code, seeded.stderr).toBe(0);
  }
}, 120_000);
afterAll(async () => db?.close());

/** Runs a pnpm db:… command; resolves with its exit code and output (never rejects). */
async function cli(...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)('pnpm', ['-s', ...args], {
      cwd: root,
      env: { ...process.env, ...env, DATABASE_URL: env.DATABASE_URL ?? '', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const row = (urn: number, name = `Cli School ${urn}`, la = ['383', 'Leeds']) => ({
  URN: urn,
  'LA (code)': la[0],
  'LA (name)': la[1],
  EstablishmentName: name,
  'TypeOfEstablishment (name)': 'Academy converter',
  'EstablishmentStatus (name)': 'Open',
  'PhaseOfEducation (name)': 'Secondary',
  Postcode: 'LS1 1AA',
  'GOR (code)': 'D',
  'GOR (name)': 'Yorkshire and the Humber',
});

describe(`pnpm db:import-schools (${testDbKind()})`, () => {
  it('exits 0 when every in-scope row is applied, counting Welsh rows, and prints JSON with --json', async () => {
    const file = join(dir, 'clean.csv');
    await writeFile(
      file,
      registerFile([
        row(150001),
        row(150002),
        { ...row(150003), 'GOR (code)': 'W', 'GOR (name)': 'Wales (pseudo)' },
      ]),
    );
    const run = await cli('db:import-schools', file, '--json');
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ rows: 3, inserted: 2, outOfScope: 1, invalid: 0, applied: true });
    expect(report.unmappedLocalAuthorities).toEqual([{ code: '383', name: 'Leeds', schools: 2 }]);
    // Again: nothing changes.
    expect(JSON.parse((await cli('db:import-schools', file, '--json')).stdout)).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: 2,
    });
  }, 120_000);

  it('exits 3 when invalid rows were skipped, naming each; with --strict it applies nothing', async () => {
    const file = join(dir, 'dirty.csv');
    await writeFile(file, registerFile([row(150101), row(150102, '')]));
    const strict = await cli('db:import-schools', file, '--strict');
    expect(strict.code).toBe(3);
    expect(strict.stdout).toContain('line 3 (URN 150102): has no establishment name');
    expect(strict.stdout).toContain('(--strict: nothing was written)');
    const dry = await cli('db:import-schools', file, '--dry-run', '--json');
    expect(JSON.parse(dry.stdout)).toMatchObject({ inserted: 1, applied: false, dryRun: true });
    const applied = await cli('db:import-schools', file, '--json');
    expect(applied.code).toBe(3);
    expect(JSON.parse(applied.stdout)).toMatchObject({ inserted: 1, invalid: 1, applied: true });
  }, 120_000);

  it('exits 1 for a file that is missing or not the register, saying why', async () => {
    const missing = await cli('db:import-schools', join(dir, 'nope.csv'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no such file/);
    const other = join(dir, 'other.csv');
    await writeFile(other, 'name,town\r\nA,B\r\n');
    const wrong = await cli('db:import-schools', other);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/is not a GIAS establishment file: its header lacks "URN"/);
  }, 120_000);

  it('loads hub areas from a CSV and moves the schools of those LAs', async () => {
    const file = join(dir, 'areas.csv');
    await writeFile(file, 'local_authority_code,local_authority,hub_code\n383,Leeds,YH1\n');
    const run = await cli('db:import-hub-areas', file, '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ set: 1, schoolsMoved: 3, applied: true });
    const bad = join(dir, 'bad-areas.csv');
    await writeFile(bad, 'local_authority_code,local_authority,hub_code\n38,Leeds,YH1\n383,Leeds,YH1\n');
    const refused = await cli('db:import-hub-areas', bad);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toContain('line 2: local_authority_code "38" is not three digits');
  }, 120_000);

  it.runIf(testDbKind() === 'embedded')(
    'exits 75 while another process holds the embedded data directory',
    async () => {
      const dataDir = env.DATA_DIR!;
      const release = await lockfile.lock(dataDir, { lockfilePath: join(dataDir, 'server.lock') });
      try {
        const run = await cli('db:import-schools', join(dir, 'clean.csv'));
        expect(run.code).toBe(75);
        expect(run.stderr).toMatch(/already in use by another process/);
      } finally {
        await release();
      }
    },
    120_000,
  );
});

describe('import progress', () => {
  it('shows rows per second and an ETA on a terminal, and nothing elsewhere', () => {
    const written: string[] = [];
    const terminal = { isTTY: true, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    const progress = progressReporter(terminal);
    progress.update({ bytesRead: 25, totalBytes: 100, rows: 2000 });
    progress.done();
    expect(written[0]).toMatch(/^\r2,000 rows read \(25%\), [\d,]+ rows\/s, about \d+ s to go/);
    expect(written[1]).toBe('\n');
    const piped: string[] = [];
    const pipe = { isTTY: false, write: (s: string) => piped.push(s) } as unknown as NodeJS.WriteStream;
    progressReporter(pipe).update({ bytesRead: 25, totalBytes: 100, rows: 2000 });
    expect(piped).toEqual([]);
  });
});
