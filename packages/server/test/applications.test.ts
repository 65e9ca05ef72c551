// Applications: validation that explains itself, eligibility from the programme's rules, decisions
// under concurrency, withdrawal, audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../src/config.ts';
import { type Caller, type TestApi, testApi } from './helpers/api.ts';
import { testDbKind } from './helpers/fixtures.ts';
import { applicationForm, statementOf } from './helpers/forms.ts';

let api: TestApi;
let target: { code: string; hub: string; urn: string; otherUrns: string[] };

const SUBMIT = `mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) {
  application { id status school { urn } advocates { trn email } headOfDepartment { trn } } userErrors { field message code } } }`;
const DECIDE = `mutation($input: DecideApplicationInput!) { decideApplication(input: $input) {
  application { id status } userErrors { field message code } } }`;
const WITHDRAW = `mutation($input: WithdrawApplicationInput!) { withdrawApplication(input: $input) {
  application { status } userErrors { field message code } } }`;

const form = (overrides: Record<string, unknown> = {}) => applicationForm(target.code, target.urn, overrides);
const submit = async (input: Record<string, unknown>, as: Caller = 'anonymous') =>
  (await api.ok(SUBMIT, { input }, as)).submitApplication as { application: any; userErrors: any[] };

/** A recruiting cohort of `slug` at WM1 for 2027/28, made for the test. */
const cohortOf = async (slug: string) => {
  const created = await api.ok(
    `mutation($input: CreateCohortInput!) { createCohort(input: $input) { cohort { code } userErrors { message } } }`,
    {
      input: {
        programmeSlug: slug,
        hubCode: 'WM1',
        academicYear: '2027/28',
        name: `Test ${slug}`,
        capacity: 10,
        applicationDeadline: '2027-06-30',
        startsOn: '2027-09-15',
        endsOn: '2028-07-10',
      },
    },
    'admin',
  );
  expect(created.createCohort.userErrors).toEqual([]);
  return created.createCohort.cohort.code as string;
};

beforeAll(async () => {
  api = await testApi();
  const [cohort] = await api.db.sql.query<{ code: string; hub: string; hub_id: number }>(
    `SELECT c.code, h.code AS hub, h.id AS hub_id FROM cohort c JOIN hub h ON h.id = c.hub_id JOIN programme p ON p.id = c.programme_id
      WHERE p.slug = 'secondary-tfm-development' AND c.status = 'RECRUITING' AND h.code = 'WM1' LIMIT 1`,
  );
  const schools = await api.db.sql.query<{ urn: string }>(
    `SELECT s.urn FROM school s WHERE s.hub_id = $1 AND s.phase = 'SECONDARY' AND s.state_funded
        AND NOT EXISTS (SELECT 1 FROM application a JOIN cohort c ON c.id = a.cohort_id WHERE a.school_id = s.id AND c.code = $2)
      ORDER BY s.urn LIMIT 6`,
    [cohort!.hub_id, cohort!.code],
  );
  target = {
    code: cohort!.code,
    hub: cohort!.hub,
    urn: schools[0]!.urn,
    otherUrns: schools.slice(1).map((s) => s.urn),
  };
});
afterAll(async () => {
  await api?.close();
});

describe(`submitApplication (${testDbKind()})`, () => {
  it('accepts a good form, normalising TRNs, and records it in the audit log', async () => {
    const result = await submit(form({ schoolUrn: target.otherUrns[0] }));
    expect(result.userErrors).toEqual([]);
    expect(result.application.status).toBe('SUBMITTED');
    expect(result.application.headOfDepartment.trn).toBe('1234567');
    expect(result.application.advocates.map((a: any) => a.trn)).toEqual(['1234567', 'UQT']);
    const log = await api.db.prisma.auditLog.findFirst({
      where: { action: 'submitApplication' },
      orderBy: { id: 'desc' },
    });
    expect(log).toMatchObject({ role: 'ANONYMOUS', entityType: 'Application' });
  });

  it('answers each bad field with a message at its path, and writes nothing', async () => {
    const before = await api.db.prisma.application.count();
    const result = await submit(
      form({
        schoolUrn: '12345',
        contactTelephone: 'call me',
        headteacher: { name: ' ', email: 'not-an-email' },
        headOfDepartment: { name: 'H', email: 'hod@x.org', trn: '' },
        advocates: [
          { name: 'A', email: 'a@x.org', trn: '123', yearGroupsTaught: '', responsibility: 'r' },
          { name: 'B', email: 'b@x.org', trn: 'RP1/2345', yearGroupsTaught: 'y', responsibility: '' },
        ],
        statement: statementOf(200),
        commitmentsConfirmed: false,
      }),
    );
    const byPath = Object.fromEntries(result.userErrors.map((e) => [e.field?.join('.'), e]));
    expect(Object.keys(byPath).sort()).toEqual([
      'input.advocates.0.trn',
      'input.advocates.0.yearGroupsTaught',
      'input.advocates.1.responsibility',
      'input.advocates.1.trn',
      'input.commitmentsConfirmed',
      'input.contactTelephone',
      'input.headOfDepartment.trn',
      'input.headteacher.email',
      'input.headteacher.name',
      'input.schoolUrn',
      'input.statement',
    ]);
    expect(byPath['input.headOfDepartment.trn'].message).toMatch(
      /required.*UQT if unqualified.*cannot be processed/,
    );
    expect(byPath['input.advocates.0.trn'].message).toMatch(/seven digits .*RP12\/34567/);
    expect(byPath['input.statement'].message).toBe(
      'The statement has 200 words: keep it to about 150 (at most 165, 10% over).',
    );
    expect(result.userErrors.every((e) => e.code === 'INVALID')).toBe(true);
    expect(await api.db.prisma.application.count()).toBe(before);
  });

  it('allows a statement 10% over 150 words, not more', async () => {
    const ok = await submit(form({ schoolUrn: target.otherUrns[1], statement: statementOf(165) }));
    expect(ok.userErrors).toEqual([]);
    const over = await submit(form({ schoolUrn: target.otherUrns[2], statement: statementOf(166) }));
    expect(over.userErrors.map((e) => e.field.join('.'))).toEqual(['input.statement']);
  });

  it('requires exactly two advocates for a Teaching for Mastery Work Group', async () => {
    const one = await submit(form({ advocates: [form().advocates[0]] }));
    expect(one.userErrors).toContainEqual(
      expect.objectContaining({
        field: ['input', 'advocates'],
        code: 'INVALID',
        message: expect.stringMatching(/exactly two/),
      }),
    );
  });

  it('knows unknown cohorts and schools', async () => {
    const result = await submit(form({ cohortCode: 'NOPE-1', schoolUrn: '999998' }));
    expect(result.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([
      ['input.cohortCode', 'NOT_FOUND'],
      ['input.schoolUrn', 'NOT_FOUND'],
    ]);
  });

  it('refuses a second live application from the same school (DUPLICATE), also when both arrive at once', async () => {
    const urn = target.otherUrns[3];
    const both = await Promise.all([submit(form({ schoolUrn: urn })), submit(form({ schoolUrn: urn }))]);
    const codes = both.map((r) => r.userErrors[0]?.code ?? 'OK');
    expect(codes.sort()).toEqual(['DUPLICATE', 'OK']);
    const again = await submit(form({ schoolUrn: urn }));
    expect(again.userErrors).toEqual([
      expect.objectContaining({ code: 'DUPLICATE', field: ['input', 'schoolUrn'] }),
    ]);
  });

  it('refuses cohorts past their deadline or not recruiting', async () => {
    const closed = await submit(form({ cohortCode: 'WM1-SEC-TFM-DEV-2024-25' }));
    expect(closed.userErrors).toContainEqual(
      expect.objectContaining({
        code: 'DEADLINE_PASSED',
        message: 'Applications to WM1-SEC-TFM-DEV-2024-25 closed on 2024-06-28.',
      }),
    );
    await api.db.sql.query(`UPDATE cohort SET status = 'PLANNED' WHERE code = $1`, [target.code]);
    const planned = await submit(form({ schoolUrn: target.otherUrns[4] }));
    await api.db.sql.query(`UPDATE cohort SET status = 'RECRUITING' WHERE code = $1`, [target.code]);
    expect(planned.userErrors).toContainEqual(
      expect.objectContaining({
        code: 'INVALID',
        message: expect.stringMatching(/not taking applications \(it is planned\)/),
      }),
    );
  });
});

describe(`eligibility (${testDbKind()})`, () => {
  const schoolOf = async (where: string) =>
    (
      await api.db.sql.query<{ urn: string }>(
        `SELECT urn FROM school s WHERE s.hub_id = (SELECT id FROM hub WHERE code = 'WM1') AND ${where} ORDER BY urn LIMIT 1`,
      )
    )[0]!.urn;

  it('takes state-funded schools only', async () => {
    const result = await submit(form({ schoolUrn: await schoolOf('NOT s.state_funded') }));
    expect(result.userErrors).toContainEqual(
      expect.objectContaining({ code: 'INELIGIBLE', message: expect.stringMatching(/not state-funded/) }),
    );
  });

  it('takes schools of the programme’s phases only', async () => {
    const result = await submit(form({ schoolUrn: await schoolOf(`s.phase = 'PRIMARY'`) }));
    expect(result.userErrors).toContainEqual(
      expect.objectContaining({ code: 'INELIGIBLE', message: expect.stringMatching(/phase is primary/) }),
    );
  });

  it('takes schools in the areas a cohort names only', async () => {
    await api.db.sql.query(`UPDATE cohort SET areas_served = ARRAY['Birmingham'] WHERE code = $1`, [
      target.code,
    ]);
    const sandwell = await schoolOf(
      `s.phase = 'SECONDARY' AND s.state_funded AND s.local_authority = 'Sandwell'`,
    );
    const result = await submit(form({ schoolUrn: sandwell }));
    await api.db.sql.query(`UPDATE cohort SET areas_served = '{}' WHERE code = $1`, [target.code]);
    expect(result.userErrors).toContainEqual(
      expect.objectContaining({
        code: 'INELIGIBLE',
        message: 'This cohort takes schools in Birmingham only; this school is in Sandwell.',
      }),
    );
  });

  it('takes Embedding schools only after a Development Work Group the year before', async () => {
    const code = await cohortOf('secondary-tfm-embedding-year-support');
    const result = await submit(form({ cohortCode: code, schoolUrn: target.otherUrns[4] }));
    expect(result.userErrors).toContainEqual(
      expect.objectContaining({
        code: 'INELIGIBLE',
        message: expect.stringMatching(/did not take part in secondary-tfm-development in 2026\/27/),
      }),
    );
    // A school that did: accepted into WM1's 2026/27 Development cohort in the demo data.
    const [done] = await api.db.sql.query<{ urn: string }>(
      `SELECT s.urn FROM application a JOIN cohort c ON c.id = a.cohort_id JOIN programme p ON p.id = c.programme_id JOIN school s ON s.id = a.school_id
        WHERE p.slug = 'secondary-tfm-development' AND c.academic_year = '2026/27' AND a.status = 'ACCEPTED' AND c.hub_id = (SELECT id FROM hub WHERE code = 'WM1') LIMIT 1`,
    );
    expect(done).toBeDefined();
    const ok = await submit(form({ cohortCode: code, schoolUrn: done!.urn }));
    expect(ok.userErrors.filter((e) => e.code === 'INELIGIBLE')).toEqual([]);
  });

  it('takes ECT Phase 2 only for people who did Phase 1', async () => {
    const code = await cohortOf('sktm-secondary-ect-phase-2');
    const result = await submit(
      form({ cohortCode: code, schoolUrn: target.otherUrns[4], advocates: [form().advocates[0]] }),
    );
    expect(result.userErrors).toContainEqual(
      expect.objectContaining({ code: 'INELIGIBLE', field: ['input', 'advocates'] }),
    );
    const [ect] = await api.db.sql.query<{ email: string; urn: string }>(
      `SELECT p.email, s.urn FROM enrolment e JOIN participant p ON p.id = e.participant_id JOIN school s ON s.id = p.school_id
         JOIN cohort c ON c.id = e.cohort_id JOIN programme pr ON pr.id = c.programme_id
        WHERE pr.slug = 'sktm-secondary-ect-phase-1' AND e.status = 'COMPLETED' AND s.hub_id = (SELECT id FROM hub WHERE code = 'WM1') LIMIT 1`,
    );
    const ok = await submit(
      form({
        cohortCode: code,
        schoolUrn: ect!.urn,
        advocates: [{ ...form().advocates[0], email: ect!.email }],
      }),
    );
    expect(ok.userErrors.filter((e) => e.code === 'INELIGIBLE')).toEqual([]);
  });

  it('takes the TA programme only for schools in a Teaching for Mastery Work Group', async () => {
    const code = await cohortOf('sktm-secondary-teaching-assistants');
    const rules = await api.db.prisma.eligibilityRule.findMany({
      where: { programme: { slug: 'sktm-secondary-teaching-assistants' }, kind: 'SCHOOL_IN_PROGRAMME' },
    });
    expect(rules).toHaveLength(1);
    const result = await submit(form({ cohortCode: code, schoolUrn: target.otherUrns[4] }));
    expect(result.userErrors).toContainEqual(
      expect.objectContaining({
        code: 'INELIGIBLE',
        message: expect.stringMatching(/has no place in secondary-tfm-development/),
      }),
    );
  });

  it('checks every rule a programme lists (a rule added as data is enforced without code)', async () => {
    const programme = await api.db.prisma.programme.findUniqueOrThrow({
      where: { slug: 'secondary-tfm-development' },
      include: { eligibility: true },
    });
    const position = programme.eligibility.length;
    const ect1 = await api.db.prisma.programme.findUniqueOrThrow({
      where: { slug: 'sktm-secondary-ect-phase-1' },
    });
    await api.db.prisma.eligibilityRule.create({
      data: {
        programmeId: programme.id,
        position,
        kind: 'COMPLETED_PROGRAMME',
        description: 'Advocates must have done ECT Phase 1 (test rule).',
        requiredProgrammeId: ect1.id,
      },
    });
    const result = await submit(form({ schoolUrn: target.otherUrns[4] }));
    await api.db.prisma.eligibilityRule.delete({
      where: { programmeId_position: { programmeId: programme.id, position } },
    });
    expect(result.userErrors).toContainEqual(
      expect.objectContaining({
        code: 'INELIGIBLE',
        field: ['input', 'advocates'],
        message: expect.stringMatching(/test rule/),
      }),
    );
  });
});

describe(`decisions (${testDbKind()})`, () => {
  it('lets only the cohort’s hub staff and national admins decide', async () => {
    const { application } = await submit(form({ schoolUrn: target.urn }));
    for (const caller of ['anonymous', 'analyst', 'nw6Staff'] as const) {
      const refused = await api.gql(
        DECIDE,
        { input: { applicationId: application.id, decision: 'ACCEPT' } },
        caller,
      );
      const r = refused.data.decideApplication;
      expect(r.userErrors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
      // Raised at the top level too, so a client that did not select userErrors still sees it.
      expect(refused.errors).toEqual([
        expect.objectContaining({ message: r.userErrors[0].message, extensions: { code: 'FORBIDDEN' } }),
      ]);
    }
    const ok = (
      await api.ok(
        DECIDE,
        { input: { applicationId: application.id, decision: 'ACCEPT', note: 'Welcome' } },
        'wm1Staff',
      )
    ).decideApplication;
    expect(ok).toEqual({ application: { id: application.id, status: 'ACCEPTED' }, userErrors: [] });
    const enrolled = await api.db.prisma.enrolment.findMany({
      where: { application: { id: Number(Buffer.from(application.id, 'base64').toString().split(':')[1]) } },
    });
    expect(enrolled.map((e) => e.status)).toEqual(['ACCEPTED', 'ACCEPTED']);
    const twice = (
      await api.ok(DECIDE, { input: { applicationId: application.id, decision: 'DECLINE' } }, 'admin')
    ).decideApplication;
    expect(twice.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID', message: 'This application was already accepted.' }),
    ]);

    // Withdrawing frees the place and withdraws the enrolments.
    const placesBefore = (await api.db.prisma.cohort.findUniqueOrThrow({ where: { code: target.code } }))
      .placesTaken;
    const w = (
      await api.ok(WITHDRAW, { input: { applicationId: application.id, reason: 'Staff left' } }, 'wm1Staff')
    ).withdrawApplication;
    expect(w).toEqual({ application: { status: 'WITHDRAWN' }, userErrors: [] });
    expect((await api.db.prisma.cohort.findUniqueOrThrow({ where: { code: target.code } })).placesTaken).toBe(
      placesBefore - 1,
    );
    expect(
      (await api.db.prisma.enrolment.findMany({ where: { applicationId: enrolled[0]!.applicationId } })).map(
        (e) => e.status,
      ),
    ).toEqual(['WITHDRAWN', 'WITHDRAWN']);
    // ...and the school may apply again.
    expect((await submit(form({ schoolUrn: target.urn }))).userErrors).toEqual([]);
  });

  it('never overfills a cohort: 50 simultaneous acceptances for 10 places', async () => {
    const [hub] = await api.db.sql.query<{ id: number }>(`SELECT id FROM hub WHERE code = 'SE3'`);
    const programme = await api.db.prisma.programme.findUniqueOrThrow({
      where: { slug: 'secondary-tfm-development' },
    });
    const cohort = await api.db.prisma.cohort.create({
      data: {
        code: 'SE3-RACE-TEST',
        name: 'Race',
        programmeId: programme.id,
        hubId: hub!.id,
        academicYear: '2027/28',
        status: 'RECRUITING',
        capacity: 10,
      },
    });
    const schools = await api.db.prisma.school.findMany({ take: 50, orderBy: { id: 'asc' } });
    expect(schools).toHaveLength(50);
    const ids: string[] = [];
    for (const [i, school] of schools.entries()) {
      const a = await api.db.prisma.application.create({
        data: {
          cohortId: cohort.id,
          schoolId: school.id,
          contactTelephone: '0',
          headteacherName: 'h',
          headteacherEmail: 'h@x.org',
          headOfDepartmentName: 'd',
          headOfDepartmentEmail: 'd@x.org',
          headOfDepartmentTrn: 'UQT',
          statement: 's',
          commitmentsConfirmed: true,
          advocates: {
            create: [0, 1].map((p) => ({
              position: p,
              name: `A${i}-${p}`,
              email: `race.${i}.${p}@x.org`,
              trn: 'UQT',
              yearGroupsTaught: '7',
              responsibility: 'r',
            })),
          },
        },
      });
      ids.push(Buffer.from(`Application:${a.id}`).toString('base64'));
    }
    const results = await Promise.all(
      ids.map(async (applicationId) =>
        api.gql(DECIDE, { input: { applicationId, decision: 'ACCEPT' } }, 'admin'),
      ),
    );
    expect(results.every((r) => r.status === 200 && !r.errors)).toBe(true);
    const codes = results.map((r) => r.data.decideApplication.userErrors[0]?.code ?? 'ACCEPTED');
    expect(codes.filter((c) => c === 'ACCEPTED')).toHaveLength(10);
    expect(codes.filter((c) => c === 'COHORT_FULL')).toHaveLength(40);
    const [state] = await api.db.sql.query<{
      taken: number;
      accepted: number;
      schools: number;
      enrolments: number;
    }>(
      `SELECT c.places_taken AS taken,
              (SELECT count(*)::int FROM application a WHERE a.cohort_id = c.id AND a.status = 'ACCEPTED') AS accepted,
              (SELECT count(DISTINCT e.school_id)::int FROM enrolment e WHERE e.cohort_id = c.id) AS schools,
              (SELECT count(*)::int FROM enrolment e WHERE e.cohort_id = c.id) AS enrolments
         FROM cohort c WHERE c.id = $1`,
      [cohort.id],
    );
    expect(state).toEqual({ taken: 10, accepted: 10, schools: 10, enrolments: 20 });
  });
});

describe(`hostile input (${testDbKind()})`, () => {
  it('never answers 500 or writes half an application', async () => {
    const before = await api.db.prisma.application.count();
    const nasty = [
      "'; DROP TABLE application; --",
      '\u0000',
      'x'.repeat(100_000),
      '👩‍🏫',
      '<script>alert(1)</script>',
    ];
    for (const value of nasty) {
      const result = await api.gql(SUBMIT, {
        input: form({
          cohortCode: value,
          schoolUrn: value,
          statement: value,
          headteacher: { name: value, email: value },
        }),
      });
      // Out-of-bounds input (NUL, 100,000 characters) is refused at the door with a 400 or 413
      // that names the problem; the rest reaches the mutation and comes back as userErrors.
      if (result.errors?.length) {
        expect([200, 400, 413]).toContain(result.status);
        expect(result.errors[0]?.message).toMatch(/control character|characters long|too large/);
      } else {
        expect(result.status).toBe(200);
        expect(result.data.submitApplication.application).toBeNull();
      }
    }
    const forged = await api.gql(
      DECIDE,
      { input: { applicationId: 'not-base64!!', decision: 'ACCEPT' } },
      'admin',
    );
    expect(forged.data.decideApplication.userErrors[0].code).toBe('NOT_FOUND');
    // A value of the wrong GraphQL type is refused before execution: 400, with the path named.
    const wrongType = await api.gql(SUBMIT, { input: { ...form(), advocates: 'two' } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.errors?.[0]?.message).toMatch(/advocates/);
    expect(await api.db.prisma.application.count()).toBe(before);
  });
});

describe(`no oracle in submitApplication (${testDbKind()})`, () => {
  /** A Phase 2 cohort made for these tests, and an advocate who completed Phase 1 at WM1. */
  let phase2: string;
  let ect: { email: string; urn: string };
  const RULE = /advocates|Phase 1|sktm-secondary-ect-phase-1/;

  beforeAll(async () => {
    phase2 = await cohortOf('sktm-secondary-ect-phase-2');
    [ect] = (await api.db.sql.query<{ email: string; urn: string }>(
      `SELECT p.email, s.urn FROM enrolment e JOIN participant p ON p.id = e.participant_id JOIN school s ON s.id = p.school_id
         JOIN cohort c ON c.id = e.cohort_id JOIN programme pr ON pr.id = c.programme_id
        WHERE pr.slug = 'sktm-secondary-ect-phase-1' AND e.status = 'COMPLETED' AND s.hub_id = (SELECT id FROM hub WHERE code = 'WM1') LIMIT 1`,
    )) as [{ email: string; urn: string }];
    expect(ect).toBeDefined();
  });

  const probe = (email: string, overrides: Record<string, unknown> = {}) =>
    applicationForm(phase2, ect.urn, {
      advocates: [{ ...applicationForm('', '').advocates[0], email }],
      ...overrides,
    });
  const randomEmail = () => `${Math.random().toString(36).slice(2)}@school.example.org`;

  it('answers a failing form the same whether or not an advocate has taken part', async () => {
    // The review's probe: commitments not confirmed, so nothing is created either way.
    const unconfirmed = { commitmentsConfirmed: false };
    const answers = [];
    for (const email of [ect.email, randomEmail(), ect.email.toUpperCase(), randomEmail(), randomEmail()])
      answers.push((await submit(probe(email, unconfirmed))).userErrors);
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(JSON.stringify(answers[0])).not.toMatch(RULE);
  });

  it('refuses an otherwise good form without naming anyone, and shows the hub which advocate', async () => {
    const stranger = randomEmail();
    const anonymous = await submit(probe(stranger));
    expect(anonymous.application).toBeNull();
    expect(anonymous.userErrors).toEqual([
      expect.objectContaining({ code: 'INELIGIBLE', field: ['input', 'advocates'] }),
    ]);
    expect(anonymous.userErrors[0].message).toMatch(/One or more of the advocates named has not taken part/);
    expect(anonymous.userErrors[0].message).not.toContain('@');
    // Another hub's staff are told no more than anyone.
    const elsewhere = await submit(probe(stranger), 'nw6Staff');
    expect(elsewhere.userErrors[0].message).not.toContain('@');
    // The cohort's own hub may see the detail.
    const hub = await submit(probe(stranger), 'wm1Staff');
    expect(hub.userErrors[0].message).toContain(`Not found for: ${stranger}`);
  });

  it('refuses more failed anonymous applications to a cohort from one client for a while', async () => {
    const { failedAttempts } = DEFAULT_LIMITS;
    // Failed attempts at another cohort count apart: a fresh cohort for this test.
    const code = await cohortOf('sktm-secondary-ect-phase-2');
    const failing = () => ({ ...probe(randomEmail()), cohortCode: code });
    for (let i = 0; i < failedAttempts.perClient; i++)
      expect((await submit(failing())).userErrors[0].code).toBe('INELIGIBLE');
    const refused = await submit({ ...probe(ect.email), cohortCode: code });
    expect(refused.userErrors).toEqual([
      expect.objectContaining({ code: 'TOO_MANY_ATTEMPTS', field: ['input', 'cohortCode'] }),
    ]);
    expect(refused.userErrors[0].message).toMatch(/Try again in \d+ minutes/);
    // A hub's own staff, with a key, are not held back.
    expect((await submit(failing(), 'wm1Staff')).userErrors[0].code).toBe('INELIGIBLE');
  });
});

describe(`failed applications per cohort, from every client (${testDbKind()})`, () => {
  it('refuses anonymous applications to a cohort once too many failed from anyone', async () => {
    // A per-cohort limit of 3 (the default is hundreds), and clients told apart by a trusted
    // proxy's X-Forwarded-For, so that the test can reach the limit from several clients.
    const own = await testApi({
      limits: {
        ...DEFAULT_LIMITS,
        trustProxy: { kind: 'hops', hops: 1 },
        failedAttempts: { ...DEFAULT_LIMITS.failedAttempts, perTarget: 3 },
      },
    });
    try {
      const from = async (client: string) =>
        (
          await own.gql(SUBMIT, { input: form({ commitmentsConfirmed: false }) }, 'anonymous', {
            'x-forwarded-for': client,
          })
        ).data.submitApplication.userErrors[0].code;
      expect(await from('198.51.100.1')).toBe('INVALID');
      expect(await from('198.51.100.2')).toBe('INVALID');
      expect(await from('198.51.100.3')).toBe('INVALID');
      expect(await from('198.51.100.4')).toBe('TOO_MANY_ATTEMPTS');
    } finally {
      await own.close();
    }
  });
});
