// Cohort, session, attendance and enrolment mutations: the role matrix, validation, lifecycles, audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, type TestApi, testApi } from './helpers/api.ts';
import { testDbKind } from './helpers/fixtures.ts';

let api: TestApi;
const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');
const CREATE = `mutation($input: CreateCohortInput!) { createCohort(input: $input) { cohort { id code status capacity hub { code } } userErrors { field message code } } }`;
const UPDATE = `mutation($input: UpdateCohortInput!) { updateCohort(input: $input) { cohort { status capacity } userErrors { field message code } } }`;
const SCHEDULE = `mutation($input: ScheduleSessionInput!) { scheduleSession(input: $input) { session { id title } userErrors { field message code } } }`;
const RECORD = `mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { recorded userErrors { field message code } } }`;
const ENROLMENT = `mutation($input: UpdateEnrolmentStatusInput!) { updateEnrolmentStatus(input: $input) { enrolment { status } userErrors { field message code } } }`;
const newCohort = (over: Record<string, unknown> = {}) => ({
  programmeSlug: 'secondary-tfm-development',
  hubCode: 'WM1',
  academicYear: '2027/28',
  name: 'Test Work Group',
  capacity: 6,
  applicationDeadline: '2027-06-30',
  startsOn: '2027-09-15',
  endsOn: '2028-07-10',
  ...over,
});
/**
 * Runs a mutation; its only top-level errors may be FORBIDDEN ones, each repeating a FORBIDDEN
 * userError of the payload (a refusal is both data and an error).
 */
const run = async (query: string, input: Record<string, unknown>, as: Caller) => {
  const result = await api.gql(query, { input }, as);
  const payload = Object.values(result.data ?? {})[0] as { userErrors: any[]; [k: string]: any };
  const forbidden = payload.userErrors.filter((e) => e.code === 'FORBIDDEN').map((e) => e.message);
  expect((result.errors ?? []).map((e) => [e.extensions?.code, e.message])).toEqual(
    forbidden.map((message) => ['FORBIDDEN', message]),
  );
  return payload;
};

beforeAll(async () => {
  api = await testApi();
});
afterAll(async () => {
  await api?.close();
});

describe(`role matrix for every mutation (${testDbKind()})`, () => {
  it('createCohort: own hub staff and admins only', async () => {
    for (const caller of ['anonymous', 'analyst', 'nw6Staff'] as const) {
      expect((await run(CREATE, newCohort(), caller)).userErrors).toEqual([
        expect.objectContaining({ code: 'FORBIDDEN' }),
      ]);
    }
    const staff = await run(CREATE, newCohort(), 'wm1Staff');
    expect(staff.userErrors).toEqual([]);
    expect(staff.cohort).toMatchObject({
      code: 'WM1-SEC-TFM-DEV-2027-28-2',
      status: 'RECRUITING',
      hub: { code: 'WM1' },
    });
    expect((await run(CREATE, newCohort(), 'admin')).cohort.code).toBe('WM1-SEC-TFM-DEV-2027-28-3');
  });

  it('updateCohort, scheduleSession, recordAttendance, updateEnrolmentStatus: own hub staff and admins only', async () => {
    const [row] = await api.db.sql.query<{ cohort: number; session: number; enrolment: number }>(
      `SELECT c.id AS cohort, s.id AS session, e.id AS enrolment FROM cohort c JOIN hub h ON h.id = c.hub_id
         JOIN session s ON s.cohort_id = c.id JOIN enrolment e ON e.cohort_id = c.id
        WHERE h.code = 'WM1' AND c.status = 'RUNNING' AND e.status = 'ACTIVE' AND s.starts_at < '2026-11-01' ORDER BY s.id LIMIT 1`,
    );
    const inputs: [string, Record<string, unknown>][] = [
      [UPDATE, { cohortId: gid('Cohort', row!.cohort), name: 'Renamed' }],
      [
        SCHEDULE,
        {
          cohortId: gid('Cohort', row!.cohort),
          kind: 'WORKSHOP',
          title: 'Extra',
          startsAt: '2027-01-20T13:00:00Z',
          durationMinutes: 90,
          mode: 'ONLINE',
        },
      ],
      [
        RECORD,
        {
          sessionId: gid('Session', row!.session),
          records: [{ enrolmentId: gid('Enrolment', row!.enrolment), status: 'PRESENT' }],
        },
      ],
      [ENROLMENT, { enrolmentId: gid('Enrolment', row!.enrolment), status: 'ACTIVE' }],
    ];
    for (const [query, input] of inputs) {
      for (const caller of ['anonymous', 'analyst', 'nw6Staff'] as const) {
        expect((await run(query, input, caller)).userErrors, `${query.slice(9, 30)} as ${caller}`).toEqual([
          expect.objectContaining({ code: 'FORBIDDEN' }),
        ]);
      }
      expect((await run(query, input, 'wm1Staff')).userErrors, query.slice(9, 30)).toEqual([]);
    }
  });
});

describe(`cohort lifecycle and validation (${testDbKind()})`, () => {
  it('explains bad cohort input field by field', async () => {
    const r = await run(
      CREATE,
      newCohort({
        capacity: 0,
        applicationDeadline: '2020-01-01',
        startsOn: '2028-10-01',
        endsOn: '2027-09-01',
        name: '',
      }),
      'admin',
    );
    expect(r.userErrors.map((e) => e.field.join('.')).sort()).toEqual([
      'input.applicationDeadline',
      'input.capacity',
      'input.endsOn',
      'input.name',
      'input.startsOn',
    ]);
  });

  it('moves only along the lifecycle, and never below the places taken', async () => {
    const { cohort } = await run(CREATE, newCohort({ hubCode: 'WM2' }), 'admin');
    const id = cohort.id;
    expect((await run(UPDATE, { cohortId: id, status: 'COMPLETED' }, 'admin')).userErrors[0].message).toBe(
      'A recruiting cohort cannot become completed: it can become running or cancelled.',
    );
    expect((await run(UPDATE, { cohortId: id, status: 'RUNNING', capacity: 8 }, 'admin')).cohort).toEqual({
      status: 'RUNNING',
      capacity: 8,
    });
    await api.db.sql.query(`UPDATE cohort SET places_taken = 5 WHERE code = $1`, [cohort.code]);
    expect((await run(UPDATE, { cohortId: id, capacity: 4 }, 'admin')).userErrors[0]).toMatchObject({
      field: ['input', 'capacity'],
      code: 'INVALID',
    });
    expect((await run(UPDATE, { cohortId: id, status: 'COMPLETED' }, 'admin')).cohort.status).toBe(
      'COMPLETED',
    );
    expect((await run(UPDATE, { cohortId: id, status: 'CANCELLED' }, 'admin')).userErrors[0].message).toMatch(
      /completed cohort cannot become cancelled/,
    );
    const entries = await api.ok(
      'query($id: String!) { auditLog(filter: { entityType: "Cohort", entityId: $id }) { nodes { action before after } } }',
      {
        id: String(Buffer.from(id, 'base64').toString().split(':')[1]),
      },
      'admin',
    );
    expect(entries.auditLog.nodes.map((n: any) => n.action)).toEqual([
      'updateCohort',
      'updateCohort',
      'createCohort',
    ]);
    expect(JSON.parse(entries.auditLog.nodes[1].before)).toEqual({ capacity: 6, status: 'RECRUITING' });
  });

  it('keeps sessions within the cohort’s dates and one per moment', async () => {
    const { cohort } = await run(CREATE, newCohort({ hubCode: 'WM3' }), 'admin');
    const session = {
      cohortId: cohort.id,
      kind: 'HALF_DAY_MEETING',
      title: 'Meeting 1',
      startsAt: '2027-10-05T08:30:00Z',
      durationMinutes: 180,
      mode: 'IN_PERSON',
    };
    expect((await run(SCHEDULE, session, 'admin')).userErrors).toEqual([]);
    expect((await run(SCHEDULE, session, 'admin')).userErrors).toEqual([
      expect.objectContaining({ code: 'DUPLICATE' }),
    ]);
    expect(
      (await run(SCHEDULE, { ...session, startsAt: '2028-08-01T08:30:00Z' }, 'admin')).userErrors[0].message,
    ).toMatch(/outside the cohort’s dates \(2027-09-15 to 2028-07-10\)/);
  });
});

describe(`attendance and enrolments (${testDbKind()})`, () => {
  it('records attendance idempotently, for the cohort’s own enrolments only, once the session has started', async () => {
    const [row] = await api.db.sql.query<{
      session: number;
      enrolment: number;
      other: number;
      future: number;
    }>(
      `SELECT s.id AS session, e.id AS enrolment,
              (SELECT e2.id FROM enrolment e2 WHERE e2.cohort_id <> c.id LIMIT 1) AS other,
              (SELECT s2.id FROM session s2 WHERE s2.starts_at > now() + interval '30 days' LIMIT 1) AS future
         FROM session s JOIN cohort c ON c.id = s.cohort_id JOIN enrolment e ON e.cohort_id = c.id
        WHERE s.starts_at < '2026-10-01' AND c.hub_id IS NOT NULL ORDER BY s.id LIMIT 1`,
    );
    const input = (status: string) => ({
      sessionId: gid('Session', row!.session),
      records: [{ enrolmentId: gid('Enrolment', row!.enrolment), status }],
    });
    expect((await run(RECORD, input('ABSENT'), 'admin')).recorded).toBe(1);
    expect((await run(RECORD, input('PRESENT'), 'admin')).recorded).toBe(1);
    const rows = await api.db.prisma.attendance.findMany({
      where: { sessionId: row!.session, enrolmentId: row!.enrolment },
    });
    expect(rows.map((r) => r.status)).toEqual(['PRESENT']);
    const foreign = await run(
      RECORD,
      {
        sessionId: gid('Session', row!.session),
        records: [{ enrolmentId: gid('Enrolment', row!.other), status: 'PRESENT' }],
      },
      'admin',
    );
    expect(foreign.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'records', '0', 'enrolmentId'], code: 'NOT_FOUND' }),
    ]);
    expect(row!.future).toBeTruthy();
    const early = await run(RECORD, { sessionId: gid('Session', row!.future), records: [] }, 'admin');
    expect(early.userErrors[0].message).toMatch(/once it has started/);
  });

  it('moves enrolments along their lifecycle only', async () => {
    const [e] = await api.db.sql.query<{ id: number }>(
      `SELECT id FROM enrolment WHERE status = 'COMPLETED' LIMIT 1`,
    );
    const r = await run(ENROLMENT, { enrolmentId: gid('Enrolment', e!.id), status: 'ACTIVE' }, 'admin');
    expect(r.userErrors[0].message).toBe('A completed enrolment cannot become active.');
    const [a] = await api.db.sql.query<{ id: number }>(
      `SELECT id FROM enrolment WHERE status = 'ACTIVE' LIMIT 1`,
    );
    expect(
      (await run(ENROLMENT, { enrolmentId: gid('Enrolment', a!.id), status: 'COMPLETED' }, 'admin')).enrolment
        .status,
    ).toBe('COMPLETED');
  });

  it('lets only national admins read the audit log', async () => {
    expect((await api.gql('{ auditLog { totalCount } }', {}, 'wm1Staff')).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect((await api.ok('{ auditLog { totalCount } }', {}, 'admin')).auditLog.totalCount).toBeGreaterThan(0);
  });
});

describe(`mutations under concurrency (${testDbKind()})`, () => {
  const nextYear = {
    academicYear: '2028/29',
    applicationDeadline: '2028-06-30',
    startsOn: '2028-09-15',
    endsOn: '2029-07-10',
  };

  it('createCohort: simultaneous requests each get a code of their own, none an unexpected error', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        run(CREATE, newCohort({ ...nextYear, name: `Race ${i}` }), 'admin'),
      ),
    );
    expect(results.map((r) => r.userErrors)).toEqual(results.map(() => []));
    expect(results.map((r) => r.cohort.code).sort()).toEqual(
      ['', '-2', '-3', '-4', '-5', '-6'].map((n) => `WM1-SEC-TFM-DEV-2028-29${n}`).sort(),
    );
  });

  it('scheduleSession: of simultaneous requests for one time, one is scheduled and the rest told it is taken', async () => {
    const cohort = (await run(CREATE, newCohort({ ...nextYear, name: 'Session race' }), 'admin')).cohort;
    const session = {
      cohortId: cohort.id,
      kind: 'WORKSHOP',
      title: 'Launch',
      startsAt: '2028-10-02T13:00:00Z',
      durationMinutes: 90,
      mode: 'ONLINE',
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => run(SCHEDULE, session, 'admin')));
    expect(results.filter((r) => r.session !== null)).toHaveLength(1);
    for (const r of results.filter((r) => r.session === null)) {
      expect(r.userErrors).toEqual([
        {
          field: ['input', 'startsAt'],
          message: 'The cohort already has a session at 2028-10-02T13:00:00.000Z.',
          code: 'DUPLICATE',
        },
      ]);
    }
    const [row] = await api.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM session s JOIN cohort c ON c.id = s.cohort_id WHERE c.code = $1`,
      [cohort.code],
    );
    expect(row?.n).toBe(1);
  });
});
