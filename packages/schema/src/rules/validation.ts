// Formats of what people type into forms (names, e-mail addresses, TRNs, telephone numbers, short
// texts) as zod schemas, for the rules beside this file; plain functions, unit-tested.
import { z } from 'zod';
import { invalid, type UserErrorShape } from './user-errors.ts';

/**
 * A Teacher Reference Number as stored: seven digits, or UQT. Accepts the payslip form
 * "RP12/34567" and stray spaces; returns null when the value cannot be a TRN.
 */
export function normaliseTrn(raw: string): string | null {
  const value = raw.trim().toUpperCase().replace(/\s+/g, '');
  if (value === 'UQT') return 'UQT';
  if (/^\d{7}$/.test(value)) return value;
  const payslip = /^RP(\d{2})\/(\d{5})$/.exec(value);
  return payslip ? `${payslip[1]}${payslip[2]}` : null;
}

export const isEmail = (value: string) =>
  /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim()) && value.length <= 254;

export const wordCount = (text: string) => text.trim().split(/\s+/).filter(Boolean).length;

/** The 2024/25 form asks for "about 150 words"; we allow 10% over. */
export const STATEMENT_WORDS = 150;
export const STATEMENT_LIMIT = Math.floor(STATEMENT_WORDS * 1.1);

export { URN } from '@maths-hubs/db/domain';

/** A name as typed into a form: trimmed, 1 to 200 characters. */
export const personName = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `Give the ${what}'s name.`)
    .max(200, `The ${what}'s name is longer than 200 characters.`);

/** An e-mail address, trimmed and lower-cased for storage. */
export const emailAddress = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `Give the ${what}'s email address.`)
    .refine(isEmail, {
      error: (issue) => `"${issue.input}" is not an email address (e.g. name@school.org.uk).`,
    })
    .transform((value) => value.toLowerCase());

/** A Teacher Reference Number, normalised (see normaliseTrn). */
export const teacherReferenceNumber = (what: string) =>
  z
    .string()
    .trim()
    .min(
      1,
      `The ${what}'s Teacher Reference Number is required: seven digits, or UQT if unqualified. A blank TRN means the application cannot be processed.`,
    )
    .refine((value) => normaliseTrn(value) !== null, {
      error: (issue) =>
        `"${issue.input}" is not a Teacher Reference Number: give seven digits (e.g. 1234567 or RP12/34567 from a payslip), or UQT if unqualified.`,
    })
    .transform((value) => normaliseTrn(value)!);

export const telephone = z
  .string()
  .trim()
  .refine((value) => /^\d{10,13}$/.test(value.replace(/[\s()+-]/g, '')), {
    error: (issue) => `"${issue.input}" is not a telephone number (e.g. 0121 496 0000).`,
  });

/** The head of department's statement: about 150 words. */
export const statement = z
  .string()
  .trim()
  .refine((value) => wordCount(value) > 0, 'Write the head of department’s statement (about 150 words).')
  .refine((value) => wordCount(value) <= STATEMENT_LIMIT, {
    error: (issue) =>
      `The statement has ${wordCount(String(issue.input))} words: keep it to about ${STATEMENT_WORDS} (at most ${STATEMENT_LIMIT}, 10% over).`,
  });

/** A short required text, such as a title or a label. */
export const shortText = (message: string) => z.string().trim().min(1, message).max(200, message);

/** Paths of string fields that hold control characters (NUL and the like), which no form field needs. */
export function controlCharacterErrors(value: unknown, path: string[] = []): UserErrorShape[] {
  if (typeof value === 'string') {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
    return /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(value)
      ? [invalid(path, 'This contains characters that are not allowed (control characters).')]
      : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => controlCharacterErrors(v, [...path, String(i)]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => controlCharacterErrors(v, [...path, k]));
  }
  return [];
}
