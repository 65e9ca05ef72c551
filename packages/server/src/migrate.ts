// Applies the committed SQL migrations in prisma/migrations, on PGlite or PostgreSQL.
//
// Prisma's own `migrate deploy` needs its native schema engine, which cannot be downloaded on our
// machines. This runner does the same job and keeps the same `_prisma_migrations` bookkeeping
// (checksum = SHA-256 of migration.sql), so `prisma migrate deploy` still works elsewhere.
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Sql } from '@maths-hubs/db/sql';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../prisma/migrations', import.meta.url));

// Same key Prisma uses, so our runner and Prisma's never migrate one database at once.
const ADVISORY_LOCK_KEY = 72707369;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(`${dir}/${name}/migration.sql`, 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
}

async function appliedMigrations(sql: Sql): Promise<Map<string, string>> {
  const exists = await sql.query<{ present: boolean }>(
    `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`,
  );
  if (!exists[0]?.present) return new Map();
  const rows = await sql.query<AppliedRow>(
    `SELECT migration_name, checksum FROM "_prisma_migrations"
      WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  return new Map(rows.map((r) => [r.migration_name, r.checksum]));
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  /** Applied migrations whose file has changed since: the history no longer matches. */
  modified: string[];
}

export async function migrationStatus(sql: Sql, dir = MIGRATIONS_DIR): Promise<MigrationStatus> {
  const [migrations, applied] = await Promise.all([readMigrations(dir), appliedMigrations(sql)]);
  const status: MigrationStatus = { applied: [], pending: [], modified: [] };
  for (const m of migrations) {
    const checksum = applied.get(m.name);
    if (checksum === undefined) status.pending.push(m.name);
    else if (checksum !== m.checksum) status.modified.push(m.name);
    else status.applied.push(m.name);
  }
  return status;
}

/**
 * Applies every pending migration, each in its own transaction under an advisory lock, so that
 * several processes starting at once apply each migration exactly once.
 */
export async function applyMigrations(sql: Sql, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = await readMigrations(dir);
  // Under the lock: concurrent CREATE TABLE IF NOT EXISTS can still collide in PostgreSQL.
  await sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCK_KEY]);
    await tx.exec(CREATE_MIGRATIONS_TABLE);
  });
  const done: string[] = [];
  for (const migration of migrations) {
    const wasApplied = await sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCK_KEY]);
      const applied = await appliedMigrations(tx);
      const checksum = applied.get(migration.name);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new MigrationError(
            `Migration ${migration.name} was changed after it was applied to this database. ` +
              'Committed migrations must never be edited; add a new migration instead.',
          );
        }
        return false;
      }
      const id = randomUUID();
      await tx.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at)
         VALUES ($1, $2, $3, now())`,
        [id, migration.checksum, migration.name],
      );
      try {
        await tx.exec(migration.sql);
      } catch (error) {
        throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`);
      }
      await tx.query(
        `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
        [id],
      );
      return true;
    });
    if (wasApplied) done.push(migration.name);
  }
  return done;
}
