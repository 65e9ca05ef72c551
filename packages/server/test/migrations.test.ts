// The committed migrations, applied by our runner, on PGlite and on PostgreSQL.
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseReadiness } from '../src/health.ts';
import {
  applyMigrations,
  MIGRATIONS_DIR,
  MigrationError,
  migrationStatus,
  readMigrations,
} from '../src/migrate.ts';
import { type TestDatabase, testDatabase, testDbKind } from './helpers/fixtures.ts';

let db: TestDatabase;
afterEach(async () => {
  await db?.close();
});

const violates = async (statement: string, constraint: string) => {
  await expect(db.sql.query(statement)).rejects.toThrow(constraint);
};

describe(`migrations (${testDbKind()})`, () => {
  it('apply to an empty database once, recorded the way Prisma records them', async () => {
    db = await testDatabase({ empty: true });
    const all = (await readMigrations()).map((m) => m.name);
    expect(all.length).toBeGreaterThan(0);
    expect((await migrationStatus(db.sql)).pending).toEqual(all);
    expect((await databaseReadiness(db.sql)).ok).toBe(false);

    expect(await applyMigrations(db.sql)).toEqual(all);
    expect(await applyMigrations(db.sql)).toEqual([]);
    expect(await migrationStatus(db.sql)).toEqual({ applied: all, pending: [], modified: [] });
    expect((await databaseReadiness(db.sql)).ok).toBe(true);

    const rows = await db.sql.query<{
      migration_name: string;
      checksum: string;
      applied_steps_count: number;
    }>(
      'SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    const files = await readMigrations();
    expect(rows).toEqual(
      files.map((f) => ({ migration_name: f.name, checksum: f.checksum, applied_steps_count: 1 })),
    );
  });

  it('create every table of the domain model', async () => {
    db = await testDatabase({ empty: true });
    await applyMigrations(db.sql);
    const tables = await db.sql.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(tables.map((t) => t.table_name)).toEqual([
      '_prisma_migrations',
      'api_key',
      'application',
      'application_advocate',
      'attendance',
      'audit_log',
      'cohort',
      'eligibility_rule',
      'enrolment',
      'funding_line',
      'hub',
      'hub_area',
      'hub_lead_organisation',
      'hub_predecessor',
      'participant',
      'programme',
      'programme_link',
      'programme_year',
      'region',
      'school',
      'school_link',
      'session',
    ]);
  });

  it('refuse to run over a migration edited after it was applied', async () => {
    db = await testDatabase({ empty: true });
    await applyMigrations(db.sql);
    const copy = await mkdtemp(join(tmpdir(), 'migrations-'));
    await cp(MIGRATIONS_DIR, copy, { recursive: true });
    const [first] = await readMigrations(copy);
    await writeFile(join(copy, first!.name, 'migration.sql'), `${first!.sql}\n-- edited\n`);
    await expect(applyMigrations(db.sql, copy)).rejects.toThrow(MigrationError);
    await expect(applyMigrations(db.sql, copy)).rejects.toThrow(/was changed after it was applied/);
    expect((await migrationStatus(db.sql, copy)).modified).toEqual([first!.name]);
  });

  it('roll back a failing migration whole and report which one failed', async () => {
    db = await testDatabase({ empty: true });
    const copy = await mkdtemp(join(tmpdir(), 'migrations-'));
    await cp(MIGRATIONS_DIR, copy, { recursive: true });
    await cp(join(copy, (await readMigrations(copy))[0]!.name), join(copy, '29990101000000_broken'), {
      recursive: true,
    });
    await writeFile(
      join(copy, '29990101000000_broken', 'migration.sql'),
      'CREATE TABLE ok_so_far (id int);\nSELECT 1/0;',
    );
    await expect(applyMigrations(db.sql, copy)).rejects.toThrow(/Migration 29990101000000_broken failed/);
    const leftover = await db.sql.query(`SELECT to_regclass('ok_so_far') AS t`);
    expect(leftover[0]).toEqual({ t: null });
    expect((await migrationStatus(db.sql, copy)).pending).toEqual(['29990101000000_broken']);
  });

  it('hold the rules of the domain in the database itself', async () => {
    db = await testDatabase({ empty: true });
    await applyMigrations(db.sql);
    await db.sql.exec(`INSERT INTO region (code, name, sort_order) VALUES ('WM', 'West Midlands', 1);
      INSERT INTO hub (code, name, short_name, region_id, number_in_region) VALUES ('WM1', 'Central', 'Central', 1, 1);
      INSERT INTO programme (slug, short_code, name, family, phase, kind, summary)
        VALUES ('p', 'P', 'P', 'TEACHING_FOR_MASTERY', 'SECONDARY', 'WORK_GROUP', 's');`);
    await violates(`INSERT INTO region (code, name, sort_order) VALUES ('W1', 'x', 2)`, 'region_code_check');
    await violates(
      `INSERT INTO school (urn, name, phase, type, state_funded, local_authority, postcode)
       VALUES ('12345', 'x', 'SECONDARY', 'ACADEMY', true, 'Dudley', 'DY1 1AA')`,
      'school_urn_check',
    );
    const cohort = (extra: string, values: string) =>
      `INSERT INTO cohort (code, name, programme_id, academic_year, status, capacity, updated_at${extra})
       VALUES ('C-1', 'c', 1, ${values})`;
    await violates(cohort('', `'2024/26', 'RUNNING', 1, now()`), 'cohort_academic_year_check');
    await violates(cohort('', `'2024/25', 'RUNNING', -1, now()`), 'cohort_capacity_check');
    await violates(
      cohort(', places_taken', `'2024/25', 'RUNNING', 2, now(), 3`),
      'cohort_places_taken_check',
    );
    await violates(`INSERT INTO participant (name, trn) VALUES ('x', '123456')`, 'participant_trn_check');
    await violates(
      `INSERT INTO api_key (label, role, secret_hash) VALUES ('x', 'HUB_STAFF', 'h')`,
      'api_key_hub_scope_check',
    );
    await violates(
      `INSERT INTO api_key (label, role, hub_id, secret_hash) VALUES ('x', 'ANALYST', 1, 'h')`,
      'api_key_hub_scope_check',
    );
    await db.sql.query(
      `INSERT INTO participant (name, trn) VALUES ('unqualified', 'UQT'), ('qualified', '1234567')`,
    );
  });

  it('apply each migration once when several processes migrate at the same moment', async () => {
    db = await testDatabase({ empty: true });
    const all = (await readMigrations()).map((m) => m.name);
    const results = await Promise.all([
      applyMigrations(db.sql),
      applyMigrations(db.sql),
      applyMigrations(db.sql),
    ]);
    expect(results.flat().sort()).toEqual(all);
    const [count] = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM "_prisma_migrations"');
    expect(count!.n).toBe(all.length);
  });
});
