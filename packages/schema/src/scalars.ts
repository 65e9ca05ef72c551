// Custom scalars. Academic years are written "2024/25" everywhere in the programme's documents.
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const ACADEMIC_YEAR = /^(\d{4})\/(\d{2})$/;

/** Returns null when `value` is a well-formed academic year, else a message saying what is wrong. */
export function academicYearProblem(value: string): string | null {
  const match = ACADEMIC_YEAR.exec(value);
  if (!match) return `"${value}" is not an academic year: expected the form 2024/25.`;
  const start = Number(match[1]);
  if ((start + 1) % 100 !== Number(match[2])) {
    const next = String((start + 1) % 100).padStart(2, '0');
    return `"${value}" is not an academic year: the years must be consecutive, e.g. ${start}/${next}.`;
  }
  return null;
}

function parseAcademicYear(value: unknown): string {
  if (typeof value !== 'string') throw new GraphQLError('An academic year is a string such as "2024/25".');
  const problem = academicYearProblem(value);
  if (problem) throw new GraphQLError(problem);
  return value;
}

export const AcademicYearScalar = new GraphQLScalarType<string, string>({
  name: 'AcademicYear',
  description: 'An academic year, September to August, written like "2024/25".',
  serialize: (value) => parseAcademicYear(value),
  parseValue: parseAcademicYear,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('An academic year is a string such as "2024/25".');
    return parseAcademicYear(ast.value);
  },
});

/** "2024/25" for the academic year starting in 2024. */
const label = (start: number) => `${start}/${String((start + 1) % 100).padStart(2, '0')}`;

/** The academic year (September to August) containing `day`, e.g. 2026-11-22 → "2026/27". */
export function academicYearOf(day: Date): string {
  return label(day.getUTCMonth() >= 8 ? day.getUTCFullYear() : day.getUTCFullYear() - 1);
}

/** The academic year `years` after (or, if negative, before) `year`: ("2023/24", 1) → "2024/25". */
export function shiftAcademicYear(year: string, years: number): string {
  return label(Number(year.slice(0, 4)) + years);
}

/** Midnight UTC of `now`'s day: deadlines are dates, and a deadline day is still open. */
export function startOfDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}
