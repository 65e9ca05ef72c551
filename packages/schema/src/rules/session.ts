// A session's own rules: a title, a sensible length, inside its cohort's dates; and a register
// that names each enrolment once. Pure, unit-tested.
import { z } from 'zod';
import { invalid, parseInput, type UserErrorShape } from './user-errors.ts';
import { shortText } from './validation.ts';

export const MAX_ATTENDANCE_RECORDS = 500;
const day = (d: Date) => d.toISOString().slice(0, 10);

const sessionFields = z.object({
  title: shortText('Give a title of 1 to 200 characters.'),
  durationMinutes: z
    .number()
    .min(15, 'A session lasts between 15 minutes and a day (1440).')
    .max(1440, 'A session lasts between 15 minutes and a day (1440).'),
});

interface CohortForSessions {
  code: string;
  status: string;
  startsOn: Date | null;
  endsOn: Date | null;
}

/** A session to add to `cohort`. */
export function checkNewSession(
  input: { title: string; durationMinutes: number; startsAt: Date },
  cohort: CohortForSessions,
): UserErrorShape[] {
  const errors: UserErrorShape[] = [];
  if (cohort.status === 'CANCELLED' || cohort.status === 'COMPLETED')
    errors.push(invalid(['cohortId'], `${cohort.code} is ${cohort.status.toLowerCase()}: no more sessions.`));
  errors.push(...parseInput(sessionFields, input).errors);
  const startDay = day(input.startsAt);
  const { startsOn, endsOn } = cohort;
  if ((startsOn && startDay < day(startsOn)) || (endsOn && startDay > day(endsOn))) {
    errors.push(
      invalid(
        ['startsAt'],
        `${startDay} is outside the cohort’s dates (${startsOn ? day(startsOn) : '…'} to ${endsOn ? day(endsOn) : '…'}).`,
      ),
    );
  }
  return errors;
}

/** A register for a session starting at `startsAt`, on `now`; `ids` are the decoded enrolment ids. */
export function checkRegister(startsAt: Date, now: Date, ids: (number | null)[]): UserErrorShape[] {
  const errors: UserErrorShape[] = [];
  if (startsAt > now) {
    errors.push(
      invalid(
        ['sessionId'],
        `The session starts at ${startsAt.toISOString()}: record attendance once it has started.`,
      ),
    );
  }
  if (ids.length > MAX_ATTENDANCE_RECORDS)
    errors.push(invalid(['records'], `Record at most ${MAX_ATTENDANCE_RECORDS} people at once.`));
  if (new Set(ids).size !== ids.length) errors.push(invalid(['records'], 'Each enrolment may appear once.'));
  return errors;
}
