// The response cache and writes, under the production defaults (cache, cost and rate limits on):
// a mutation is executed every time, however often the same body is sent; a write drops exactly
// the cached answers it can change; a write racing a read leaves no stale answer; no answer
// outlives its day.
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationDocument } from '../../sdk/scripts/documents.ts';
import { PERSISTED_OPERATIONS } from '../src/server.ts';
import { type Caller, type TestApi, testApi } from './helpers/api.ts';
import { SEED_TODAY, testDbKind } from './helpers/fixtures.ts';
import { applicationForm } from './helpers/forms.ts';

const HUB_PAGE = operationDocument('HubPage');
const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');

describe(`the response cache and writes (${testDbKind()})`, () => {
  let api: TestApi;
  let executions = 0;
  let today = SEED_TODAY;
  /** Held open by a test, to make a read last across a write. */
  let gate: Promise<void> | null = null;
  beforeAll(async () => {
    api = await testApi({
      clock: () => today,
      plugins: [
        {
          async onExecute({ args }) {
            executions++;
            if (args.operationName === 'Slow' && gate) await gate;
          },
        },
      ],
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  /** Sends exactly this body (so that two calls are byte-identical) and counts executions. */
  const send = async (body: Record<string, unknown>, as: Caller = 'anonymous', from?: string) => {
    const before = executions;
    const response = await api.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: api.headersFor(as, from ? { 'x-forwarded-for': from } : {}),
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as any;
    return { status: response.status, json, executed: executions - before };
  };
  const twice = async (query: string, variables: Record<string, unknown>, as: Caller) => {
    const first = await send({ query, variables }, as);
    const second = await send({ query, variables }, as);
    expect(first.executed, query.slice(0, 60)).toBe(1);
    expect(second.executed, query.slice(0, 60)).toBe(1);
    expect(second.json.extensions?.responseCache?.hit).not.toBe(true);
    return [first.json.data, second.json.data] as const;
  };
  /** Asks until the answer is stored (stored after it is sent), then says whether the next is a hit. */
  const cached = async (query: string, variables: Record<string, unknown>, as: Caller = 'anonymous') => {
    for (let i = 0; i < 80; i++) {
      const r = await send({ query, variables }, as);
      if (r.json.extensions?.responseCache?.hit) return r;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('the answer never reached the cache');
  };
  const hit = async (query: string, variables: Record<string, unknown>, as: Caller = 'anonymous') =>
    (await send({ query, variables }, as)).json.extensions?.responseCache?.hit === true;

  const recruitingCohort = async (hub: string, offset = 0) => {
    const [row] = await api.db.sql.query<{ id: number; code: string; hub_id: number }>(
      `SELECT c.id, c.code, c.hub_id FROM cohort c JOIN hub h ON h.id = c.hub_id JOIN programme p ON p.id = c.programme_id
        WHERE p.slug = 'secondary-tfm-development' AND c.status = 'RECRUITING' AND h.code = $1
          AND c.places_taken < c.capacity AND c.capacity > 3 ORDER BY c.id OFFSET ${offset} LIMIT 1`,
      [hub],
    );
    return row!;
  };
  const freeSchool = async (hubId: number, cohortCode: string, offset = 0) => {
    const [school] = await api.db.sql.query<{ urn: string }>(
      `SELECT s.urn FROM school s WHERE s.hub_id = $1 AND s.phase = 'SECONDARY' AND s.state_funded AND s.status = 'OPEN'
          AND NOT EXISTS (SELECT 1 FROM application a JOIN cohort c ON c.id = a.cohort_id WHERE a.school_id = s.id AND c.code = $2)
        ORDER BY s.urn OFFSET ${offset} LIMIT 1`,
      [hubId, cohortCode],
    );
    return school!.urn;
  };

  it('executes every mutation each time the same body is sent, and stores none', async () => {
    const target = await recruitingCohort('WM1');
    const cohortId = gid('Cohort', target.id);
    const SUBMIT = `mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { application { id status } userErrors { code message } } }`;
    const form = applicationForm(target.code, await freeSchool(target.hub_id, target.code));

    const [submitted, again] = await twice(SUBMIT, { input: form }, 'anonymous');
    expect(submitted.submitApplication.userErrors).toEqual([]);
    expect(again.submitApplication.application).toBeNull();
    expect(again.submitApplication.userErrors[0].code).toBe('DUPLICATE');
    const applicationId = submitted.submitApplication.application.id;

    const WITHDRAW = `mutation($input: WithdrawApplicationInput!) { withdrawApplication(input: $input) { application { status } userErrors { code } } }`;
    const [withdrawn, withdrawnAgain] = await twice(WITHDRAW, { input: { applicationId } }, 'admin');
    expect(withdrawn.withdrawApplication.application.status).toBe('WITHDRAWN');
    expect(withdrawnAgain.withdrawApplication.userErrors[0].code).not.toBeUndefined();
    // The same form again: the withdrawn application no longer stands in its way.
    const resubmitted = await send({ query: SUBMIT, variables: { input: form } });
    expect(resubmitted.executed).toBe(1);
    expect(resubmitted.json.data.submitApplication.userErrors).toEqual([]);

    const DECIDE = `mutation($input: DecideApplicationInput!) { decideApplication(input: $input) { application { status } userErrors { code } } }`;
    const [accepted, acceptedAgain] = await twice(
      DECIDE,
      {
        input: { applicationId: resubmitted.json.data.submitApplication.application.id, decision: 'ACCEPT' },
      },
      'wm1Staff',
    );
    expect(accepted.decideApplication.application.status).toBe('ACCEPTED');
    expect(acceptedAgain.decideApplication.userErrors[0].code).toBe('INVALID');

    const UPDATE = `mutation($input: UpdateCohortInput!) { updateCohort(input: $input) { cohort { capacity } userErrors { code } } }`;
    const capacity = async () =>
      (await api.db.prisma.cohort.findUniqueOrThrow({ where: { id: target.id } })).capacity;
    const original = await capacity();
    const sizes = [original + 1, original, original + 1];
    for (const size of sizes) {
      const r = await send({ query: UPDATE, variables: { input: { cohortId, capacity: size } } }, 'wm1Staff');
      expect(r.executed).toBe(1);
      expect(r.json.data.updateCohort.cohort.capacity).toBe(size);
      expect(await capacity()).toBe(size);
    }

    const CREATE = `mutation($input: CreateCohortInput!) { createCohort(input: $input) { cohort { code } userErrors { code } } }`;
    const [made, madeAgain] = await twice(
      CREATE,
      {
        input: {
          programmeSlug: 'secondary-tfm-development',
          hubCode: 'WM1',
          academicYear: '2027/28',
          name: 'Twice',
          capacity: 6,
          applicationDeadline: '2027-06-30',
          startsOn: '2027-09-15',
          endsOn: '2028-07-10',
        },
      },
      'wm1Staff',
    );
    expect(made.createCohort.cohort.code).not.toBe(madeAgain.createCohort.cohort.code);

    const [row] = await api.db.sql.query<{ cohort: number; session: number; enrolment: number }>(
      `SELECT c.id AS cohort, s.id AS session, e.id AS enrolment FROM cohort c JOIN hub h ON h.id = c.hub_id
         JOIN session s ON s.cohort_id = c.id JOIN enrolment e ON e.cohort_id = c.id
        WHERE h.code = 'WM1' AND c.status = 'RUNNING' AND e.status = 'ACTIVE' AND s.starts_at < '2026-11-01' ORDER BY s.id LIMIT 1`,
    );
    const SCHEDULE = `mutation($input: ScheduleSessionInput!) { scheduleSession(input: $input) { session { id } userErrors { code } } }`;
    const [scheduled, scheduledAgain] = await twice(
      SCHEDULE,
      {
        input: {
          cohortId: gid('Cohort', row!.cohort),
          kind: 'WORKSHOP',
          title: 'Twice',
          startsAt: '2027-01-20T13:00:00Z',
          durationMinutes: 90,
          mode: 'ONLINE',
        },
      },
      'wm1Staff',
    );
    expect(scheduled.scheduleSession.userErrors).toEqual([]);
    expect(scheduledAgain.scheduleSession.userErrors[0].code).toBe('DUPLICATE');

    const RECORD = `mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { recorded userErrors { code } } }`;
    for (const status of ['ABSENT', 'PRESENT', 'ABSENT']) {
      const r = await send(
        {
          query: RECORD,
          variables: {
            input: {
              sessionId: gid('Session', row!.session),
              records: [{ enrolmentId: gid('Enrolment', row!.enrolment), status }],
            },
          },
        },
        'wm1Staff',
      );
      expect(r.executed).toBe(1);
      expect(r.json.data.recordAttendance.recorded).toBe(1);
      const [attended] = await api.db.sql.query<{ status: string }>(
        'SELECT status FROM attendance WHERE session_id = $1 AND enrolment_id = $2',
        [row!.session, row!.enrolment],
      );
      expect(attended!.status).toBe(status);
    }

    const ENROLMENT = `mutation($input: UpdateEnrolmentStatusInput!) { updateEnrolmentStatus(input: $input) { enrolment { status } userErrors { code } } }`;
    await twice(
      ENROLMENT,
      { input: { enrolmentId: gid('Enrolment', row!.enrolment), status: 'ACTIVE' } },
      'wm1Staff',
    );

    const KEY = `mutation { createApiKey(input: { role: ANALYST, label: "twice" }) { apiKey { id } secret } }`;
    const [key, otherKey] = await twice(KEY, {}, 'admin');
    expect(key.createApiKey.secret).not.toBe(otherKey.createApiKey.secret);
    const REVOKE = `mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { apiKey { revokedAt } userErrors { code } } }`;
    const [revoked, revokedAgain] = await twice(
      REVOKE,
      { input: { id: key.createApiKey.apiKey.id } },
      'admin',
    );
    expect(revoked.revokeApiKey.apiKey.revokedAt).toBeTruthy();
    expect(revokedAgain.revokeApiKey.apiKey.revokedAt).toBe(revoked.revokeApiKey.apiKey.revokedAt);

    const AREA = `mutation($input: SetHubAreaInput!) { setHubArea(input: $input) { hubArea { hub { code } } userErrors { code } } }`;
    await twice(
      AREA,
      { input: { localAuthorityCode: '999', localAuthority: 'Testshire', hubCode: 'WM1' } },
      'admin',
    );
  });

  it('executes the SDK’s persisted mutation for each caller that sends its hash', async () => {
    const [hash] = Object.entries(PERSISTED_OPERATIONS).find(([, text]) =>
      /mutation SubmitApplication\b/.test(text),
    )!;
    const target = await recruitingCohort('NW6');
    const body = {
      extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
      variables: { input: applicationForm(target.code, await freeSchool(target.hub_id, target.code)) },
    };
    const first = await send(body, 'anonymous', '192.0.2.10');
    const second = await send(body, 'anonymous', '192.0.2.11');
    expect([first.executed, second.executed]).toEqual([1, 1]);
    expect(first.json.data.submitApplication.userErrors).toEqual([]);
    expect(second.json.data.submitApplication.userErrors[0].code).toBe('DUPLICATE');
    expect(second.json.extensions?.responseCache?.hit).not.toBe(true);
  });

  it('drops the written hub’s page and keeps every other hub’s page cached', async () => {
    const written = await recruitingCohort('EE1');
    await cached(HUB_PAGE, { code: 'EE1' });
    await cached(HUB_PAGE, { code: 'EE2' });
    await cached(HUB_PAGE, { code: 'SW1' });
    const r = await send(
      {
        query: `mutation($input: UpdateCohortInput!) { updateCohort(input: $input) { userErrors { code } } }`,
        variables: { input: { cohortId: gid('Cohort', written.id), name: 'Renamed in EE1' } },
      },
      'admin',
    );
    expect(r.json.data.updateCohort.userErrors).toEqual([]);
    expect(await hit(HUB_PAGE, { code: 'EE2' })).toBe(true);
    expect(await hit(HUB_PAGE, { code: 'SW1' })).toBe(true);
    const page = await send({ query: HUB_PAGE, variables: { code: 'EE1' } });
    expect(page.json.extensions.responseCache.hit).toBe(false);
    expect(JSON.stringify(page.json.data)).toContain('Renamed in EE1');
  });

  it('drops nothing for a mutation that changed nothing', async () => {
    const target = await recruitingCohort('YH1');
    await cached(HUB_PAGE, { code: 'YH1' });
    const refused = await send({
      query: `mutation($input: UpdateCohortInput!) { updateCohort(input: $input) { userErrors { code } } }`,
      variables: { input: { cohortId: gid('Cohort', target.id), capacity: 0 } },
    });
    expect(refused.json.data.updateCohort.userErrors[0].code).toBe('FORBIDDEN');
    const invalid = await send(
      {
        query: `mutation($input: UpdateCohortInput!) { updateCohort(input: $input) { userErrors { code } } }`,
        variables: { input: { cohortId: gid('Cohort', target.id), capacity: -1 } },
      },
      'admin',
    );
    expect(invalid.json.data.updateCohort.userErrors).not.toEqual([]);
    expect(await hit(HUB_PAGE, { code: 'YH1' })).toBe(true);
  });

  it('never stores an answer whose read overlapped a write to what it shows', async () => {
    const target = await recruitingCohort('SE1');
    const SLOW = `query Slow($code: String!) { cohort(code: $code) { code name } }`;
    let open!: () => void;
    gate = new Promise((resolve) => {
      open = resolve;
    });
    const reading = send({ query: SLOW, variables: { code: target.code } });
    await new Promise((resolve) => setTimeout(resolve, 50)); // the read has begun and waits
    const write = await send(
      {
        query: `mutation($input: UpdateCohortInput!) { updateCohort(input: $input) { userErrors { code } } }`,
        variables: { input: { cohortId: gid('Cohort', target.id), name: 'Written during a read' } },
      },
      'admin',
    );
    expect(write.json.data.updateCohort.userErrors).toEqual([]);
    open();
    gate = null;
    await reading;
    await new Promise((resolve) => setTimeout(resolve, 100)); // time for a store, were it made
    const after = await send({ query: SLOW, variables: { code: target.code } });
    expect(after.json.extensions.responseCache.hit).toBe(false);
    expect(after.json.data.cohort.name).toBe('Written during a read');
  });

  it('sends a hit as stored: its ETag and its gzip bytes, closed by this caller’s own figures', async () => {
    await cached(HUB_PAGE, { code: 'EM1' });
    const response = await api.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip' },
      body: JSON.stringify({ query: HUB_PAGE, variables: { code: 'EM1' } }),
    });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    const body = JSON.parse(gunzipSync(Buffer.from(await response.arrayBuffer())).toString());
    expect(body.extensions.responseCache.hit).toBe(true);
    expect(body.extensions.cost.requested).toBe(1);
    const plain = await send({ query: HUB_PAGE, variables: { code: 'EM1' } });
    expect(body.data).toEqual(plain.json.data);
  });

  it('keeps no answer past the API clock’s day: "recruiting" depends on it', async () => {
    await cached(HUB_PAGE, { code: 'NE1' });
    today = new Date(SEED_TODAY.getTime() + 86_400_000);
    try {
      expect(await hit(HUB_PAGE, { code: 'NE1' })).toBe(false);
    } finally {
      today = SEED_TODAY;
    }
  });
});
