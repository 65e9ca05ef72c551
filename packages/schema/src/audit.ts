// Every change made through the API is recorded: who (key and role), what, when, before and after.
import type { Prisma } from '@maths-hubs/db/client';
import { decodeGlobalID } from '@pothos/plugin-relay';
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
  // Read after the request's transactions have committed, to drop the cached answers this changed.
  ctx.changes.push({ action, entityType, entityId: String(entityId), after });
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

/**
 * The database id inside a global ID of `type` (plugin-relay's encoding, base64 "Type:id"), or
 * null if `globalId` is malformed or names another type, for mutations to answer NOT_FOUND.
 */
export function decodeId(globalId: string, type: string): number | null {
  try {
    const { typename, id } = decodeGlobalID(String(globalId));
    return typename === type && /^\d{1,9}$/.test(id) ? Number(id) : null;
  } catch {
    return null; // not base64, or not "Type:id"
  }
}
