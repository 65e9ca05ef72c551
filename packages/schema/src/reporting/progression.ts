// The statement behind `progression`: schools and people in one programme in one year, and how
// many of them are in another programme the following year. Every value is a bound parameter.
// A school that changed URN in between (an academy conversion, a merger: school_link, from the
// register's links file) has gone on if its successor is in the second programme. Statistics, by
// contrast, count each enrolment under the school it was made for: history stays as it was.
import { Prisma, type PrismaClient } from '@maths-hubs/db/client';
import { cellKeysOf } from './cell-key.ts';

export interface ProgressionCounts {
  schools: number;
  schoolsProgressed: number;
  participants: number;
  participantsProgressed: number;
  /** Cell keys (cell-key.ts) of each count, from the first year's enrolments it counts. */
  keys: { schools: number; schoolsProgressed: number; participants: number; participantsProgressed: number };
}

export async function progressionCounts(
  prisma: PrismaClient,
  fromProgramme: string,
  toProgramme: string,
  fromYear: string,
  toYear: string,
): Promise<ProgressionCounts> {
  const [row] = await prisma.$queryRaw<
    {
      schools: bigint;
      schools_on: bigint;
      people: bigint;
      people_on: bigint;
      key_sum: bigint | null;
      key_sum_schools_on: bigint | null;
      key_sum_people_on: bigint | null;
    }[]
  >(Prisma.sql`
        WITH took AS (
          SELECT e.school_id, e.participant_id, e.record_key, p.slug, c.academic_year
            FROM enrolment e JOIN cohort c ON c.id = e.cohort_id JOIN programme p ON p.id = c.programme_id
           WHERE e.status IN ('ACCEPTED', 'ACTIVE', 'COMPLETED', 'WITHDRAWN') AND c.status <> 'CANCELLED'
             AND ((p.slug = ${fromProgramme} AND c.academic_year = ${fromYear}) OR (p.slug = ${toProgramme} AND c.academic_year = ${toYear}))
        ), before AS (SELECT * FROM took WHERE slug = ${fromProgramme} AND academic_year = ${fromYear}),
           after AS (SELECT * FROM took WHERE slug = ${toProgramme} AND academic_year = ${toYear}),
           -- Each school of the first year under the URN it has in the second, where it changed.
           successor AS (
             SELECT old.id AS school_id, new.id AS successor_id
               FROM school_link l
               JOIN school old ON old.urn = l.predecessor_urn
               JOIN school new ON new.urn = l.successor_urn
              WHERE old.id IN (SELECT school_id FROM before)
           )
        SELECT count(DISTINCT b.school_id) AS schools,
               count(DISTINCT b.school_id) FILTER (WHERE b.school_on) AS schools_on,
               count(DISTINCT b.participant_id) AS people,
               count(DISTINCT b.participant_id) FILTER (WHERE b.person_on) AS people_on,
               sum(b.record_key) AS key_sum,
               sum(b.record_key) FILTER (WHERE b.school_on) AS key_sum_schools_on,
               sum(b.record_key) FILTER (WHERE b.person_on) AS key_sum_people_on
          FROM (SELECT b.*,
                       b.school_id IN (SELECT school_id FROM after)
                         OR b.school_id IN (SELECT x.school_id FROM successor x JOIN after a ON a.school_id = x.successor_id)
                         AS school_on,
                       b.participant_id IN (SELECT participant_id FROM after) AS person_on
                  FROM before b) b`);
  const keys = (v: bigint | null | undefined) => cellKeysOf(Number(v ?? 0));
  return {
    schools: Number(row?.schools ?? 0),
    schoolsProgressed: Number(row?.schools_on ?? 0),
    participants: Number(row?.people ?? 0),
    participantsProgressed: Number(row?.people_on ?? 0),
    keys: {
      schools: keys(row?.key_sum).schools,
      schoolsProgressed: keys(row?.key_sum_schools_on).schools,
      participants: keys(row?.key_sum).participants,
      participantsProgressed: keys(row?.key_sum_people_on).participants,
    },
  };
}
