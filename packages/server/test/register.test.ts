// England's school register: the GIAS file read byte for byte in its own dialect, loaded by URN
// in batches, with its out-of-scope and invalid rows reported, idempotent, --dry-run and --strict,
// the LA-to-hub mapping, predecessors and successors, and what the API makes of it. Fixtures are
// written here with the register's exact quoting and Windows-1252 bytes; nothing is downloaded.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importRegister } from '@maths-hubs/db/register/import';
import { type GiasRecord, registerFile, registerLine } from '@maths-hubs/db/register/register-file';
import { seed } from '@maths-hubs/db/seed/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from './helpers/api.ts';
import { SEED_TODAY, testDbKind } from './helpers/fixtures.ts';
import { applicationForm } from './helpers/forms.ts';

let api: TestApi;
let dir: string;
beforeAll(async () => {
  api = await testApi();
  dir = await mkdtemp(join(tmpdir(), 'mh-register-'));
});
afterAll(async () => api?.close());

/** An open Birmingham (LA 330, served by WM1) community primary, as the register writes one. */
function school(urn: number, overrides: GiasRecord = {}): GiasRecord {
  return {
    URN: urn,
    'LA (code)': '330',
    'LA (name)': 'Birmingham',
    EstablishmentNumber: '2001',
    EstablishmentName: `Test School ${urn}`,
    'TypeOfEstablishment (code)': '01',
    'TypeOfEstablishment (name)': 'Community school',
    'EstablishmentTypeGroup (code)': '4',
    'EstablishmentTypeGroup (name)': 'Local authority maintained schools',
    'EstablishmentStatus (code)': '1',
    'EstablishmentStatus (name)': 'Open',
    OpenDate: '01-09-1975',
    CloseDate: '',
    'PhaseOfEducation (code)': '2',
    'PhaseOfEducation (name)': 'Primary',
    StatutoryLowAge: 4,
    StatutoryHighAge: 11,
    'Trusts (name)': '',
    Postcode: 'b1  1aa',
    'GOR (code)': 'F',
    'GOR (name)': 'West Midlands',
    ...overrides,
  };
}

let files = 0;
async function fileOf(records: (GiasRecord | string)[], options?: Parameters<typeof registerFile>[1]) {
  const path = join(dir, `edubasealldata${++files}.csv`);
  await writeFile(path, registerFile(records, options));
  return path;
}

const schoolRow = (urn: string) =>
  api.db.sql.query<Record<string, unknown>>(
    `SELECT s.name, s.phase, s.type, s.establishment_type, s.state_funded, s.local_authority, s.local_authority_code,
            s.postcode, s.trust, s.status, s.opened_on::text, s.closed_on::text, s.synthetic, h.code AS hub
       FROM school s LEFT JOIN hub h ON h.id = s.hub_id WHERE s.urn = $1`,
    [urn],
  );

describe(`the school register import (${testDbKind()})`, () => {
  it('reads the register’s bytes: Windows-1252 (’ as 0x92, é, –), quoted commas, bare URNs, CR LF', async () => {
    const records = [
      school(140001, {
        EstablishmentName: 'St Mary’s Church of England Primary School, A Voluntary Academy',
      }),
      school(140002, {
        EstablishmentName: 'École Française – Jacques Prévert',
        'LA (code)': '801',
        'LA (name)': 'Bristol, City of',
      }),
    ];
    const bytes = registerFile(records);
    // The file really is in the register's dialect.
    expect(bytes.includes(Buffer.from([0x92]))).toBe(true);
    expect(bytes.includes(Buffer.from('\r\n140002,"801","Bristol, City of"', 'latin1'))).toBe(true);
    expect(bytes.includes(Buffer.from([0xe2, 0x80, 0x99]))).toBe(false); // no UTF-8 ’
    const path = join(dir, 'dialect.csv');
    await writeFile(path, bytes);
    const report = await importRegister(api.db.sql, path);
    expect(report).toMatchObject({ rows: 2, inserted: 2, invalid: 0, outOfScope: 0, applied: true });
    expect((await schoolRow('140001'))[0]).toMatchObject({
      name: 'St Mary’s Church of England Primary School, A Voluntary Academy',
      postcode: 'B1 1AA',
      local_authority_code: '330',
      status: 'OPEN',
      opened_on: '1975-09-01',
      synthetic: false,
      hub: 'WM1', // Birmingham is WM1's (seeded mapping)
    });
    expect((await schoolRow('140002'))[0]).toMatchObject({
      name: 'École Française – Jacques Prévert',
      local_authority: 'Bristol, City of',
      hub: null, // no hub serves Bristol yet
    });
    expect(report.unmappedLocalAuthorities).toEqual([{ code: '801', name: 'Bristol, City of', schools: 1 }]);
  });

  it('keeps closed and proposed schools with their status and dates; blank postcodes and placeholder dates become null', async () => {
    const path = await fileOf(
      [
        school(140101, {
          'EstablishmentStatus (code)': '2',
          'EstablishmentStatus (name)': 'Closed',
          CloseDate: '31-08-2021',
          OpenDate: '01-01-1800',
          Postcode: '',
        }),
        school(140102, {
          'EstablishmentStatus (code)': '4',
          'EstablishmentStatus (name)': 'Proposed to open',
          OpenDate: '01-09-2027',
          'TypeOfEstablishment (code)': '35',
          'TypeOfEstablishment (name)': 'Free schools',
          'PhaseOfEducation (code)': '5',
          'PhaseOfEducation (name)': 'Middle deemed secondary',
          'Trusts (name)': 'Oak Learning Trust',
        }),
        school(140103, {
          'EstablishmentStatus (code)': '3',
          'EstablishmentStatus (name)': 'Open, but proposed to close',
          CloseDate: '31-08-2027',
          'TypeOfEstablishment (code)': '11',
          'TypeOfEstablishment (name)': 'Other independent school',
          'PhaseOfEducation (name)': 'All through',
        }),
        school(140104, {
          'TypeOfEstablishment (code)': '12',
          'TypeOfEstablishment (name)': 'Foundation special school',
          'EstablishmentTypeGroup (name)': 'Special schools',
          'PhaseOfEducation (code)': '1',
          'PhaseOfEducation (name)': 'Nursery',
        }),
      ],
      { finalLineBreak: true },
    );
    const report = await importRegister(api.db.sql, path);
    expect(report).toMatchObject({ rows: 4, inserted: 4, invalid: 0 });
    expect((await schoolRow('140101'))[0]).toMatchObject({
      status: 'CLOSED',
      closed_on: '2021-08-31',
      opened_on: null,
      postcode: null,
    });
    expect((await schoolRow('140102'))[0]).toMatchObject({
      status: 'PROPOSED_TO_OPEN',
      opened_on: '2027-09-01',
      phase: 'MIDDLE_DEEMED_SECONDARY',
      type: 'FREE_SCHOOL',
      establishment_type: 'Free schools',
      state_funded: true,
      trust: 'Oak Learning Trust',
    });
    // State funding by type: an independent school is not, whatever its group.
    expect((await schoolRow('140103'))[0]).toMatchObject({
      status: 'OPEN_PROPOSED_TO_CLOSE',
      closed_on: '2027-08-31',
      phase: 'ALL_THROUGH',
      type: 'INDEPENDENT',
      state_funded: false,
    });
    expect((await schoolRow('140104'))[0]).toMatchObject({
      phase: 'NURSERY',
      type: 'SPECIAL',
      state_funded: true,
    });
  });

  it('counts Welsh and overseas rows and types it never serves, and refuses invalid rows with their line and reason', async () => {
    const good = school(140201);
    const path = await fileOf([
      good,
      school(140202, {
        'TypeOfEstablishment (code)': '30',
        'TypeOfEstablishment (name)': 'Welsh establishment',
        'GOR (code)': 'W',
        'GOR (name)': 'Wales (pseudo)',
        'LA (code)': '660',
        'LA (name)': 'Isle of Anglesey',
      }),
      school(140203, { 'GOR (code)': 'Z', 'GOR (name)': 'Not Applicable' }),
      school(140204, {
        'TypeOfEstablishment (code)': '29',
        'TypeOfEstablishment (name)': 'Higher education institutions',
      }),
      registerLine(school(140205)).replace(/^140205/, '14O205'), // a letter O in the URN
      registerLine(school(140206)).split(',').slice(0, 40).join(','), // too few columns
      school(140207, { EstablishmentName: '   ' }),
      school(140208),
      school(140208, { EstablishmentName: 'The same URN again' }),
    ]);
    const report = await importRegister(api.db.sql, path);
    expect(report).toMatchObject({ rows: 9, inserted: 1, outOfScope: 3, invalid: 5 });
    expect(report.skipped.map(({ line, kind }) => [line, kind])).toEqual([
      [3, 'out-of-scope'],
      [4, 'out-of-scope'],
      [5, 'out-of-scope'],
      [6, 'invalid'],
      [7, 'invalid'],
      [8, 'invalid'],
      [9, 'invalid'],
      [10, 'invalid'],
    ]);
    const reason = (line: number) => report.skipped.find((s) => s.line === line)?.reason;
    expect(reason(3)).toMatch(/Wales/);
    expect(reason(4)).toMatch(/outside England/);
    expect(reason(5)).toMatch(/university/);
    expect(reason(6)).toBe('URN "14O205" is not six digits');
    expect(reason(7)).toBe('has 40 fields where the header has 135');
    expect(reason(8)).toBe('has no establishment name');
    expect(reason(9)).toMatch(/URN 140208 is on 2 rows \(lines 9, 10\): ambiguous/);
    expect(reason(10)).toBe(reason(9));
    // Neither row of the ambiguous URN is loaded.
    expect(await schoolRow('140208')).toEqual([]);
    expect(await schoolRow('140201')).toHaveLength(1);
  });

  it('changes nothing on a second run of the same file, not even updated_at; a changed row is updated', async () => {
    const records = [school(140301), school(140302), school(140303)];
    const path = await fileOf(records);
    expect(await importRegister(api.db.sql, path)).toMatchObject({ inserted: 3, updated: 0, unchanged: 0 });
    const stamps = async () =>
      api.db.sql.query<{ urn: string; updated_at: string }>(
        `SELECT urn, updated_at::text FROM school WHERE urn = ANY($1) ORDER BY urn`,
        [['140301', '140302', '140303']],
      );
    const before = await stamps();
    expect(await importRegister(api.db.sql, path)).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
    expect(await stamps()).toEqual(before);

    const closedNow = await fileOf([
      school(140301, {
        'EstablishmentStatus (code)': '2',
        'EstablishmentStatus (name)': 'Closed',
        CloseDate: '31-08-2026',
      }),
      school(140302, { EstablishmentName: 'Renamed Primary School' }),
      school(140303),
    ]);
    expect(await importRegister(api.db.sql, closedNow)).toMatchObject({
      updated: 2,
      closed: 1,
      unchanged: 1,
    });
    const after = await stamps();
    expect(after[2]).toEqual(before[2]);
    expect(after[0]!.updated_at).not.toBe(before[0]!.updated_at);
  });

  it('reports the same with --dry-run and changes nothing; --strict applies nothing if any row is invalid', async () => {
    const count = async () =>
      Number((await api.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM school'))[0]!.n);
    const clean = await fileOf([school(140401), school(140402)]);
    const dirty = await fileOf([school(140403), school(140404, { EstablishmentName: '' })]);
    const schools = await count();

    const dry = await importRegister(api.db.sql, clean, { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, applied: false, inserted: 2 });
    expect(await count()).toBe(schools);

    const strict = await importRegister(api.db.sql, dirty, { strict: true });
    expect(strict).toMatchObject({ applied: false, inserted: 1, invalid: 1 });
    expect(await count()).toBe(schools);

    expect(await importRegister(api.db.sql, clean, { strict: true })).toMatchObject({
      applied: true,
      inserted: 2,
    });
    expect(await count()).toBe(schools + 2);
  });

  it('gives each school the hub of its LA, reports unmapped LAs, and moves schools when the mapping changes', async () => {
    const path = await fileOf([
      school(140501, { 'LA (code)': '383', 'LA (name)': 'Leeds' }),
      school(140502, { 'LA (code)': '383', 'LA (name)': 'Leeds' }),
      school(140503, { 'LA (code)': '332', 'LA (name)': 'Dudley' }),
    ]);
    const first = await importRegister(api.db.sql, path);
    expect(first.unmappedLocalAuthorities).toEqual([{ code: '383', name: 'Leeds', schools: 2 }]);
    expect((await schoolRow('140503'))[0]!.hub).toBe('WM1');
    expect((await schoolRow('140501'))[0]!.hub).toBeNull();

    const set = `mutation($input: SetHubAreaInput!) { setHubArea(input: $input) {
      hubArea { localAuthorityCode localAuthority hub { code } } schoolsMoved userErrors { field code message } } }`;
    // Only national admins (a userError, and FORBIDDEN at the top for clients that select no errors).
    const refused = await api.gql(
      set,
      { input: { localAuthorityCode: '383', localAuthority: 'Leeds', hubCode: 'YH1' } },
      'wm1Staff',
    );
    expect(refused.data.setHubArea.userErrors[0].code).toBe('FORBIDDEN');
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(
      (await api.ok(set, { input: { localAuthorityCode: '38', hubCode: 'YH1' } }, 'admin')).setHubArea
        .userErrors[0].field,
    ).toEqual(['input', 'localAuthorityCode']);
    expect(
      (
        await api.ok(
          set,
          { input: { localAuthorityCode: '383', localAuthority: 'Leeds', hubCode: 'XX9' } },
          'admin',
        )
      ).setHubArea.userErrors[0].code,
    ).toBe('NOT_FOUND');
    expect(
      (await api.ok(set, { input: { localAuthorityCode: '383', hubCode: 'YH1' } }, 'admin')).setHubArea
        .userErrors[0].field,
    ).toEqual(['input', 'localAuthority']);

    const mapped = await api.ok(
      set,
      { input: { localAuthorityCode: '383', localAuthority: 'Leeds', hubCode: 'yh1' } },
      'admin',
    );
    expect(mapped.setHubArea).toEqual({
      hubArea: { localAuthorityCode: '383', localAuthority: 'Leeds', hub: { code: 'YH1' } },
      schoolsMoved: 2,
      userErrors: [],
    });
    expect((await schoolRow('140501'))[0]!.hub).toBe('YH1');
    // Demo schools keep the hubs they were made with, whatever their LA is called.
    const demoHubs = await api.db.sql.query(
      'SELECT count(*)::int AS n FROM school WHERE synthetic AND hub_id IS NULL',
    );
    expect(demoHubs).toEqual([{ n: 0 }]);
    // A rerun agrees with the mapping: nothing to change, Leeds no longer unmapped.
    const rerun = await importRegister(api.db.sql, path);
    expect(rerun).toMatchObject({ updated: 0, unchanged: 3, unmappedLocalAuthorities: [] });

    // Removing the mapping leaves the schools without a hub; a rerun keeps it that way.
    const removed = await api.ok(set, { input: { localAuthorityCode: '383' } }, 'admin');
    expect(removed.setHubArea).toMatchObject({ hubArea: null, schoolsMoved: 2 });
    expect((await schoolRow('140502'))[0]!.hub).toBeNull();
    const areas = await api.ok(
      '{ hub(code: "WM1") { localAuthorities { localAuthorityCode localAuthority } } }',
    );
    expect(
      areas.hub.localAuthorities.map((a: { localAuthorityCode: string }) => a.localAuthorityCode),
    ).toEqual(['330', '332', '333']);
  });

  it('records conversions from the links file, as predecessors and successors', async () => {
    const path = await fileOf([
      school(140601, {
        'EstablishmentStatus (code)': '2',
        'EstablishmentStatus (name)': 'Closed',
        CloseDate: '31-08-2015',
        'ReasonEstablishmentClosed (name)': 'Academy Converter',
      }),
      school(140602, {
        'TypeOfEstablishment (code)': '34',
        'TypeOfEstablishment (name)': 'Academy converter',
        OpenDate: '01-09-2015',
      }),
      school(140603, {
        'EstablishmentStatus (code)': '2',
        'EstablishmentStatus (name)': 'Closed',
        CloseDate: '31-08-2018',
      }),
      school(140604, {
        'EstablishmentStatus (code)': '2',
        'EstablishmentStatus (name)': 'Closed',
        CloseDate: '31-08-2018',
      }),
      school(140605, { OpenDate: '01-09-2018' }),
    ]);
    const links = join(dir, 'links_edubasealldata.csv');
    const header = ['URN', 'LinkURN', 'LinkName', 'LinkType', 'LinkEstablishedDate'];
    await writeFile(
      links,
      registerFile(
        [
          '140601,140602,"Test School 140602","Successor","01-09-2015"',
          '140602,140601,"Test School 140601  ","Predecessor","01-09-2015"', // the same link, listed from the other side
          '140605,140603,"Test School 140603","Predecessor - amalgamated",""',
          '140605,140604,"Test School 140604","Predecessor - amalgamated",""',
          '140602,140999,"A sixth form","Sixth Form Centre Link",""',
          'X40602,140601,"Bad","Successor",""',
        ],
        { columns: header },
      ),
    );
    const report = await importRegister(api.db.sql, path, { links });
    expect(report.links).toMatchObject({ rows: 6, recorded: 3, ignored: 1 });
    expect(report.links!.invalid.map((i) => i.line)).toEqual([7]);
    const history = await api.ok(`{
      converted: school(urn: "140602") { predecessors { urn status closedOn } successors { urn } }
      old: school(urn: "140601") { status successors { urn type establishmentType } }
      merged: school(urn: "140605") { predecessors { urn } }
    }`);
    expect(history).toEqual({
      converted: {
        predecessors: [{ urn: '140601', status: 'CLOSED', closedOn: '2015-08-31' }],
        successors: [],
      },
      old: {
        status: 'CLOSED',
        successors: [{ urn: '140602', type: 'ACADEMY', establishmentType: 'Academy converter' }],
      },
      merged: { predecessors: [{ urn: '140603' }, { urn: '140604' }] },
    });
    // Idempotent too.
    expect((await importRegister(api.db.sql, path, { links })).links).toMatchObject({
      recorded: 0,
      unchanged: 3,
    });
  });

  it('follows a school across its URN change in progression', async () => {
    // A school in Development one year and not in Embedding the next, and a school that is:
    // linking the first to the second (a conversion) makes the first count as having gone on.
    const [pair] = await api.db.sql.query<{ year: string; next: string; old_urn: string; new_urn: string }>(
      `WITH took AS (
         SELECT DISTINCT e.school_id, p.slug, c.academic_year FROM enrolment e
           JOIN cohort c ON c.id = e.cohort_id JOIN programme p ON p.id = c.programme_id
          WHERE e.status IN ('ACCEPTED','ACTIVE','COMPLETED','WITHDRAWN') AND c.status <> 'CANCELLED')
       SELECT d.academic_year AS year, m.academic_year AS next, so.urn AS old_urn, sn.urn AS new_urn
         FROM took d JOIN took m ON m.slug = 'secondary-tfm-embedding-year-support'
              AND m.academic_year = (split_part(d.academic_year, '/', 1)::int + 1)::text || '/' || lpad(((split_part(d.academic_year, '/', 1)::int + 2) % 100)::text, 2, '0')
         JOIN school so ON so.id = d.school_id JOIN school sn ON sn.id = m.school_id
        WHERE d.slug = 'secondary-tfm-development'
          AND NOT EXISTS (SELECT 1 FROM took x WHERE x.school_id = d.school_id AND x.slug = 'secondary-tfm-embedding-year-support' AND x.academic_year = m.academic_year)
        ORDER BY 1, 3, 4 LIMIT 1`,
    );
    expect(pair).toBeDefined();
    const query = `query($year: AcademicYear!) { progression(fromProgramme: "secondary-tfm-development", toProgramme: "secondary-tfm-embedding-year-support", fromYear: $year) { schools schoolsProgressed } }`;
    const before = (await api.ok(query, { year: pair!.year }, 'admin')).progression;
    await api.db.sql.query(
      `INSERT INTO school_link (predecessor_urn, successor_urn, link_type) VALUES ($1, $2, 'successor')`,
      [pair!.old_urn, pair!.new_urn],
    );
    // Written outside the API, as an import writes: the import drops the cached answers (cli.ts).
    await api.sharedState.responseCache(60_000).invalidate(['*']);
    const after = (await api.ok(query, { year: pair!.year }, 'admin')).progression;
    expect(after).toEqual({ schools: before.schools, schoolsProgressed: before.schoolsProgressed + 1 });
  });

  it('leaves closed schools out of search unless asked, and refuses applications from them', async () => {
    const path = await fileOf([
      school(140701, { EstablishmentName: 'Zebracross Primary School' }),
      school(140702, {
        EstablishmentName: 'Zebracross Infant School',
        'EstablishmentStatus (code)': '2',
        'EstablishmentStatus (name)': 'Closed',
        CloseDate: '31-08-2019',
      }),
    ]);
    await importRegister(api.db.sql, path);
    const search = `query($status: [SchoolStatus!]) { schools(filter: { search: "Zebracross", status: $status }) { totalCount nodes { urn status } } }`;
    expect((await api.ok(search)).schools.nodes).toEqual([{ urn: '140701', status: 'OPEN' }]);
    expect((await api.ok(search, { status: ['CLOSED'] })).schools.nodes).toEqual([
      { urn: '140702', status: 'CLOSED' },
    ]);
    expect((await api.ok(search, { status: ['OPEN', 'CLOSED'] })).schools.totalCount).toBe(2);

    const [cohort] = await api.db.sql.query<{ code: string }>(
      `SELECT c.code FROM cohort c JOIN hub h ON h.id = c.hub_id WHERE h.code = 'WM1' AND c.status = 'RECRUITING' ORDER BY c.code LIMIT 1`,
    );
    const submitted = await api.ok(
      `mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { application { id } userErrors { field code message } } }`,
      { input: applicationForm(cohort!.code, '140702') },
    );
    expect(submitted.submitApplication.application).toBeNull();
    expect(submitted.submitApplication.userErrors).toEqual([
      {
        field: ['input', 'schoolUrn'],
        code: 'INVALID',
        message: expect.stringMatching(
          /^Zebracross Infant School \(URN 140702\) closed on 2019-08-31 and cannot apply/,
        ),
      },
    ]);
  });

  it('never lets a synthetic layer overwrite a real school: the seeds skip URNs the register holds', async () => {
    const [demo] = await api.db.sql.query<{ urn: string }>(
      'SELECT urn FROM school WHERE synthetic ORDER BY urn LIMIT 1',
    );
    const path = await fileOf([school(Number(demo!.urn), { EstablishmentName: 'The Real School' })]);
    expect(await importRegister(api.db.sql, path)).toMatchObject({ updated: 1 });
    await seed(api.db, { synthetic: 'demo', today: SEED_TODAY, log: () => {} });
    expect((await schoolRow(demo!.urn))[0]).toMatchObject({ name: 'The Real School', synthetic: false });
  });
});
