// How a mutation says what was wrong with its input: one constructor per code, and zod's issues
// mapped to the same shape. Pure, so the rules beside it can be unit-tested without a schema.
import type { z } from 'zod';

export const USER_ERROR_CODES = [
  'INVALID',
  'NOT_FOUND',
  'FORBIDDEN',
  'DUPLICATE',
  'DEADLINE_PASSED',
  'INELIGIBLE',
  'COHORT_FULL',
  'TOO_MANY_ATTEMPTS',
] as const;

export type UserErrorCode = (typeof USER_ERROR_CODES)[number];

export interface UserErrorShape {
  field: string[] | null;
  message: string;
  code: UserErrorCode;
}

/** A path inside the mutation's `input` argument, e.g. ['advocates', 0, 'trn']. */
export type InputPath = readonly (string | number)[];

/** Every mutation takes one `input` argument, so every field path starts there. */
export const inputField = (path: InputPath): string[] => ['input', ...path.map(String)];

export const userError = (code: UserErrorCode, path: InputPath | null, message: string): UserErrorShape => ({
  field: path ? inputField(path) : null,
  message,
  code,
});

export const invalid = (path: InputPath, message: string) => userError('INVALID', path, message);
export const notFound = (path: InputPath, message: string) => userError('NOT_FOUND', path, message);
export const duplicate = (path: InputPath, message: string) => userError('DUPLICATE', path, message);

/**
 * zod's issues as userErrors, the first issue per field only: a blank e-mail address is "give
 * the address", not also "this is not an address".
 */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], prefix: InputPath = []): UserErrorShape[] {
  const seen = new Set<string>();
  const errors: UserErrorShape[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path.map(String)];
    const key = path.join('.');
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push(invalid(path, issue.message));
  }
  return errors;
}

/** The outcome of a pure input check: the cleaned value, or what was wrong. */
export type Checked<T> =
  | { value: T; errors: UserErrorShape[] }
  | { value?: undefined; errors: UserErrorShape[] };

/** Parses with a zod schema, answering in userErrors. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown, prefix: InputPath = []): Checked<T> {
  const result = schema.safeParse(input);
  return result.success
    ? { value: result.data, errors: [] }
    : { errors: fromZodIssues(result.error.issues, prefix) };
}
