// Identifiers and the calendar, shared by the API and the seeds so that both read and write them
// the same way: a school's URN, and academic years written "2024/25" (September to August).

/** A DfE Unique Reference Number: six digits. */
export const URN = /^\d{6}$/;

const ACADEMIC_YEAR = /^(\d{4})\/(\d{2})$/;

/** "2024/25" for the academic year starting in 2024. */
export const academicYearLabel = (start: number) => `${start}/${String((start + 1) % 100).padStart(2, '0')}`;

/** The academic year containing `day`, as its first calendar year: 2026-11-22 → 2026. */
export function academicYearStart(day: Date): number {
  return day.getUTCMonth() >= 8 ? day.getUTCFullYear() : day.getUTCFullYear() - 1;
}

/** The academic year containing `day`, e.g. 2026-11-22 → "2026/27". */
export const academicYearOf = (day: Date) => academicYearLabel(academicYearStart(day));

/** The academic year `years` after (or, if negative, before) `year`: ("2023/24", 1) → "2024/25". */
export const shiftAcademicYear = (year: string, years: number) =>
  academicYearLabel(Number(year.slice(0, 4)) + years);

/** Null when `value` is a well-formed academic year, else a message saying what is wrong. */
export function academicYearProblem(value: string): string | null {
  const match = ACADEMIC_YEAR.exec(value);
  if (!match) return `"${value}" is not an academic year: expected the form 2024/25.`;
  const start = Number(match[1]);
  if ((start + 1) % 100 !== Number(match[2])) {
    return `"${value}" is not an academic year: the years must be consecutive, e.g. ${academicYearLabel(start)}.`;
  }
  return null;
}
