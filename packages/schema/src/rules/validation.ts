// Validation of what people type into application forms: plain functions, unit-tested.
import type { UserErrorShape } from '../types/user-error.ts';

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

type Path = string[];
const invalid = (field: Path, message: string): UserErrorShape => ({ field, message, code: 'INVALID' });

export function checkName(value: string, field: Path, what: string): UserErrorShape[] {
  const v = value.trim();
  if (v.length === 0) return [invalid(field, `Give the ${what}'s name.`)];
  if (v.length > 200) return [invalid(field, `The ${what}'s name is longer than 200 characters.`)];
  return [];
}

export function checkEmail(value: string, field: Path, what: string): UserErrorShape[] {
  if (value.trim() === '') return [invalid(field, `Give the ${what}'s email address.`)];
  return isEmail(value)
    ? []
    : [invalid(field, `"${value}" is not an email address (e.g. name@school.org.uk).`)];
}

export function checkTrn(value: string, field: Path, what: string): UserErrorShape[] {
  if (value.trim() === '') {
    return [
      invalid(
        field,
        `The ${what}'s Teacher Reference Number is required: seven digits, or UQT if unqualified. A blank TRN means the application cannot be processed.`,
      ),
    ];
  }
  return normaliseTrn(value)
    ? []
    : [
        invalid(
          field,
          `"${value}" is not a Teacher Reference Number: give seven digits (e.g. 1234567 or RP12/34567 from a payslip), or UQT if unqualified.`,
        ),
      ];
}

export function checkStatement(value: string, field: Path): UserErrorShape[] {
  const words = wordCount(value);
  if (words === 0) return [invalid(field, 'Write the head of department’s statement (about 150 words).')];
  if (words > STATEMENT_LIMIT) {
    return [
      invalid(
        field,
        `The statement has ${words} words: keep it to about ${STATEMENT_WORDS} (at most ${STATEMENT_LIMIT}, 10% over).`,
      ),
    ];
  }
  return [];
}

export function checkTelephone(value: string, field: Path): UserErrorShape[] {
  const digits = value.replace(/[\s()+-]/g, '');
  return /^\d{10,13}$/.test(digits)
    ? []
    : [invalid(field, `"${value}" is not a telephone number (e.g. 0121 496 0000).`)];
}

/** Paths of string fields that hold control characters (NUL and the like), which no form field needs. */
export function controlCharacterErrors(value: unknown, path: string[] = ['input']): UserErrorShape[] {
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
