// Test databases: a fresh copy of the seeded database per call, of the kind the project names.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { type Database, openEmbedded, openPostgres } from '../../src/db.ts';

/** The synthetic layer in tests is anchored to a fixed day, so its statuses never drift. */
export const SEED_TODAY = new Date('2026-11-01T12:00:00Z');

export const testDbKind = () => (process.env.TEST_DB === 'postgres' ? 'postgres' : 'embedded');

export function postgresUrl(database: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase extends Database {
  /** For PostgreSQL, the URL of this test's own database. */
  url: string | null;
}

/**
 * A database of its own for a test: seeded (reference + demo, anchored to SEED_TODAY) unless
 * `empty`, in which case nothing is migrated either. Closing it drops it.
 */
export async function testDatabase({ empty = false } = {}): Promise<TestDatabase> {
  if (testDbKind() === 'embedded') {
    const dump = empty ? undefined : new Blob([await readFile(inject('embeddedDump'))]);
    const db = await openEmbedded(null, dump);
    return Object.assign(db, { url: null });
  }
  const name = `maths_hubs_t_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const template = empty ? 'template0' : inject('postgresTemplate');
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  const url = postgresUrl(name);
  const db = await openPostgres(url, 5);
  const close = db.close;
  return Object.assign(db, {
    url,
    async close() {
      await close();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  });
}
