// The shape every mutation payload shares: bad input is data, with a path a form can show it by.
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';

export const UserErrorCode = builder.enumType('UserErrorCode', {
  description: 'Why an input was not accepted.',
  values: {
    INVALID: { description: 'A value is malformed or out of range; `field` says which.' },
    NOT_FOUND: { description: 'Something the input refers to does not exist (or is not visible to you).' },
    FORBIDDEN: { description: 'Your API key may not do this.' },
    DUPLICATE: { description: 'This would repeat something that must be unique.' },
    DEADLINE_PASSED: { description: 'The cohort’s application deadline has passed.' },
    INELIGIBLE: { description: 'The school or person does not meet the programme’s eligibility rules.' },
    COHORT_FULL: { description: 'The cohort has no places left.' },
  } as const,
});

export interface UserErrorShape {
  field: string[] | null;
  message: string;
  code: (typeof UserErrorCode)['$inferType'];
}

export const UserError = builder.objectRef<UserErrorShape>('UserError').implement({
  description: 'A problem with a mutation’s input, to show beside the field it concerns.',
  fields: (t) => ({
    field: t.exposeStringList('field', {
      nullable: true,
      description:
        'The path to the input field, e.g. ["input", "advocates", "0", "trn"]; null when it concerns the whole input.',
    }),
    message: t.exposeString('message', {
      description: 'What is wrong and how to put it right, in plain words.',
    }),
    code: t.expose('code', { type: UserErrorCode, description: 'A stable code for programs.' }),
  }),
});

/**
 * The caller may not do this at all: a userError for those who selected `userErrors`, and the
 * same message as a top-level FORBIDDEN error (added by the server after execution), so that a
 * client that selected only the changed object still learns why it is null.
 */
export function forbidden(ctx: Context, message: string): UserErrorShape {
  ctx.refusals.push(message);
  return { field: null, message, code: 'FORBIDDEN' };
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
  duplicates: Record<string, Omit<UserErrorShape, 'code'>>,
): Promise<{ value: T; userError?: never } | { value?: never; userError: UserErrorShape }> {
  try {
    return { value: await write() };
  } catch (error) {
    const constraint = brokenUniqueConstraint(error);
    const duplicate = constraint ? duplicates[constraint] : undefined;
    if (!duplicate) throw error;
    return { userError: { ...duplicate, code: 'DUPLICATE' } };
  }
}
