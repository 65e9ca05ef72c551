// The mutation kit: every mutation answers with a payload of its result and `userErrors`, finds
// what it changes by global ID with the same NOT_FOUND and FORBIDDEN answers, and turns a unique
// key broken by a concurrent request into DUPLICATE. Input rules live in ./rules/, pure.
import type { FieldMap, ObjectRef } from '@pothos/core';
import { canManageHub } from './access.ts';
import { decodeId } from './audit.ts';
import { builder, type Types } from './builder.ts';
import type { Context } from './context.ts';
import { type InputPath, notFound, type UserErrorShape, userError } from './rules/user-errors.ts';
import { UserError } from './types/user-error.ts';

/** A payload: the changed object under `key` (absent when the input was refused), and userErrors. */
export type Payload<Key extends string, Row> = { [K in Key]?: Row | null } & { userErrors: UserErrorShape[] };

/**
 * The payload type `name`, with the changed object under `key` and `userErrors`; `more` adds
 * fields some payloads also carry (the new key's secret, a count).
 */
export function payloadType<Key extends string, Row, Extra extends object = object>(
  name: string,
  description: string,
  key: Key,
  result: { type: ObjectRef<Types, Row>; description: string },
  more?: (t: PothosSchemaTypes.ObjectFieldBuilder<Types, Payload<Key, Row> & Extra>) => FieldMap,
) {
  return builder.objectRef<Payload<Key, Row> & Extra>(name).implement({
    description,
    fields: (t) => ({
      [key]: t.field({
        type: result.type,
        nullable: true,
        description: result.description,
        // Pothos cannot follow a computed key through the payload's mapped type.
        resolve: (payload) => ((payload as Payload<Key, Row>)[key] ?? null) as never,
      }),
      ...more?.(t),
      userErrors: t.field({
        type: [UserError],
        description: 'What was wrong with the input, if anything.',
        resolve: (payload) => payload.userErrors,
      }),
    }),
  });
}

/** The input was refused: nothing changed. */
export const rejected = (userErrors: UserErrorShape[]) => ({ userErrors });

/**
 * The caller may not do this at all: a userError for those who selected `userErrors`, and the
 * same message as a top-level FORBIDDEN error (added by the server after execution), so that a
 * client that selected only the changed object still learns why it is null.
 */
export function forbidden(ctx: Context, message: string): UserErrorShape {
  ctx.refusals.push(message);
  return userError('FORBIDDEN', null, message);
}

const noun = (type: string) => type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

/**
 * Finds what a mutation changes by its global ID and checks that the caller manages its hub:
 * NOT_FOUND on `path` for an ID that is malformed, of another type or unknown, and FORBIDDEN for
 * anyone but staff of the owning hub and national admins (`hubOf` null: national admins only).
 */
export async function loadManaged<Row>(
  ctx: Context,
  target: {
    type: string;
    globalId: string | number;
    path: InputPath;
    load: (id: number) => Promise<Row | null>;
    hubOf: (row: Row) => number | null;
    /** What only the hub's staff may do, for the refusal: "change it". */
    action?: string;
  },
): Promise<{ row: Row; userErrors?: never } | { row?: never; userErrors: UserErrorShape[] }> {
  const id = decodeId(String(target.globalId), target.type);
  const row = id === null ? null : await target.load(id);
  if (row === null)
    return { userErrors: [notFound(target.path, `There is no ${noun(target.type)} with this ID.`)] };
  if (!canManageHub(ctx, target.hubOf(row))) {
    const action = target.action ?? 'do this';
    return {
      userErrors: [
        forbidden(
          ctx,
          `Only staff of the hub that runs this ${noun(target.type)}, or a national admin, may ${action}.`,
        ),
      ],
    };
  }
  return { row };
}

/** The unique constraint a failed write broke (its name, as the migrations define it), or null. */
export function brokenUniqueConstraint(error: unknown): string | null {
  const e = error as {
    code?: string;
    meta?: { driverAdapterError?: { cause?: { originalMessage?: string } } };
  };
  if (e?.code !== 'P2002') return null;
  const message = e.meta?.driverAdapterError?.cause?.originalMessage ?? '';
  return /unique constraint "([^"]+)"/.exec(message)?.[1] ?? null;
}

/**
 * Runs a write whose uniqueness was checked beforehand. Another request that passed the same check
 * at the same moment makes the write break a unique constraint: for the constraints named in
 * `duplicates`, that is answered as their DUPLICATE userError, not an unexpected error.
 */
export async function unlessDuplicate<T>(
  write: () => Promise<T>,
  duplicates: Record<string, UserErrorShape>,
): Promise<{ value: T; userError?: never } | { value?: never; userError: UserErrorShape }> {
  try {
    return { value: await write() };
  } catch (error) {
    const constraint = brokenUniqueConstraint(error);
    const duplicate = constraint ? duplicates[constraint] : undefined;
    if (!duplicate) throw error;
    return { userError: duplicate };
  }
}
