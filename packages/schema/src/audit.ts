// Every change made through the API is recorded: who (key and role), what, when, before and after.
import type { Prisma } from '@maths-hubs/db/client';
import type { Context } from './context.ts';

type Tx = Pick<Context['prisma'], 'auditLog'>;

export function audit(
  tx: Tx,
  ctx: Context,
  action: string,
  entityType: string,
  entityId: number | string,
  before: Prisma.InputJsonValue | null,
  after: Prisma.InputJsonValue | null,
) {
  return tx.auditLog.create({
    data: {
      apiKeyId: ctx.viewer.apiKeyId,
      role: ctx.viewer.role,
      action,
      entityType,
      entityId: String(entityId),
      before: before ?? undefined,
      after: after ?? undefined,
      requestId: ctx.requestId,
    },
  });
}

/** Global IDs are base64("Type:id"); returns the id, or null if `globalId` is not one of `type`. */
export function decodeId(globalId: string, type: string): number | null {
  const match = new RegExp(`^${type}:(\\d+)$`).exec(Buffer.from(String(globalId), 'base64').toString('utf8'));
  return match ? Number(match[1]) : null;
}
