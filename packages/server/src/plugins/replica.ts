// Reads that need no fresh write go to the streaming replica (DATABASE_REPLICA_URL). What stays on
// the primary: mutations and everything else in their requests, subscriptions (their payloads are
// read after a commit), API-key lookups (plugins/caller.ts reads the primary), and any read while
// the replica has not yet replayed the latest write an instance noted. After each mutation the
// primary's WAL position is noted in shared state before the response leaves and before cached
// reads are invalidated, so no read that could refill the cache is served from behind it.

import type { PrismaClient } from '@maths-hubs/db/client';
import { type Context, createLoaders } from '@maths-hubs/schema';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Database } from '../db.ts';
import type { Logger } from '../logger.ts';
import type { SharedState } from '../shared-state.ts';
import { requestState } from './request-state.ts';

/** A WAL position "16/B374D848" as a number (exact below 2^53 bytes of WAL, 8 PiB). */
export const lsnNumber = (lsn: string) => {
  const [high, low] = lsn.split('/');
  return Number.parseInt(high!, 16) * 2 ** 32 + Number.parseInt(low!, 16);
};

export interface ReadRouter {
  /** The client for a read now: the replica when it has replayed the latest write, else the primary. */
  forRead(): Promise<PrismaClient>;
  /** Notes the primary's WAL position after a write. */
  noteWrite(): Promise<void>;
}

export function createReadRouter(db: Database, shared: SharedState, logger: Logger): ReadRouter {
  const replica = db.replica;
  if (!replica) return { forRead: async () => db.prisma, noteWrite: async () => {} };
  let replayed = 0; // the replica's replay position when last asked
  async function caughtUp(written: number) {
    if (replayed >= written) return true;
    const [row] = await replica!.sql.query<{ lsn: string | null }>(
      'SELECT pg_last_wal_replay_lsn()::text AS lsn',
    );
    replayed = row?.lsn ? lsnNumber(row.lsn) : 0;
    return replayed >= written;
  }
  return {
    async forRead() {
      try {
        return (await caughtUp(await shared.lastWrite())) ? replica.prisma : db.prisma;
      } catch (error) {
        // The replica, or where the latest write is kept, cannot say: the primary is always fresh.
        logger.debug({ err: error }, 'read sent to the primary: replica freshness unknown');
        return db.prisma;
      }
    },
    async noteWrite() {
      try {
        const [row] = await db.sql.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
        await shared.noteWrite(lsnNumber(row!.lsn));
      } catch (error) {
        logger.warn({ err: error }, 'could not note the position of a write for replica reads');
      }
    },
  };
}

export function useReplicaRouting(router: ReadRouter): Plugin<Context> {
  return {
    async onExecute({ args }) {
      const ctx = args.contextValue as Context & { request?: Request };
      const operation = getOperationAST(args.document, args.operationName)?.operation;
      const state = ctx.request ? requestState(ctx.request) : undefined;
      if (operation === 'mutation') {
        if (state) state.wrote = true;
        return;
      }
      if (operation !== 'query') return;
      const prisma = await router.forRead();
      if (prisma !== ctx.prisma) {
        ctx.prisma = prisma;
        ctx.loaders = createLoaders(prisma);
      }
    },
    async onResultProcess({ request }) {
      const state = requestState(request);
      if (state?.wrote) {
        state.wrote = false;
        await router.noteWrite();
      }
    },
  };
}
