// Runs once per test run: migrates and seeds one database of each kind, which every test file
// then copies (PGlite from a dump, PostgreSQL as a template) instead of seeding again.

import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seed } from '@maths-hubs/db/seed/index';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { buildServer } from '../../../../scripts/start.mjs';
import { openEmbedded, openPostgres } from '../../src/db.ts';
import { postgresUrl, SEED_TODAY } from './fixtures.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    embeddedDump: string;
    postgresTemplate: string | null;
  }
}

export default async function setup(project: TestProject) {
  // The bundle `pnpm start` runs, built once here rather than by test processes racing each other.
  await buildServer();
  const dump = join(tmpdir(), `maths-hubs-test-${process.pid}.tar.gz`);
  const db = await openEmbedded(null);
  await db.migrate();
  await seed(db, { today: SEED_TODAY });
  await writeFile(dump, Buffer.from(await (await db.pglite.dumpDataDir('gzip')).arrayBuffer()));
  await db.close();
  project.provide('embeddedDump', dump);

  let template: string | null = null;
  if (process.env.TEST_DATABASE_URL) {
    template = `maths_hubs_test_${process.pid}`;
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${template}`);
    const pgdb = await openPostgres(postgresUrl(template), 4);
    await pgdb.migrate();
    await seed(pgdb, { today: SEED_TODAY });
    await pgdb.close();
    await admin.end();
  }
  project.provide('postgresTemplate', template);

  return async () => {
    await rm(dump, { force: true });
    if (template) {
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
      await admin.end();
    }
  };
}
