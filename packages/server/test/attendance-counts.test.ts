// Per-enrolment attendance counts (kept by triggers on attendance) always equal a recount of the
// attendance rows: after the seed, after random recordAttendance calls through the API, after
// concurrent ones, and after the direct writes the API never makes (updates, deletes, cascades).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from './helpers/api.ts';
import { testDbKind } from './helpers/fixtures.ts';

const RECORD = `mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { recorded userErrors { field message code } } }`;
const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');
const STATUSES = ['PRESENT', 'ABSENT', 'EXCUSED'] as const;

let api: TestApi;
beforeAll(async () => {
  api = await testApi();
});
afterAll(async () => {
  await api?.close();
});

/** Enrolments whose kept counts differ from a recount (none, when the triggers are right). */
async function drift() {
  return api.db.sql.query<{ id: number; kept: string; counted: string }>(
    `SELECT e.id, e.sessions_present || '/' || e.sessions_recorded AS kept,
            coalesce(a.present, 0) || '/' || coalesce(a.recorded, 0) AS counted
       FROM enrolment e
       LEFT JOIN (SELECT enrolment_id, count(*) AS recorded, count(*) FILTER (WHERE status = 'PRESENT') AS present
                    FROM attendance GROUP BY enrolment_id) a ON a.enrolment_id = e.id
      WHERE e.sessions_present <> coalesce(a.present, 0) OR e.sessions_recorded <> coalesce(a.recorded, 0)`,
  );
}

/** Held sessions of WM1 running cohorts, each with the ids of its cohort's enrolments. */
async function heldSessions() {
  return api.db.sql.query<{ session: number; enrolments: number[] }>(
    `SELECT s.id AS session, array_agg(e.id ORDER BY e.id) AS enrolments
       FROM session s JOIN cohort c ON c.id = s.cohort_id JOIN hub h ON h.id = c.hub_id
       JOIN enrolment e ON e.cohort_id = c.id
      WHERE h.code = 'WM1' AND c.status = 'RUNNING' AND s.starts_at < '2026-11-01'
      GROUP BY s.id ORDER BY s.id LIMIT 12`,
  );
}

async function record(session: number, records: { enrolment: number; status: string }[]) {
  const { data } = await api.gql(
    RECORD,
    {
      input: {
        sessionId: gid('Session', session),
        records: records.map((r) => ({ enrolmentId: gid('Enrolment', r.enrolment), status: r.status })),
      },
    },
    'admin',
  );
  expect(data.recordAttendance.userErrors).toEqual([]);
}

describe(`per-enrolment attendance counts (${testDbKind()})`, () => {
  it('are loaded by the seed', async () => {
    const [row] = await api.db.sql.query<{ recorded: string }>(
      'SELECT sum(sessions_recorded)::text AS recorded FROM enrolment',
    );
    expect(Number(row?.recorded)).toBeGreaterThan(100);
    expect(await drift()).toEqual([]);
  });

  it('equal a recount after random recordAttendance calls', async () => {
    const sessions = await heldSessions();
    expect(sessions.length).toBeGreaterThan(2);
    await fc.assert(
      fc.asyncProperty(
        fc.nat(sessions.length - 1),
        fc.infiniteStream(fc.constantFrom(...STATUSES)),
        fc.integer({ min: 1, max: 8 }),
        async (which, statuses, size) => {
          const { session, enrolments } = sessions[which]!;
          const chosen = enrolments.slice(0, size);
          await record(
            session,
            chosen.map((enrolment) => ({ enrolment, status: statuses.next().value })),
          );
          expect(await drift()).toEqual([]);
        },
      ),
      { numRuns: 25, seed: 20261127 },
    );
  });

  it('equal a recount after concurrent writers touch the same enrolments in opposite orders', async () => {
    const sessions = (await heldSessions()).filter((s) => s.enrolments.length >= 4);
    const byCohort = sessions.filter((s) => s.enrolments[0] === sessions[0]!.enrolments[0]);
    expect(byCohort.length).toBeGreaterThan(1);
    const writes = byCohort.flatMap(({ session, enrolments }, i) => {
      const order = i % 2 === 0 ? enrolments : [...enrolments].reverse();
      return [0, 1].map((round) =>
        record(
          session,
          order.map((enrolment, j) => ({ enrolment, status: STATUSES[(i + j + round) % 3]! })),
        ),
      );
    });
    await Promise.all(writes);
    expect(await drift()).toEqual([]);
  });

  it('equal a recount after direct updates, deletes and cascading deletes', async () => {
    await api.db.sql.exec(`
      UPDATE attendance SET status = 'ABSENT' WHERE (session_id + enrolment_id) % 7 = 0 AND status = 'PRESENT';
      UPDATE attendance SET status = 'PRESENT' WHERE (session_id + enrolment_id) % 11 = 0;
      DELETE FROM attendance WHERE (session_id * 3 + enrolment_id) % 13 = 0;
      DELETE FROM session WHERE id IN (SELECT session_id FROM attendance ORDER BY session_id LIMIT 1);
    `);
    expect(await drift()).toEqual([]);
  });

  it('give each enrolment the attendance rate a recount gives', async () => {
    const [row] = await api.db.sql.query<{ id: number; rate: number }>(
      `SELECT enrolment_id AS id, (count(*) FILTER (WHERE status = 'PRESENT'))::float8 / count(*) AS rate
         FROM attendance GROUP BY enrolment_id HAVING count(DISTINCT status) > 1 ORDER BY enrolment_id LIMIT 1`,
    );
    const { data } = await api.gql(
      `query($id: ID!) { node(id: $id) { ... on Enrolment { attendanceRate } } }`,
      { id: gid('Enrolment', row!.id) },
      'admin',
    );
    expect(data.node.attendanceRate).toBeCloseTo(row!.rate, 10);
  });
});
