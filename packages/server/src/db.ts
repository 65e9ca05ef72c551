// The one database module: embedded PGlite (default) or PostgreSQL, behind one Prisma client.
//
// Besides the Prisma client, a database exposes `sql`, a small raw executor used by the migration
// runner and the bulk seeders (multi-statement scripts and set-based loads that Prisma's client
// is not made for).
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PrismaClient } from '@maths-hubs/db/client';
import type { Sql } from '@maths-hubs/db/sql';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import lockfile from 'proper-lockfile';
import type { Config } from './config.ts';
import { applyMigrations } from './migrate.ts';

export type { Sql };

export interface Database {
  kind: 'embedded' | 'postgres';
  prisma: PrismaClient;
  /**
   * With DATABASE_REPLICA_URL: reads that need no fresh write (plugins/replica.ts routes them).
   * Absent otherwise, and for the embedded database.
   */
  replica?: { prisma: PrismaClient; sql: Sql; location: string };
  sql: Sql;
  /** Where the data lives, for logs: a directory or a URL without its password. */
  location: string;
  /** Calls `listener` with the text of every SQL statement Prisma sends; returns an unsubscribe. */
  onQuery(listener: (sql: string) => void): () => void;
  /** The PostgreSQL pool's figures, for metrics; absent for the embedded database. */
  pool?: Pick<pg.Pool, 'totalCount' | 'idleCount' | 'waitingCount'>;
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
  constructor(readonly dataDir: string) {
    super(
      `The embedded database in ${dataDir} is already in use by another process ` +
        `(lock: ${lockPath(dataDir)}). Stop the other server first, or start this one with ` +
        'another DATA_DIR, or use PostgreSQL with DATABASE_URL. If no other server is running, ' +
        'the lock is left over from a crash and expires within 10 seconds.',
    );
  }
}

const lockPath = (dataDir: string) => join(dataDir, 'server.lock');

/** True when `dataDir` holds no embedded database yet. */
export const isNewDataDir = async (dataDir: string) =>
  !(await stat(join(dataDir, 'pgdata', 'PG_VERSION')).catch(() => null));

/** Opens the configured database; an embedded one can start from a dump (`snapshot.ts`). */
export function openDatabase(config: Config['database'], loadDataDir?: Blob): Promise<Database> {
  return config.kind === 'embedded'
    ? openEmbedded(config.dataDir, loadDataDir)
    : openPostgres(config.url, config.poolSize, config.statementTimeoutMs, config.replicaUrl);
}

/**
 * A Prisma client that reports each statement it sends (for debug logs and statement counts);
 * clients of one database (a primary and its replica) share their listeners.
 */
function prismaClient(adapter: PrismaPGlite | PrismaPg, listeners = new Set<(sql: string) => void>()) {
  const prisma = new PrismaClient({
    adapter,
    log: [{ emit: 'event', level: 'query' }],
  }) as unknown as PrismaClient & {
    $on(event: 'query', listener: (e: { query: string }) => void): void;
  };
  prisma.$on('query', (event) => {
    for (const listener of listeners) listener(event.query);
  });
  const onQuery = (listener: (sql: string) => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  return { prisma, onQuery, listeners };
}

// ───────────── embedded PGlite ─────────────

function pgliteSql(db: PGlite | Transaction): Sql {
  return {
    async query<Row>(text: string, params?: unknown[]) {
      return (await db.query<Row>(text, params)).rows;
    },
    async exec(script) {
      await db.exec(script);
    },
    async transaction(fn) {
      if ('transaction' in db) return db.transaction((tx) => fn(pgliteSql(tx)));
      return fn(pgliteSql(db)); // already inside one: PGlite has no nested transactions
    },
  };
}

export interface EmbeddedDatabase extends Database {
  kind: 'embedded';
  pglite: PGlite;
}

/**
 * Opens a PGlite database in `dataDir` (or in memory when `dataDir` is null), optionally starting
 * from a dump made by `pglite.dumpDataDir()` (tests use this to copy a seeded database).
 */
export async function openEmbedded(dataDir: string | null, loadDataDir?: Blob): Promise<EmbeddedDatabase> {
  let release: (() => Promise<void>) | undefined;
  if (dataDir !== null) {
    await mkdir(dataDir, { recursive: true });
    try {
      // PGlite does not lock its directory; two processes writing one would corrupt it.
      release = await lockfile.lock(dataDir, {
        lockfilePath: lockPath(dataDir),
        stale: 10_000,
        update: 2_000,
        retries: 0,
        realpath: false,
        onCompromised: (error) => {
          // Someone removed or took over our lock: stop writing rather than risk corruption.
          console.error(`Lost the lock on ${dataDir}: ${error.message}`);
          process.exit(70);
        },
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'ELOCKED') throw new DataDirLockedError(dataDir);
      throw error;
    }
  }
  try {
    const pglite = await PGlite.create({
      dataDir: dataDir === null ? undefined : join(dataDir, 'pgdata'),
      extensions: { pg_trgm },
      loadDataDir,
      // PostgreSQL's default 128 MB of shared buffers is all held in the WebAssembly heap, which
      // then stays resident; the demo data is about 60 MB on disk and reads it from the OS cache.
      startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'],
    });
    const sql = pgliteSql(pglite);
    const { prisma, onQuery } = prismaClient(new PrismaPGlite(pglite));
    return {
      kind: 'embedded',
      pglite,
      prisma,
      onQuery,
      sql,
      location: dataDir ?? 'memory',
      migrate: () => applyMigrations(sql),
      async close() {
        await prisma.$disconnect();
        await pglite.close();
        await release?.();
      },
    };
  } catch (error) {
    await release?.();
    throw error;
  }
}

// ───────────── PostgreSQL ─────────────

function clientSql(client: pg.PoolClient): Sql {
  const sql: Sql = {
    async query<Row>(text: string, params?: unknown[]) {
      return (await client.query(text, params)).rows as Row[];
    },
    async exec(script) {
      await client.query(script);
    },
    transaction: (fn) => fn(sql), // already inside one
  };
  return sql;
}

function poolSql(pool: pg.Pool): Sql {
  return {
    async query<Row>(text: string, params?: unknown[]) {
      return (await pool.query(text, params)).rows as Row[];
    },
    async exec(script) {
      await pool.query(script);
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(clientSql(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

function postgresPool(url: string, poolSize: number, statementTimeoutMs: number) {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // While the server is away, fail fast (the API answers 503) instead of queueing forever.
    connectionTimeoutMillis: 5_000,
    // Bounds every statement; the server cancels it and the request gets a TIMEOUT error.
    ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {}),
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  return pool;
}

export async function openPostgres(
  url: string,
  poolSize = 10,
  statementTimeoutMs = 0,
  replicaUrl?: string,
): Promise<Database> {
  const pool = postgresPool(url, poolSize, statementTimeoutMs);
  const sql = poolSql(pool);
  const { prisma, onQuery, listeners } = prismaClient(new PrismaPg(pool));
  const replicaPool = replicaUrl ? postgresPool(replicaUrl, poolSize, statementTimeoutMs) : undefined;
  const replica = replicaPool && {
    prisma: prismaClient(new PrismaPg(replicaPool), listeners).prisma,
    sql: poolSql(replicaPool),
    location: redactUrl(replicaUrl!),
  };
  return {
    kind: 'postgres',
    prisma,
    replica,
    onQuery,
    pool,
    sql,
    location: redactUrl(url),
    migrate: () => applyMigrations(sql),
    async close() {
      await Promise.all([prisma.$disconnect(), replica?.prisma.$disconnect()]);
      await Promise.all([pool.end(), replicaPool?.end()]);
    },
  };
}
