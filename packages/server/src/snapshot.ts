// A seeded copy of the embedded database, so that a first start on an empty data directory
// copies files instead of migrating and generating the demo data (seconds of work).
//
// It is never committed: the demo data is generated relative to today, so a snapshot is keyed by
// the migrations, the seeds' source and data, and the day it was made for. `pnpm install` builds
// today's; a first start that finds none seeds as before and leaves one for the next.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { openEmbedded } from './db.ts';
import { readMigrations } from './migrate.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const SEED_DIR = join(ROOT, 'prisma/seed');
export const SNAPSHOT_DIR = join(ROOT, 'node_modules/.cache/maths-hubs');

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** The snapshot's file for `today`: a hash of everything that decides its content. */
export async function snapshotPath(today = new Date()): Promise<string> {
  const hash = createHash('sha256');
  for (const migration of await readMigrations()) hash.update(`${migration.name}\0${migration.checksum}\0`);
  // The seeds, and the calendar helpers they date the demo data with.
  for (const file of [...(await filesUnder(SEED_DIR)), join(ROOT, 'prisma/domain.ts')])
    hash.update(file.slice(ROOT.length)).update(await readFile(file));
  hash.update(today.toISOString().slice(0, 10));
  return join(SNAPSHOT_DIR, `demo-${hash.digest('hex').slice(0, 24)}.tar.gz`);
}

/** Today's snapshot, if one was made, as a plain tar. */
export async function readSnapshot(today = new Date()): Promise<Blob | null> {
  const path = await snapshotPath(today);
  if (!(await stat(path).catch(() => null))) return null;
  // Unzipped here by Node's zlib: handing PGlite the .tar.gz made a first start 1.8 s slower.
  return new Blob([gunzipSync(await readFile(path))]);
}

/** Writes a dump of `dump` as today's snapshot (atomically: a reader never sees half a file). */
export async function writeSnapshot(dump: Blob, today = new Date()): Promise<string> {
  const path = await snapshotPath(today);
  await mkdir(SNAPSHOT_DIR, { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
  await rename(partial, path);
  // Snapshots of other days or other sources will never be read again.
  for (const name of await readdir(SNAPSHOT_DIR)) {
    if (/^demo-[0-9a-f]+\.tar\.gz$/.test(name) && join(SNAPSHOT_DIR, name) !== path)
      await rm(join(SNAPSHOT_DIR, name), { force: true });
  }
  return path;
}

/** Migrates and seeds a database in memory and saves it as today's snapshot. */
export async function buildSnapshot(today = new Date()): Promise<string> {
  const { seed } = await import('@maths-hubs/db/seed/index');
  const db = await openEmbedded(null);
  try {
    await db.migrate();
    await seed(db, { today });
    return await writeSnapshot(await db.pglite.dumpDataDir('gzip'), today);
  } finally {
    await db.close();
  }
}
