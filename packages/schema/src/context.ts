// What every resolver receives. Built per request by the server (packages/server/src/context.ts);
// the schema never opens a connection itself, so tests can hand it any database.
import type { PrismaClient } from '@maths-hubs/db/client';

export interface Context {
  prisma: PrismaClient;
  requestId: string;
}
