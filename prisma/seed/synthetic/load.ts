// The loader: writes generated rows set-based — parent tables through batched
// `INSERT … SELECT FROM unnest(…)`, attendance with one `INSERT … SELECT` in the database.

import type { Sql } from '../../sql.ts';
import type { Generated } from './rows.ts';

const BATCH = 20_000;

/** Inserts rows in batches with one `INSERT … SELECT FROM unnest(…)` per batch. */
async function insertBatches<T>(
  sql: Sql,
  rows: T[],
  columns: { type: string; value: (row: T) => unknown }[],
  statement: (unnest: string) => string,
) {
  const unnest = `unnest(${columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')})`;
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    await sql.query(
      statement(unnest),
      columns.map((c) => batch.map(c.value)),
    );
  }
}

async function idMap(sql: Sql, query: string, params: unknown[] = []) {
  const rows = await sql.query<{ key: string; id: number }>(query, params);
  return new Map(rows.map((r) => [r.key, r.id]));
}

/**
 * The generated rows without the schools the register already holds (imported with
 * `pnpm db:import-schools`): a synthetic layer never overwrites a real school, so those schools,
 * their people, and the applications and enrolments that name them are left out.
 */
export async function withoutRegisterSchools(sql: Sql, data: Generated): Promise<Generated> {
  const taken = new Set(
    (
      await sql.query<{ urn: string }>(
        'SELECT urn FROM school WHERE NOT synthetic AND urn = ANY($1::text[])',
        [data.schools.map((s) => s.urn)],
      )
    ).map((r) => r.urn),
  );
  if (taken.size === 0) return data;
  const people = data.people.filter((p) => !taken.has(p.urn));
  const emails = new Set(people.map((p) => p.email));
  return {
    schools: data.schools.filter((s) => !taken.has(s.urn)),
    people,
    cohorts: data.cohorts.map((c) =>
      c.leadEmail && !emails.has(c.leadEmail) ? { ...c, leadEmail: null } : c,
    ),
    sessions: data.sessions,
    applications: data.applications.filter((a) => !taken.has(a.urn)),
    enrolments: data.enrolments.filter((e) => !taken.has(e.urn) && emails.has(e.email)),
  };
}

/** Loads generated rows; to be called inside a transaction. */
export async function load(sql: Sql, generated: Generated, today: Date): Promise<void> {
  const data = await withoutRegisterSchools(sql, generated);
  await insertBatches(
    sql,
    data.schools,
    [
      { type: 'text', value: (s) => s.urn },
      { type: 'text', value: (s) => s.name },
      { type: 'text', value: (s) => s.phase },
      { type: 'text', value: (s) => s.type },
      { type: 'bool', value: (s) => s.stateFunded },
      { type: 'text', value: (s) => s.localAuthority },
      { type: 'text', value: (s) => s.postcode },
      { type: 'text', value: (s) => s.trust },
      { type: 'int', value: (s) => s.hubId },
    ],
    (
      u,
    ) => `INSERT INTO school (urn, name, phase, type, state_funded, local_authority, postcode, trust, hub_id, synthetic)
    SELECT urn, name, phase::"SchoolPhase", type::"SchoolType", sf, la, pc, trust, hub, true
      FROM ${u} AS t(urn, name, phase, type, sf, la, pc, trust, hub)`,
  );
  const schoolIds = await idMap(sql, 'SELECT urn AS key, id FROM school WHERE synthetic');

  await insertBatches(
    sql,
    data.people,
    [
      { type: 'text', value: (p) => p.name },
      { type: 'text', value: (p) => p.email },
      { type: 'text', value: (p) => p.trn },
      { type: 'bool', value: (p) => p.qts },
      { type: 'int', value: (p) => p.yearsTeaching },
      { type: 'int', value: (p) => schoolIds.get(p.urn) },
    ],
    (u) => `INSERT INTO participant (name, email, trn, qts, years_teaching, school_id, synthetic)
    SELECT name, email, trn, qts, yrs, school, true FROM ${u} AS t(name, email, trn, qts, yrs, school)`,
  );
  const personIds = await idMap(sql, 'SELECT email AS key, id FROM participant WHERE synthetic');

  await insertBatches(
    sql,
    data.cohorts,
    [
      { type: 'text', value: (c) => c.code },
      { type: 'text', value: (c) => c.name },
      { type: 'int', value: (c) => c.programmeId },
      { type: 'int', value: (c) => c.hubId },
      { type: 'text', value: (c) => c.academicYear },
      { type: 'text', value: (c) => c.status },
      { type: 'int', value: (c) => c.capacity },
      { type: 'int', value: (c) => c.placesTaken },
      { type: 'date', value: (c) => c.deadline },
      { type: 'date', value: (c) => c.startsOn },
      { type: 'date', value: (c) => c.endsOn },
      { type: 'int', value: (c) => (c.leadEmail ? personIds.get(c.leadEmail) : null) },
    ],
    (u) => `INSERT INTO cohort (code, name, programme_id, hub_id, region_id, academic_year, status, capacity,
      places_taken, application_deadline, starts_on, ends_on, lead_id, synthetic, updated_at)
    SELECT t.code, t.name, t.programme, t.hub, h.region_id, t.year, t.status::"CohortStatus", t.capacity, t.taken,
           t.deadline, t.starts, t.ends, t.lead, true, now()
      FROM ${u} AS t(code, name, programme, hub, year, status, capacity, taken, deadline, starts, ends, lead)
      JOIN hub h ON h.id = t.hub`,
  );
  const cohortIds = await idMap(sql, 'SELECT code AS key, id FROM cohort WHERE synthetic');

  await insertBatches(
    sql,
    data.sessions,
    [
      { type: 'int', value: (s) => cohortIds.get(s.cohortCode) },
      { type: 'text', value: (s) => s.kind },
      { type: 'text', value: (s) => s.title },
      { type: 'timestamptz', value: (s) => s.startsAt },
      { type: 'int', value: (s) => s.minutes },
      { type: 'text', value: (s) => s.mode },
    ],
    (u) => `INSERT INTO session (cohort_id, kind, title, starts_at, duration_minutes, mode)
    SELECT cohort, kind::"SessionKind", title, starts, minutes, mode::"SessionMode"
      FROM ${u} AS t(cohort, kind, title, starts, minutes, mode)`,
  );

  await insertBatches(
    sql,
    data.applications,
    [
      { type: 'int', value: (a) => cohortIds.get(a.cohortCode) },
      { type: 'int', value: (a) => schoolIds.get(a.urn) },
      { type: 'text', value: (a) => a.status },
      { type: 'timestamptz', value: (a) => a.submittedAt },
      { type: 'timestamptz', value: (a) => a.decidedAt },
      { type: 'text', value: (a) => a.headteacher },
      { type: 'text', value: (a) => a.hod },
      { type: 'text', value: (a) => a.hodTrn },
      { type: 'text', value: (a) => a.statement },
    ],
    (u) => `INSERT INTO application (cohort_id, school_id, status, live, contact_telephone, headteacher_name,
      headteacher_email, head_of_department_name, head_of_department_email, head_of_department_trn,
      statement, commitments_confirmed, submitted_at, decided_at)
    SELECT cohort, school, status::"ApplicationStatus", true, '01632 960000', head,
           lower(replace(head, ' ', '.')) || '.' || school || '@head.example.org', hod,
           lower(replace(hod, ' ', '.')) || '.' || school || '@hod.example.org', trn, statement, true, submitted, decided
      FROM ${u} AS t(cohort, school, status, submitted, decided, head, hod, trn, statement)`,
  );
  const applicationIds = await idMap(
    sql,
    `SELECT a.cohort_id || '|' || a.school_id AS key, a.id
      FROM application a JOIN cohort c ON c.id = a.cohort_id WHERE c.synthetic`,
  );
  const applicationKey = (cohortCode: string, urn: string) =>
    `${cohortIds.get(cohortCode)}|${schoolIds.get(urn)}`;

  const advocates = data.applications.flatMap((a) =>
    a.advocates.map((p, position) => ({
      ...p,
      position,
      applicationId: applicationIds.get(applicationKey(a.cohortCode, a.urn)),
    })),
  );
  await insertBatches(
    sql,
    advocates,
    [
      { type: 'int', value: (a) => a.applicationId },
      { type: 'int', value: (a) => a.position },
      { type: 'text', value: (a) => a.name },
      { type: 'text', value: (a) => a.email },
      { type: 'text', value: (a) => a.trn },
    ],
    (
      u,
    ) => `INSERT INTO application_advocate (application_id, position, name, email, trn, year_groups_taught, responsibility)
    SELECT app, pos, name, email, trn, 'Years 7-9', CASE WHEN pos = 0 THEN 'Key Stage 3 lead' ELSE 'Class teacher' END
      FROM ${u} AS t(app, pos, name, email, trn)`,
  );

  await insertBatches(
    sql,
    data.enrolments,
    [
      { type: 'int', value: (e) => personIds.get(e.email) },
      { type: 'int', value: (e) => cohortIds.get(e.cohortCode) },
      { type: 'int', value: (e) => schoolIds.get(e.urn) },
      { type: 'int', value: (e) => applicationIds.get(applicationKey(e.cohortCode, e.urn)) },
      { type: 'text', value: (e) => e.role },
      { type: 'text', value: (e) => e.status },
    ],
    (
      u,
    ) => `INSERT INTO enrolment (participant_id, cohort_id, school_id, application_id, role, status, updated_at)
    SELECT person, cohort, school, app, role::"EnrolmentRole", status::"EnrolmentStatus", now()
      FROM ${u} AS t(person, cohort, school, app, role, status)`,
  );

  // Attendance for every session already held, decided by a fixed arithmetic hash of the two ids:
  // most attend, a few send apologies; people who withdrew miss the second half of the year.
  await sql.query(
    `INSERT INTO attendance (session_id, enrolment_id, status, recorded_at)
     SELECT s.id, e.id,
            (CASE WHEN e.status = 'WITHDRAWN' AND s.starts_at > c.starts_on + (c.ends_on - c.starts_on) / 2 THEN 'ABSENT'
                  WHEN (s.id::bigint * 7919 + e.id::bigint * 104729) % 100 < 86 THEN 'PRESENT'
                  WHEN (s.id::bigint * 7919 + e.id::bigint * 104729) % 100 < 93 THEN 'EXCUSED'
                  ELSE 'ABSENT' END)::"AttendanceStatus",
            s.starts_at + make_interval(mins => s.duration_minutes)
       FROM session s
       JOIN cohort c ON c.id = s.cohort_id AND c.synthetic
       JOIN enrolment e ON e.cohort_id = s.cohort_id AND e.status IN ('ACTIVE', 'COMPLETED', 'WITHDRAWN')
      WHERE s.starts_at < $1`,
    [today.toISOString()],
  );
}

/** Removes every synthetic row (and what hangs off it). */
export async function clearSynthetic(sql: Sql): Promise<void> {
  await sql.exec(`
    DELETE FROM attendance WHERE enrolment_id IN (SELECT e.id FROM enrolment e JOIN cohort c ON c.id = e.cohort_id WHERE c.synthetic);
    DELETE FROM enrolment WHERE cohort_id IN (SELECT id FROM cohort WHERE synthetic)
                             OR participant_id IN (SELECT id FROM participant WHERE synthetic);
    DELETE FROM application WHERE cohort_id IN (SELECT id FROM cohort WHERE synthetic);
    DELETE FROM cohort WHERE synthetic;
    UPDATE cohort SET lead_id = NULL WHERE lead_id IN (SELECT id FROM participant WHERE synthetic);
    DELETE FROM participant WHERE synthetic;
    DELETE FROM school WHERE synthetic;
  `);
}
