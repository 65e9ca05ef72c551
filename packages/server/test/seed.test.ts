// The seed layers: reference facts, the demo layer, and idempotent re-seeding.
import { seed } from '@maths-hubs/db/seed/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_TODAY, type TestDatabase, testDatabase, testDbKind } from './helpers/fixtures.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(async () => {
  await db?.close();
});

const count = async (table: string, where = 'true') =>
  (await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`))[0]!.n;

const TABLES = [
  'region',
  'hub',
  'hub_lead_organisation',
  'hub_predecessor',
  'school',
  'programme',
  'programme_year',
  'programme_link',
  'eligibility_rule',
  'funding_line',
  'cohort',
  'participant',
  'enrolment',
  'application',
  'application_advocate',
  'session',
  'attendance',
];

describe(`reference data (${testDbKind()})`, () => {
  it('has the 9 regions, 40 hubs and 35 hubs of the 2019 list', async () => {
    expect(await count('region')).toBe(9);
    expect(await count('hub')).toBe(40);
    expect(await count('hub_predecessor', `listed_in = '2019/20'`)).toBe(35);
  });

  it('knows WM1 is the Central Maths Hub, in the West Midlands, serving Birmingham, Sandwell and Dudley', async () => {
    const wm1 = await db.prisma.hub.findUniqueOrThrow({
      where: { code: 'WM1' },
      include: { region: true, predecessors: true },
    });
    expect(wm1.name).toBe('Central Maths Hub');
    expect(wm1.region).toMatchObject({ code: 'WM', name: 'West Midlands' });
    expect(wm1.areasServed).toEqual(['Birmingham', 'Sandwell', 'Dudley']);
    expect(wm1.predecessors).toMatchObject([{ name: 'Central Maths Hub', evidence: 'SAME_NAME' }]);
  });

  it('links 2019 hubs to successors only where the documents make it evident', async () => {
    const salop = await db.prisma.hubPredecessor.findFirstOrThrow({
      where: { name: 'Salop and Herefordshire Maths Hub' },
    });
    expect(salop).toMatchObject({ successorHubId: null, evidence: 'NOT_EVIDENT' });
    const northMids = await db.prisma.hubPredecessor.findFirstOrThrow({
      where: { name: 'North Mids and Peaks Maths Hub' },
      include: { successor: true },
    });
    expect(northMids.successor?.code).toBe('WM3');
    expect(northMids.evidence).toBe('PROBABLE_HIGH');
  });

  it('has every programme, and NCP23-12 is Teaching for Mastery Development in 2023/24', async () => {
    expect(await count('programme')).toBe(22);
    const year = await db.prisma.programmeYear.findUniqueOrThrow({
      where: { projectCode: 'NCP23-12' },
      include: { programme: true },
    });
    expect(year.academicYear).toBe('2023/24');
    expect(year.programme.slug).toBe('secondary-tfm-development');
    expect(year.programme.masteryPhase).toBe('DEVELOPMENT');
  });

  it('records progression and prerequisites: Embedding needs Development the year before, ECT Phase 2 needs Phase 1', async () => {
    const embedding = await db.prisma.programme.findUniqueOrThrow({
      where: { slug: 'secondary-tfm-embedding-year-support' },
      include: {
        eligibility: { include: { requiredProgramme: true } },
        prerequisiteLinks: { include: { from: true } },
      },
    });
    expect(embedding.eligibility).toContainEqual(
      expect.objectContaining({
        kind: 'COMPLETED_PROGRAMME_PREVIOUS_YEAR',
        requiredProgramme: expect.objectContaining({ slug: 'secondary-tfm-development' }),
      }),
    );
    expect(embedding.prerequisiteLinks.map((l) => l.from.slug)).toContain('secondary-tfm-development');
    const ect2 = await db.prisma.programme.findUniqueOrThrow({
      where: { slug: 'sktm-secondary-ect-phase-2' },
      include: { eligibility: { include: { requiredProgramme: true } } },
    });
    expect(ect2.eligibility.map((r) => r.requiredProgramme?.slug)).toContain('sktm-secondary-ect-phase-1');
  });

  it('has funding in pence, e.g. £2,000 per department for Development in 2024/25', async () => {
    const lines = await db.prisma.fundingLine.findMany({
      where: { programme: { slug: 'secondary-tfm-development' } },
    });
    expect(lines).toContainEqual(expect.objectContaining({ amountPence: 200_000, unit: 'PER_DEPARTMENT' }));
  });

  it('has the two cohorts the documents name', async () => {
    const wm1 = await db.prisma.cohort.findUniqueOrThrow({
      where: { code: 'WM1-SEC-TFM-DEV-2024-25' },
      include: { hub: true, programme: true },
    });
    expect(wm1).toMatchObject({
      academicYear: '2024/25',
      synthetic: false,
      areasServed: ['Birmingham', 'Sandwell', 'Dudley'],
    });
    expect(wm1.hub?.code).toBe('WM1');
    expect(wm1.programme.slug).toBe('secondary-tfm-development');
    expect(wm1.applicationDeadline?.toISOString().slice(0, 10)).toBe('2024-06-28');

    const cohort4 = await db.prisma.cohort.findUniqueOrThrow({
      where: { code: 'NAT-SEC-MS-C4-2019-20' },
      include: { programme: true },
    });
    expect(cohort4).toMatchObject({
      academicYear: '2019/20',
      hubId: null,
      name: expect.stringContaining('Cohort 4'),
    });
    expect(cohort4.programme.slug).toBe('secondary-mastery-specialist');
  });
});

describe(`demo data (${testDbKind()})`, () => {
  it('gives every hub at least 20 state-funded secondaries, plus primaries, special schools and colleges', async () => {
    const rows = await db.sql.query<{
      code: string;
      secondaries: number;
      primaries: number;
      special: number;
      colleges: number;
    }>(
      `SELECT h.code,
              count(*) FILTER (WHERE s.phase = 'SECONDARY' AND s.state_funded)::int AS secondaries,
              count(*) FILTER (WHERE s.phase = 'PRIMARY')::int AS primaries,
              count(*) FILTER (WHERE s.type = 'SPECIAL')::int AS special,
              count(*) FILTER (WHERE s.type IN ('FE_COLLEGE', 'SIXTH_FORM_COLLEGE'))::int AS colleges
         FROM hub h JOIN school s ON s.hub_id = h.id AND s.synthetic GROUP BY h.code`,
    );
    expect(rows).toHaveLength(40);
    for (const row of rows) {
      expect(row.secondaries, row.code).toBeGreaterThanOrEqual(20);
      expect(row.primaries, row.code).toBeGreaterThan(0);
      expect(row.special, row.code).toBeGreaterThan(0);
      expect(row.colleges, row.code).toBeGreaterThan(0);
    }
    expect(await count('school', `synthetic AND urn !~ '^9[0-9]{5}$'`)).toBe(0);
  });

  it('marks every synthetic person as such, with example.org addresses only', async () => {
    expect(await count('participant', 'NOT synthetic')).toBe(0);
    expect(await count('participant', `email NOT LIKE '%@demo.example.org'`)).toBe(0);
  });

  it('spans 2022/23 to 2025/26 and beyond, with cohorts recruiting, running and completed', async () => {
    const years = await db.sql.query<{ academic_year: string }>(
      'SELECT DISTINCT academic_year FROM cohort WHERE synthetic ORDER BY 1',
    );
    expect(years.map((y) => y.academic_year)).toEqual(
      expect.arrayContaining(['2022/23', '2023/24', '2024/25', '2025/26']),
    );
    const statuses = await db.sql.query<{ status: string }>(
      'SELECT DISTINCT status::text FROM cohort WHERE synthetic',
    );
    expect(statuses.map((s) => s.status)).toEqual(
      expect.arrayContaining(['RECRUITING', 'RUNNING', 'COMPLETED']),
    );
    expect(await count('enrolment')).toBeGreaterThan(1000);
    expect(await count('attendance')).toBeGreaterThan(5000);
    expect(await count('application', `status = 'SUBMITTED'`)).toBeGreaterThan(0);
  });

  it('keeps places consistent: places taken = accepted applications, never above capacity', async () => {
    const off = await db.sql.query(
      `SELECT c.code FROM cohort c
        WHERE c.places_taken <> (SELECT count(*) FROM application a WHERE a.cohort_id = c.id AND a.status = 'ACCEPTED')
           OR c.places_taken > c.capacity`,
    );
    expect(off).toEqual([]);
  });

  it('follows the programme rules: Embedding schools did Development at the same hub the year before', async () => {
    const rows = await db.sql.query<{ n: number; ok: boolean }>(
      `SELECT count(*)::int AS n, bool_and(EXISTS (
                SELECT 1 FROM application d JOIN cohort dc ON dc.id = d.cohort_id JOIN programme dp ON dp.id = dc.programme_id
                 WHERE d.school_id = a.school_id AND dp.slug = 'secondary-tfm-development' AND d.status = 'ACCEPTED'
                   AND substr(dc.academic_year, 1, 4)::int = substr(c.academic_year, 1, 4)::int - 1)) AS ok
         FROM application a JOIN cohort c ON c.id = a.cohort_id JOIN programme p ON p.id = c.programme_id
        WHERE p.slug = 'secondary-tfm-embedding-year-support' AND a.status = 'ACCEPTED'`,
    );
    expect(rows[0]!.n).toBeGreaterThan(0); // there are Embedding places to check
    expect(rows[0]!.ok).toBe(true);
  });
});

describe(`re-seeding (${testDbKind()})`, () => {
  it('changes nothing when run again', async () => {
    const before = await Promise.all(TABLES.map((t) => count(t)));
    const report = await seed(db, { today: SEED_TODAY });
    expect(report.synthetic?.action).toBe('already-present');
    expect(await Promise.all(TABLES.map((t) => count(t)))).toEqual(before);
  });

  it('restores reference facts that were changed, without touching anything else', async () => {
    await db.prisma.hub.update({ where: { code: 'WM1' }, data: { name: 'Renamed' } });
    await db.prisma.fundingLine.deleteMany({ where: { programme: { slug: 'secondary-tfm-development' } } });
    const before = await count('enrolment');
    await seed(db, { synthetic: null });
    expect((await db.prisma.hub.findUniqueOrThrow({ where: { code: 'WM1' } })).name).toBe(
      'Central Maths Hub',
    );
    expect(
      await count(
        'funding_line',
        `programme_id = (SELECT id FROM programme WHERE slug = 'secondary-tfm-development')`,
      ),
    ).toBeGreaterThan(0);
    expect(await count('enrolment')).toBe(before);
  });
});
