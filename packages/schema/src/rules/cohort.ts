// A cohort's own rules: names, places and dates that agree with each other and the academic year.
// Pure, unit-tested; the resolvers add what needs the database (the hub, the programme).
import { academicYearOf } from '@maths-hubs/db/domain';
import { z } from 'zod';
import { startOfDay } from '../scalars.ts';
import { COHORT_TRANSITIONS, checkTransition } from './lifecycle.ts';
import { invalid, parseInput, type UserErrorShape } from './user-errors.ts';
import { shortText } from './validation.ts';

export const MAX_CAPACITY = 500;
const NAME_MESSAGE = 'Give a name of 1 to 200 characters.';
const day = (d: Date) => d.toISOString().slice(0, 10);

interface CohortDates {
  academicYear: string;
  applicationDeadline: Date | null;
  startsOn: Date | null;
  endsOn: Date | null;
}

const places = (least: number, message: string) => z.number().min(least, message).max(MAX_CAPACITY, message);

/** The dates in order, deadline before start, and the start in the cohort's academic year. */
export function checkCohortDates({ academicYear, applicationDeadline, startsOn, endsOn }: CohortDates) {
  const errors: UserErrorShape[] = [];
  if (startsOn && endsOn && endsOn < startsOn)
    errors.push(invalid(['endsOn'], `The cohort ends (${day(endsOn)}) before it starts (${day(startsOn)}).`));
  if (applicationDeadline && startsOn && applicationDeadline > startsOn) {
    errors.push(
      invalid(
        ['applicationDeadline'],
        `The deadline (${day(applicationDeadline)}) is after the start (${day(startsOn)}).`,
      ),
    );
  }
  if (startsOn && academicYearOf(startsOn) !== academicYear) {
    errors.push(
      invalid(
        ['startsOn'],
        `${day(startsOn)} is not in the academic year ${academicYear} (September to August).`,
      ),
    );
  }
  return errors;
}

export interface NewCohort extends CohortDates {
  name: string;
  capacity: number;
  applicationDeadline: Date;
}

/** A cohort about to open for applications, on the day `now`. */
export function checkNewCohort(input: NewCohort, now: Date): UserErrorShape[] {
  const { errors } = parseInput(
    z.object({
      name: shortText(NAME_MESSAGE),
      capacity: places(1, `Offer between 1 and ${MAX_CAPACITY} places.`),
    }),
    input,
  );
  if (input.applicationDeadline < startOfDay(now))
    errors.push(
      invalid(['applicationDeadline'], `The deadline ${day(input.applicationDeadline)} has passed.`),
    );
  return [...errors, ...checkCohortDates(input)];
}

export interface CohortChange {
  name?: string | null;
  capacity?: number | null;
  applicationDeadline?: Date | null;
  startsOn?: Date | null;
  endsOn?: Date | null;
  status?: string | null;
}

/** A change to an existing cohort, judged against what it is now. */
export function checkCohortChange(
  before: CohortDates & { status: string; placesTaken: number },
  change: CohortChange,
): UserErrorShape[] {
  const fields = z.object({
    name: shortText(NAME_MESSAGE).nullish(),
    capacity: places(
      before.placesTaken,
      `Capacity must be between the ${before.placesTaken} places already taken and ${MAX_CAPACITY}.`,
    ).nullish(),
  });
  const errors = change.status
    ? checkTransition('cohort', COHORT_TRANSITIONS, before.status, change.status)
    : [];
  return [
    ...errors,
    ...parseInput(fields, change).errors,
    ...checkCohortDates({
      academicYear: before.academicYear,
      applicationDeadline: change.applicationDeadline ?? before.applicationDeadline,
      startsOn: change.startsOn ?? before.startsOn,
      endsOn: change.endsOn ?? before.endsOn,
    }),
  ];
}
