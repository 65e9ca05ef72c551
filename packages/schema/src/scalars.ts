// Custom scalars. Academic years are written "2024/25" everywhere in the programme's documents.
import { academicYearProblem } from '@maths-hubs/db/domain';
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

export { academicYearOf, academicYearProblem, shiftAcademicYear } from '@maths-hubs/db/domain';

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

/** Midnight UTC of `now`'s day: deadlines are dates, and a deadline day is still open. */
export function startOfDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}
