// Reporting: aggregates computed in the database, anonymised for everyone below national admin.
import type { PublicDimension } from '@maths-hubs/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COHORT_STATS_QUERY } from '../src/reports.ts';
import { type Caller, type TestApi, testApi } from './helpers/api.ts';
import { testDbKind } from './helpers/fixtures.ts';

let api: TestApi;
beforeAll(async () => {
  api = await testApi();
});
afterAll(async () => {
  await api?.close();
});

const MEASURES =
  'cohorts schools participants enrolments completed withdrawn completionRate attendanceRate placesOffered placesFilled fundingPence suppressed';
const ADDITIVE = [
  'enrolments',
  'completed',
  'withdrawn',
  'placesOffered',
  'placesFilled',
  'fundingPence',
] as const;
const QUERY = `query($groupBy: [StatsDimension!]!, $filter: StatsFilter) {
  cohortStats(groupBy: $groupBy, filter: $filter) {
    rows { key { region { code } hub { code } programme { slug } programmeFamily masteryPhase academicYear role schoolPhase localAuthority enrolmentStatus } ${MEASURES} }
    total { ${MEASURES} }
  }
}`;
const stats = async (groupBy: string[], filter: Record<string, unknown> = {}, as: Caller = 'admin') =>
  (await api.ok(QUERY, { groupBy, filter }, as)).cohortStats as { rows: any[]; total: any };

const GROUPINGS = [
  ['REGION'],
  ['HUB'],
  ['PROGRAMME'],
  ['PROGRAMME_FAMILY'],
  ['MASTERY_PHASE'],
  ['ACADEMIC_YEAR'],
  ['ROLE'],
  ['SCHOOL_PHASE'],
  ['LOCAL_AUTHORITY'],
  ['ENROLMENT_STATUS'],
  ['HUB', 'ACADEMIC_YEAR'],
  ['PROGRAMME', 'ROLE'],
  ['HUB', 'PROGRAMME', 'ACADEMIC_YEAR'],
  ['REGION', 'ENROLMENT_STATUS'],
];

describe(`cohortStats for national admins (${testDbKind()})`, () => {
  it('gives totals equal to the sum of the rows', async () => {
    for (const groupBy of [['REGION'], ['HUB', 'ACADEMIC_YEAR'], ['ROLE'], ['ENROLMENT_STATUS']]) {
      const s = await stats(groupBy);
      for (const m of ADDITIVE) {
        if (s.total[m] === null) continue; // places and money are not reported by enrolment dimensions
        expect(
          s.rows.reduce((a, r) => a + r[m], 0),
          `${groupBy} ${m}`,
        ).toBe(s.total[m]);
      }
      expect(s.rows.every((r) => r.suppressed === false)).toBe(true);
    }
  });

  it('counts exactly what the database holds', async () => {
    const s = await stats(['HUB']);
    const rows = await api.db.sql.query<{
      code: string;
      enrolments: number;
      participants: number;
      completed: number;
    }>(
      `SELECT h.code, count(*)::int AS enrolments, count(DISTINCT e.participant_id)::int AS participants,
              count(*) FILTER (WHERE e.status = 'COMPLETED')::int AS completed
         FROM enrolment e JOIN cohort c ON c.id = e.cohort_id JOIN hub h ON h.id = c.hub_id
        WHERE c.status <> 'CANCELLED' GROUP BY h.code ORDER BY h.code`,
    );
    const byHub = new Map(s.rows.map((r) => [r.key.hub?.code, r]));
    for (const row of rows) {
      expect(byHub.get(row.code)).toMatchObject({
        enrolments: row.enrolments,
        participants: row.participants,
        completed: row.completed,
      });
    }
    const [places] = await api.db.sql.query<{ offered: number; filled: number }>(
      `SELECT sum(capacity)::int AS offered, sum(places_taken)::int AS filled FROM cohort WHERE status <> 'CANCELLED'`,
    );
    const all = await stats([]);
    expect(all.total).toMatchObject({ placesOffered: places!.offered, placesFilled: places!.filled });
    expect(all.rows).toEqual([]);
  });

  it('narrows by every filter', async () => {
    const wm = await stats(['HUB'], { regionCodes: ['WM'] });
    expect(wm.rows.map((r) => r.key.hub.code)).toEqual(['WM1', 'WM2', 'WM3', 'WM4']);
    const two = await stats(['HUB'], { hubCodes: ['WM1', 'NW6'] });
    expect(two.rows.map((r) => r.key.hub.code)).toEqual(['NW6', 'WM1']);
    const years = await stats(['ACADEMIC_YEAR'], { academicYearFrom: '2023/24', academicYearTo: '2024/25' });
    expect(years.rows.map((r) => r.key.academicYear)).toEqual(['2023/24', '2024/25']);
    const ect = await stats(['PROGRAMME'], { roles: ['ECT'] });
    expect(ect.rows.map((r) => r.key.programme.slug).sort()).toEqual([
      'sktm-secondary-ect-phase-1',
      'sktm-secondary-ect-phase-2',
    ]);
    const family = await stats(['PROGRAMME_FAMILY'], { families: ['SKTM'] });
    expect(family.rows.map((r) => r.key.programmeFamily)).toEqual(['SKTM']);
    const dev = await stats(['MASTERY_PHASE'], {
      masteryPhases: ['DEVELOPMENT'],
      programmeSlugs: ['secondary-tfm-development'],
    });
    expect(dev.rows.map((r) => r.key.masteryPhase)).toEqual(['DEVELOPMENT']);
    const phase = await stats(['SCHOOL_PHASE'], { schoolPhases: ['SECONDARY'] });
    expect(phase.rows.map((r) => r.key.schoolPhase)).toEqual(['SECONDARY']);
    const la = await stats(['LOCAL_AUTHORITY'], { localAuthorities: ['Dudley', 'Sandwell'] });
    expect(la.rows.map((r) => r.key.localAuthority)).toEqual(['Dudley', 'Sandwell']);
    const all = await stats([]);
    expect(wm.total.enrolments).toBeLessThan(all.total.enrolments);
  });

  it('leaves places and money out when grouped by an enrolment dimension', async () => {
    const byRole = await stats(['ROLE']);
    expect(byRole.rows.every((r) => r.placesOffered === null && r.fundingPence === null)).toBe(true);
  });
});

/** Counts of people, enrolments and schools: protected below national admin. */
const PEOPLE = ['schools', 'participants', 'enrolments', 'completed', 'withdrawn'] as const;
/** Public catalogue facts: exact for everyone. */
const PUBLIC = ['cohorts', 'placesOffered', 'placesFilled', 'fundingPence'] as const;

/** Checks a published row against the exact one: the cell key method's promises. */
function expectProtected(shown: any, exact: any, where: string) {
  for (const m of PEOPLE) {
    const v = shown[m];
    const x = exact[m];
    if (x === null) {
      expect(v, `${where} ${m}`).toBeNull();
      continue;
    }
    expect(v % 5, `${where} ${m}=${v} is a multiple of 5`).toBe(0);
    expect(Math.abs(v - x), `${where} ${m}=${v} within 4 of ${x}`).toBeLessThan(5);
    if (x === 0) expect(v, `${where} ${m}: zero stays zero`).toBe(0);
  }
  for (const m of PUBLIC) expect(shown[m], `${where} ${m} is public`).toBe(exact[m]);
  const outcomes = (shown.completed ?? 0) + (shown.withdrawn ?? 0);
  if (shown.completed !== null && shown.withdrawn !== null)
    expect(shown.completionRate).toBe(outcomes > 0 ? Number((shown.completed / outcomes).toFixed(3)) : null);
  if ((shown.enrolments ?? 0) < 10) expect(shown.attendanceRate).toBeNull();
}

describe(`cohortStats protected by the cell key method (${testDbKind()})`, () => {
  for (const caller of ['anonymous', 'analyst', 'wm1Staff'] as const) {
    it(`shows ${caller} every count of people rounded to a multiple of 5, within 4 of the truth, zero as zero`, async () => {
      let small = 0;
      for (const groupBy of GROUPINGS) {
        if (caller === 'anonymous' && groupBy.some((d) => d === 'SCHOOL_PHASE' || d === 'LOCAL_AUTHORITY')) {
          // Schools' enrolments in detail need a key.
          const refused = await api.gql(QUERY, { groupBy, filter: { regionCodes: ['WM'] } });
          expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
          continue;
        }
        const exact = await stats(groupBy, { regionCodes: ['WM'] });
        const shown = await stats(groupBy, { regionCodes: ['WM'] }, caller);
        expect(shown.rows).toHaveLength(exact.rows.length);
        shown.rows.forEach((row: any, i: number) => {
          expectProtected(row, exact.rows[i], `${groupBy} row ${i}`);
        });
        expectProtected(shown.total, exact.total, `${groupBy} total`);
        small += exact.rows.filter((r: any) => r.participants >= 1 && r.participants <= 4).length;
      }
      expect(small, 'the groupings hold small counts to protect').toBeGreaterThan(0);
    });
  }

  it('says how its figures were protected', async () => {
    const q = '{ cohortStats(groupBy: [HUB]) { protection { method threshold roundingBase } } }';
    expect((await api.ok(q, {}, 'analyst')).cohortStats.protection).toEqual({
      method: 'CELL_KEY',
      threshold: 4,
      roundingBase: 5,
    });
    expect((await api.ok(q, {}, 'admin')).cohortStats.protection).toEqual({
      method: 'EXACT',
      threshold: 4,
      roundingBase: null,
    });
  });

  it('publishes a cell the same way whichever route or request asks for it', async () => {
    const year = { academicYearFrom: '2024/25', academicYearTo: '2024/25' };
    const byHubYear = await stats(['HUB', 'ACADEMIC_YEAR'], {}, 'analyst');
    const again = await stats(['HUB', 'ACADEMIC_YEAR'], {}, 'analyst');
    expect(again).toEqual(byHubYear);
    const wm1Row = byHubYear.rows.find(
      (r: any) => r.key.hub?.code === 'WM1' && r.key.academicYear === '2024/25',
    );
    const wm1Filtered = await stats([], { hubCodes: ['WM1'], ...year }, 'analyst');
    const objects = await api.ok(
      `{ hub(code: "WM1") { year: stats(academicYear: "2024/25") { ${MEASURES} } all: stats { ${MEASURES} } }
         programme(slug: "secondary-tfm-development") { stats(academicYear: "2024/25") { ${MEASURES} } } }`,
      {},
      'analyst',
    );
    const byHub = await stats(['HUB'], {}, 'analyst');
    const programmeYear = await stats(
      [],
      { programmeSlugs: ['secondary-tfm-development'], ...year },
      'analyst',
    );
    for (const m of PEOPLE) {
      expect(wm1Filtered.total[m], `WM1 2024/25 ${m}`).toBe(wm1Row[m]);
      expect(objects.hub.year[m], `Hub.stats(2024/25) ${m}`).toBe(wm1Row[m]);
      expect(objects.hub.all[m], `Hub.stats ${m}`).toBe(
        byHub.rows.find((r: any) => r.key.hub?.code === 'WM1')[m],
      );
      expect(objects.programme.stats[m], `Programme.stats ${m}`).toBe(programmeYear.total[m]);
    }
  });

  it('gives no small count back to a hub’s total minus its other cells', async () => {
    const exact = await stats(['HUB', 'ENROLMENT_STATUS']);
    const shown = await stats(['HUB', 'ENROLMENT_STATUS'], {}, 'analyst');
    const totals = await stats(['HUB'], {}, 'analyst');
    let attempts = 0;
    for (const hubTotal of totals.rows) {
      const code = hubTotal.key.hub?.code ?? null;
      const cells = shown.rows.filter((r: any) => (r.key.hub?.code ?? null) === code);
      for (const target of cells) {
        const truth = exact.rows.find(
          (r: any) =>
            (r.key.hub?.code ?? null) === code && r.key.enrolmentStatus === target.key.enrolmentStatus,
        ).enrolments;
        const others = cells
          .filter((c: any) => c !== target)
          .reduce((sum: number, c: any) => sum + c.enrolments, 0);
        const estimate = hubTotal.enrolments - others;
        attempts++;
        // Every published figure is a multiple of 5: so is every difference of them.
        expect(Math.abs(estimate % 5)).toBe(0); // (a negative multiple gives -0)
        if (truth >= 1 && truth <= 4) expect(estimate).not.toBe(truth);
      }
    }
    expect(attempts).toBeGreaterThan(50);
  });

  it('answers the single-object cases: Cohort.stats, Hub.stats and Programme.stats', async () => {
    const data = await api.ok(
      `{
      hub(code: "WM1") { stats(academicYear: "2024/25") { enrolments cohorts suppressed } all: stats { enrolments } }
      programme(slug: "secondary-tfm-development") { stats(academicYear: "2024/25") { enrolments placesFilled } }
      cohorts(first: 1, filter: { hubCode: "WM1", status: [COMPLETED] }) { nodes { code stats { enrolments completed } } }
    }`,
      {},
      'admin',
    );
    const wm1 = await stats([], {
      hubCodes: ['WM1'],
      academicYearFrom: '2024/25',
      academicYearTo: '2024/25',
    });
    expect(data.hub.stats.enrolments).toBe(wm1.total.enrolments);
    expect(data.hub.all.enrolments).toBeGreaterThan(data.hub.stats.enrolments);
    const [row] = await api.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM enrolment e JOIN cohort c ON c.id = e.cohort_id WHERE c.code = $1`,
      [data.cohorts.nodes[0].code],
    );
    expect(data.cohorts.nodes[0].stats.enrolments).toBe(row!.n);
  });
});

describe(`progression (${testDbKind()})`, () => {
  it('counts schools that went from Development to Embedding the following year', async () => {
    const q = `{ progression(fromProgramme: "secondary-tfm-development", toProgramme: "secondary-tfm-embedding-year-support", fromYear: "2023/24") {
      toYear schools schoolsProgressed schoolRate participants participantsProgressed suppressed } }`;
    const exact = (await api.ok(q, {}, 'admin')).progression;
    const [row] = await api.db.sql.query<{ schools: number; progressed: number }>(
      `WITH d AS (SELECT DISTINCT e.school_id FROM enrolment e JOIN cohort c ON c.id = e.cohort_id JOIN programme p ON p.id = c.programme_id
                   WHERE p.slug = 'secondary-tfm-development' AND c.academic_year = '2023/24' AND c.status <> 'CANCELLED'),
            m AS (SELECT DISTINCT e.school_id FROM enrolment e JOIN cohort c ON c.id = e.cohort_id JOIN programme p ON p.id = c.programme_id
                   WHERE p.slug = 'secondary-tfm-embedding-year-support' AND c.academic_year = '2024/25' AND c.status <> 'CANCELLED')
       SELECT (SELECT count(*) FROM d)::int AS schools, (SELECT count(*) FROM d WHERE school_id IN (SELECT school_id FROM m))::int AS progressed`,
    );
    expect(exact).toMatchObject({
      toYear: '2024/25',
      schools: row!.schools,
      schoolsProgressed: row!.progressed,
      suppressed: false,
    });
    expect(exact.schoolsProgressed).toBeGreaterThan(0);
  });

  it('rounds progression counts as cohortStats rounds every count', async () => {
    const q = `{ progression(fromProgramme: "sktm-secondary-ect-phase-1", toProgramme: "sktm-secondary-ect-phase-2", fromYear: "2023/24") {
      schools schoolsProgressed participants participantsProgressed protection { method } } }`;
    const exact = (await api.ok(q, {}, 'admin')).progression;
    const shown = (await api.ok(q, {}, 'analyst')).progression;
    expect((await api.gql(q)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(shown.protection.method).toBe('CELL_KEY');
    for (const m of ['schools', 'schoolsProgressed', 'participants', 'participantsProgressed'] as const) {
      expect(shown[m] % 5, m).toBe(0);
      expect(Math.abs(shown[m] - exact[m]), m).toBeLessThan(5);
      if (exact[m] === 0) expect(shown[m]).toBe(0);
    }
    expect(await api.ok(q, {}, 'analyst')).toEqual({ progression: shown });
  });
});

describe(`reports: CSV and JSON (${testDbKind()})`, () => {
  const fetchReport = (path: string, caller: Caller = 'anonymous') =>
    api.app.fetch(`http://localhost${path}`, {
      headers: caller === 'anonymous' ? {} : { authorization: `Bearer ${api.keys[caller]}` },
    });
  const graphqlReport = async (groupBy: string[], filter: Record<string, unknown>, caller: Caller) =>
    (await api.ok(COHORT_STATS_QUERY, { groupBy, filter }, caller)).cohortStats;
  /** The measure cells a GraphQL row should become: the figure, [c] if withheld, [z] if null. */
  const MEASURE_FIELDS = [
    ['cohorts', 'COHORTS'],
    ['schools', 'SCHOOLS'],
    ['participants', 'PARTICIPANTS'],
    ['enrolments', 'ENROLMENTS'],
    ['completed', 'COMPLETED'],
    ['withdrawn', 'WITHDRAWN'],
    ['completionRate', 'COMPLETION_RATE'],
    ['attendanceRate', 'ATTENDANCE_RATE'],
    ['placesOffered', 'PLACES_OFFERED'],
    ['placesFilled', 'PLACES_FILLED'],
    ['fundingPence', 'FUNDING_PENCE'],
  ] as const;
  const expectedCells = (row: any) => [
    ...MEASURE_FIELDS.map(([field, name]) => {
      if (row.withheld.includes(name)) return '[c]';
      const value = row[field];
      if (value === null) return '[z]';
      return field.endsWith('Rate') ? value.toFixed(3) : String(value);
    }),
    row.withheld.includes('FUNDING_PENCE')
      ? '[c]'
      : row.fundingPence === null
        ? '[z]'
        : (row.fundingPence / 100).toFixed(2),
    row.final ? 'yes' : 'no',
  ];

  it('equals the GraphQL result, with labels beside codes, symbols for empty cells and a marked total', async () => {
    for (const caller of ['admin', 'analyst', 'anonymous'] as const) {
      const response = await fetchReport(
        '/reports/cohort-stats.csv?groupBy=HUB,ACADEMIC_YEAR&regionCodes=WM&academicYearFrom=2023/24',
        caller,
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
      const csv = await response.text();
      const groupBy: PublicDimension[] = ['HUB', 'ACADEMIC_YEAR'];
      const graphql = await graphqlReport(
        groupBy,
        { regionCodes: ['WM'], academicYearFrom: '2023/24' },
        caller,
      );
      const lines = csv.trimEnd().split('\r\n');
      // Cell by cell, the same as GraphQL says (no cell here holds a comma).
      const groups = lines.filter((l) => l.startsWith('Group,')).map((l) => l.split(','));
      expect(groups.map((cells) => cells.slice(1, 4))).toEqual(
        graphql.rows.map((r: any) => [
          r.key.hub?.code ?? 'national or regional',
          r.key.hub?.name ?? 'National or regional runs',
          r.key.academicYear,
        ]),
      );
      expect(groups.map((cells) => cells.slice(4))).toEqual(graphql.rows.map(expectedCells));
      const total = lines.find((l) => l.startsWith('Total,'))!.split(',');
      expect(total.slice(4)).toEqual(expectedCells(graphql.total));
      expect(response.headers.get('x-request-id')).toBeTruthy();
      const comments = lines.filter((l) => l.startsWith('#'));
      expect(comments.join(' ')).toMatch(
        caller === 'admin'
          ? /Protection: none.*\[c\] withheld.*\[z\] not applicable/
          : /Protection: the cell key method.*multiple of 5/,
      );
      const table = lines.filter((l) => !l.startsWith('#'));
      expect(table[0]).toBe(
        'Row,Hub code,Hub,Academic year,Cohorts,Schools,Participants,Enrolments,Completed,Withdrawn,Completion rate,Attendance rate,Places offered,Places filled,Funding (pence),Funding (£),All cohorts finished',
      );
      expect(table[1]).toMatch(/^Group,WM1,Central Maths Hub,2023\/24,/);
      expect(table.at(-1)).toMatch(/^Total,All,All,/);
      expect(table.filter((l) => l.startsWith('Total,'))).toHaveLength(1);
      // Every measure cell holds a figure or a symbol, never nothing.
      for (const line of table.slice(1)) expect(line.split(',').slice(4)).not.toContain('');
      if (caller !== 'admin')
        for (const line of table.slice(1)) {
          // Schools, participants, enrolments, completed, withdrawn: multiples of the base.
          for (const cell of line.split(',').slice(5, 10)) expect(Number(cell) % 5, line).toBe(0);
        }
    }
  });

  it('leaves the total out when asked, and offers the same report as JSON', async () => {
    const path = 'groupBy=region&includeTotal=false';
    const csv = await (await fetchReport(`/reports/cohort-stats.csv?${path}`)).text();
    expect(csv).not.toMatch(/\r\nTotal,/);
    const response = await fetchReport(`/reports/cohort-stats.json?${path}`);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const json = (await response.json()) as any;
    expect(json.groupBy).toEqual(['REGION']);
    expect(json.columns.slice(0, 3)).toEqual(['Row', 'Region code', 'Region']);
    // The nine regions, and national runs (no region).
    expect(json.rows.length).toBeGreaterThanOrEqual(9);
    expect(json.rows.find((r: any) => r['Region code'] === 'EE')).toMatchObject({
      Row: 'Group',
      Region: 'East of England',
    });
    const lines = csv
      .trimEnd()
      .split('\r\n')
      .filter((l) => !l.startsWith('#'));
    expect(lines.length - 1).toBe(json.rows.length);
  });

  it('takes lists as repeated parameters, accepts lower-case dimensions, and names unknown parameters', async () => {
    const json = (await (
      await fetchReport('/reports/cohort-stats.json?groupBy=hub&hubCodes=WM1&hubCodes=nw6')
    ).json()) as any;
    expect(json.rows.filter((r: any) => r.Row === 'Group').map((r: any) => r['Hub code'])).toEqual([
      'NW6',
      'WM1',
    ]);
    const typo = await fetchReport('/reports/cohort-stats.csv?groupBy=HUB&hubcode=WM1&regionCode=WM');
    expect(typo.status).toBe(400);
    expect(await typo.text()).toMatch(/^Unknown parameters hubcode, regionCode: use any of groupBy/);
    const bad = await fetchReport('/reports/cohort-stats.csv?groupBy=COUNTY');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/Unknown groupBy dimension COUNTY/);
    const year = await fetchReport('/reports/cohort-stats.csv?groupBy=HUB&academicYearFrom=2023-24');
    expect(year.status).toBe(400);
    const key = await api.app.fetch('http://localhost/reports/cohort-stats.csv?groupBy=HUB', {
      headers: { authorization: 'Bearer nope' },
    });
    expect(key.status).toBe(401);
  });

  it('gives analysts what anonymous callers may not have: schools’ phases and local authorities', async () => {
    const anonymous = await fetchReport('/reports/cohort-stats.csv?groupBy=LOCAL_AUTHORITY');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toMatch(/need an API key/);
    const analyst = await fetchReport(
      '/reports/cohort-stats.csv?groupBy=LOCAL_AUTHORITY&regionCodes=WM',
      'analyst',
    );
    expect(analyst.status).toBe(200);
    expect((await analyst.text()).split('\r\n').find((l) => l.startsWith('Row'))).toMatch(
      /^Row,Local authority,/,
    );
  });
});
