// The public read API over HTTP: every root field, filters, ordering and pagination edges.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationDocuments } from '../../sdk/scripts/documents.ts';
import { GRAPHIQL_DEFAULT_QUERY } from '../src/server.ts';
import { type TestApi, testApi } from './helpers/api.ts';
import { testDbKind } from './helpers/fixtures.ts';

let api: TestApi;
beforeAll(async () => {
  api = await testApi();
});
afterAll(async () => {
  await api?.close();
});

const sql = async <T>(text: string, params: unknown[] = []) => api.db.sql.query<T>(text, params);

describe(`example operations (${testDbKind()})`, () => {
  const variables: Record<string, Record<string, unknown>> = {
    HubPage: { code: 'WM1' },
    ProgrammePage: { slug: 'secondary-tfm-development' },
    Cohort: { code: 'WM1-SEC-TFM-DEV-2024-25' },
    SchoolSearch: { search: 'academy' },
    RecruitingCohorts: { hubCode: 'WM1' },
    CohortStats: { groupBy: ['HUB'] },
    Progression: {
      fromProgramme: 'secondary-tfm-development',
      toProgramme: 'secondary-tfm-embedding-year-support',
      fromYear: '2023/24',
    },
  };
  // The SDK's documents, as it sends them (mutations and subscriptions are tested where their
  // behaviour is: applications.test.ts, live.test.ts).
  for (const [name, document] of Object.entries(operationDocuments).filter(
    ([name]) => !name.startsWith('Submit') && name !== 'CohortUpdated',
  )) {
    it(`${name} runs without errors`, async () => {
      const as = name === 'DeepTour' ? 'admin' : name === 'Progression' ? 'analyst' : 'anonymous';
      const data = await api.ok(document, variables[name] ?? {}, as);
      expect(data).toBeTruthy();
    });
  }

  it('the tour GraphiQL opens on runs as shown (its file, comments and all)', async () => {
    expect(await api.ok(GRAPHIQL_DEFAULT_QUERY)).toBeTruthy();
  });
});

describe(`root fields (${testDbKind()})`, () => {
  it('regions and region(code)', async () => {
    const data = await api.ok(
      '{ regions { code } region(code: "wm") { name hubs { code } } none: region(code: "XX") { code } }',
    );
    expect(data.regions).toHaveLength(9);
    expect(data.region).toEqual({
      name: 'West Midlands',
      hubs: [{ code: 'WM1' }, { code: 'WM2' }, { code: 'WM3' }, { code: 'WM4' }],
    });
    expect(data.none).toBeNull();
  });

  it('hubs: filter by region and name, order by name, hub(code)', async () => {
    const data = await api.ok(`{
      yh: hubs(filter: { regionCode: "YH" }) { totalCount nodes { code } }
      byName: hubs(first: 3, orderBy: NAME) { nodes { name } }
      search: hubs(filter: { search: "london" }) { totalCount }
      hub(code: "nw6") { name altNames }
    }`);
    expect(data.yh).toEqual({
      totalCount: 4,
      nodes: [{ code: 'YH1' }, { code: 'YH2' }, { code: 'YH3' }, { code: 'YH4' }],
    });
    const names = data.byName.nodes.map((n: { name: string }) => n.name);
    expect(names).toEqual([...names].sort());
    expect(data.search.totalCount).toBe(6);
    expect(data.hub).toEqual({
      name: 'Cheshire and Wirral Maths Hub',
      altNames: ['Cheshire & Wirral Maths Hub'],
    });
  });

  it('schools: search by name or URN, hub, local authority, phase; school(urn)', async () => {
    const [row] = await sql<{ urn: string; name: string }>(
      `SELECT urn, name FROM school ORDER BY urn LIMIT 1`,
    );
    const data = await api.ok(
      `query($urn: String!, $word: String!) {
        byUrn: schools(filter: { search: $urn }) { totalCount nodes { name } }
        byName: schools(first: 100, filter: { search: $word }) { nodes { name } }
        dudley: schools(first: 100, filter: { localAuthority: "dudley", phase: [SECONDARY] }) { totalCount nodes { localAuthority phase hub { code } } }
        school(urn: $urn) { name }
      }`,
      { urn: row!.urn, word: row!.name.split(' ')[0]!.toLowerCase() },
    );
    expect(data.byUrn).toEqual({ totalCount: 1, nodes: [{ name: row!.name }] });
    expect(
      data.byName.nodes.every((n: { name: string }) =>
        n.name.toLowerCase().includes(row!.name.split(' ')[0]!.toLowerCase()),
      ),
    ).toBe(true);
    const [{ n }] = (await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM school WHERE local_authority = 'Dudley' AND phase = 'SECONDARY'`,
    )) as [{ n: number }];
    expect(data.dudley.totalCount).toBe(n);
    expect(n).toBeGreaterThan(0);
    for (const s of data.dudley.nodes)
      expect(s).toEqual({ localAuthority: 'Dudley', phase: 'SECONDARY', hub: { code: 'WM1' } });
    expect(data.school.name).toBe(row!.name);
  });

  it('school(urn) explains a malformed URN', async () => {
    const result = await api.gql('{ school(urn: "12-34") { name } }');
    expect(result.errors?.[0]?.message).toBe('"12-34" is not a URN: a URN is six digits, e.g. "103504".');
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('programmes: filter by phase, kind, family, mastery phase, year and recruiting', async () => {
    const data = await api.ok(`{
      all: programmes(first: 100) { totalCount }
      sktm: programmes(first: 100, filter: { family: SKTM }) { nodes { family } }
      workGroups: programmes(first: 100, filter: { kind: WORK_GROUP, phase: SECONDARY }) { nodes { kind phase } }
      dev: programmes(filter: { masteryPhase: DEVELOPMENT }) { nodes { slug } }
      y2324: programmes(first: 100, filter: { academicYear: "2023/24" }) { nodes { slug } }
      recruiting: programmes(first: 30, filter: { recruiting: true }) { totalCount nodes { slug cohorts(filter: { recruiting: true }) { totalCount } } }
      notRecruiting: programmes(first: 100, filter: { recruiting: false }) { totalCount }
    }`);
    expect(data.all.totalCount).toBe(22);
    expect(data.sktm.nodes.length).toBeGreaterThan(0);
    expect(data.sktm.nodes.every((n: { family: string }) => n.family === 'SKTM')).toBe(true);
    expect(
      data.workGroups.nodes.every(
        (n: { kind: string; phase: string }) => n.kind === 'WORK_GROUP' && n.phase === 'SECONDARY',
      ),
    ).toBe(true);
    expect(data.dev.nodes.map((n: { slug: string }) => n.slug)).toContain('secondary-tfm-development');
    expect(data.y2324.nodes.map((n: { slug: string }) => n.slug)).toContain('secondary-tfm-development');
    expect(data.recruiting.totalCount).toBeGreaterThan(0);
    for (const p of data.recruiting.nodes) expect(p.cohorts.totalCount).toBeGreaterThan(0);
    expect(data.recruiting.totalCount + data.notRecruiting.totalCount).toBe(22);
  });

  it('cohorts: filter by hub, region, programme, year, status and recruiting; cohort(code)', async () => {
    const data = await api.ok(`{
      wm1: cohorts(first: 100, filter: { hubCode: "WM1", academicYear: "2025/26" }) { totalCount nodes { hub { code } academicYear } }
      region: cohorts(first: 100, filter: { regionCode: "NE", status: [COMPLETED] }) { totalCount nodes { status hub { region { code } } } }
      programme: cohorts(first: 5, filter: { programmeSlug: "sktm-secondary-ect-phase-1" }) { totalCount nodes { programme { slug } } }
      recruiting: cohorts(first: 100, filter: { recruiting: true }, orderBy: APPLICATION_DEADLINE) { totalCount nodes { isRecruiting status applicationDeadline } }
      notRecruiting: cohorts(filter: { recruiting: false }) { totalCount }
      all: cohorts { totalCount }
      cohort(code: "WM1-SEC-TFM-DEV-2024-25") { code }
    }`);
    expect(data.wm1.totalCount).toBeGreaterThan(0);
    for (const c of data.wm1.nodes) expect(c).toEqual({ hub: { code: 'WM1' }, academicYear: '2025/26' });
    for (const c of data.region.nodes)
      expect(c).toEqual({ status: 'COMPLETED', hub: { region: { code: 'NE' } } });
    expect(data.programme.nodes.every((c: any) => c.programme.slug === 'sktm-secondary-ect-phase-1')).toBe(
      true,
    );
    expect(data.recruiting.totalCount).toBeGreaterThan(0);
    expect(data.recruiting.nodes.every((c: any) => c.isRecruiting && c.status === 'RECRUITING')).toBe(true);
    const deadlines = data.recruiting.nodes.map((c: any) => c.applicationDeadline);
    expect(deadlines).toEqual([...deadlines].sort());
    expect(data.recruiting.totalCount + data.notRecruiting.totalCount).toBe(data.all.totalCount);
    expect(data.cohort.code).toBe('WM1-SEC-TFM-DEV-2024-25');
  });

  it('participants: filter by hub, cohort, school, role and name (admin)', async () => {
    const [e] = await sql<{ code: string; urn: string; name: string; hub: string; role: string }>(
      `SELECT c.code, s.urn, p.name, h.code AS hub, e.role::text AS role FROM enrolment e
         JOIN cohort c ON c.id = e.cohort_id JOIN participant p ON p.id = e.participant_id
         JOIN school s ON s.id = p.school_id JOIN hub h ON h.id = c.hub_id ORDER BY e.id LIMIT 1`,
    );
    const data = await api.ok(
      `query($hub: String!, $cohort: String!, $urn: String!, $role: EnrolmentRole!, $name: String!) {
        hub: participants(first: 1, filter: { hubCode: $hub }) { totalCount }
        cohort: participants(first: 100, filter: { cohortCode: $cohort }) { totalCount nodes { name } }
        school: participants(first: 100, filter: { schoolUrn: $urn }) { nodes { school { urn } } }
        role: participants(first: 5, filter: { role: $role, hubCode: $hub }) { totalCount }
        search: participants(first: 100, filter: { search: $name }) { nodes { name } }
      }`,
      { hub: e!.hub, cohort: e!.code, urn: e!.urn, role: e!.role, name: e!.name.toUpperCase() },
      'admin',
    );
    expect(data.hub.totalCount).toBeGreaterThan(0);
    expect(data.cohort.nodes.map((n: any) => n.name)).toContain(e!.name);
    expect(data.school.nodes.every((n: any) => n.school.urn === e!.urn)).toBe(true);
    expect(data.role.totalCount).toBeGreaterThan(0);
    expect(data.search.nodes.every((n: any) => n.name.toUpperCase().includes(e!.name.toUpperCase()))).toBe(
      true,
    );
  });

  it('node and nodes fetch any object by global ID, in order, null for unknown ones', async () => {
    const ids = await api.ok(
      '{ hub(code: "WM1") { id } programme(slug: "secondary-tfm-development") { id } }',
    );
    const data = await api.ok(
      `query($ids: [ID!]!, $id: ID!) {
        node(id: $id) { __typename ... on Hub { code } }
        nodes(ids: $ids) { __typename ... on Programme { slug } ... on Hub { code } }
      }`,
      { id: ids.hub.id, ids: [ids.programme.id, ids.hub.id, Buffer.from('Hub:999999').toString('base64')] },
    );
    expect(data.node).toEqual({ __typename: 'Hub', code: 'WM1' });
    expect(data.nodes).toEqual([
      { __typename: 'Programme', slug: 'secondary-tfm-development' },
      { __typename: 'Hub', code: 'WM1' },
      null,
    ]);
  });

  it('viewer says who is calling', async () => {
    expect((await api.ok('{ viewer { role hub { code } } }')).viewer).toEqual({
      role: 'ANONYMOUS',
      hub: null,
    });
    expect((await api.ok('{ viewer { role hub { code } apiKeyLabel } }', {}, 'wm1Staff')).viewer).toEqual({
      role: 'HUB_STAFF',
      hub: { code: 'WM1' },
      apiKeyLabel: 'WM1 staff',
    });
    expect((await api.ok('{ viewer { role } }', {}, 'bootstrapAdmin')).viewer.role).toBe('NATIONAL_ADMIN');
  });
});

describe(`derived fields (${testDbKind()})`, () => {
  it('places taken, places remaining and isRecruiting agree with the database', async () => {
    const data = await api.ok(
      '{ cohorts(first: 100, filter: { hubCode: "SE3" }) { nodes { code capacity placesTaken placesRemaining } } }',
    );
    const rows = await sql<{ code: string; accepted: number }>(
      `SELECT c.code, count(a.id) FILTER (WHERE a.status = 'ACCEPTED')::int AS accepted
         FROM cohort c JOIN hub h ON h.id = c.hub_id LEFT JOIN application a ON a.cohort_id = c.id
        WHERE h.code = 'SE3' GROUP BY c.code`,
    );
    const accepted = new Map(rows.map((r) => [r.code, r.accepted]));
    for (const c of data.cohorts.nodes) {
      expect(c.placesTaken).toBe(accepted.get(c.code));
      expect(c.placesRemaining).toBe(c.capacity - c.placesTaken);
    }
  });

  it('hub.recruitingCohorts lists what the hub is recruiting for, soonest deadline first', async () => {
    const data =
      await api.ok(`{ hub(code: "WM1") { recruitingCohorts(first: 100) { totalCount nodes { code isRecruiting applicationDeadline hub { code } } } }
      cohorts(filter: { hubCode: "WM1", recruiting: true }) { totalCount } }`);
    const list = data.hub.recruitingCohorts;
    expect(list.totalCount).toBe(data.cohorts.totalCount);
    expect(list.totalCount).toBeGreaterThan(0);
    expect(list.nodes.every((c: any) => c.isRecruiting && c.hub.code === 'WM1')).toBe(true);
  });

  it('attendance rate is the share of recorded sessions attended', async () => {
    const [row] = await sql<{ id: number; rate: number }>(
      `SELECT enrolment_id AS id, avg((status = 'PRESENT')::int)::float8 AS rate FROM attendance GROUP BY enrolment_id ORDER BY enrolment_id LIMIT 1`,
    );
    const id = Buffer.from(`Enrolment:${row!.id}`).toString('base64');
    const data = await api.ok(
      'query($id: ID!) { node(id: $id) { ... on Enrolment { attendanceRate } } }',
      { id },
      'admin',
    );
    expect(data.node.attendanceRate).toBeCloseTo(row!.rate, 10);
  });

  it('programme.currentYear is the latest year on record up to today', async () => {
    const data = await api.ok(
      '{ programme(slug: "secondary-tfm-development") { currentYear { academicYear } years { academicYear } } }',
    );
    const years = data.programme.years.map((y: any) => y.academicYear).filter((y: string) => y <= '2026/27');
    expect(data.programme.currentYear.academicYear).toBe(years.at(-1));
  });
});

describe(`pagination (${testDbKind()})`, () => {
  const page = `query($first: Int, $after: String) { hubs(first: $first, after: $after) { totalCount edges { cursor node { code } } nodes { code } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

  it('defaults to 20', async () => {
    const data = await api.ok('{ hubs { nodes { code } pageInfo { hasNextPage } } }');
    expect(data.hubs.nodes).toHaveLength(20);
    expect(data.hubs.pageInfo.hasNextPage).toBe(true);
  });

  it('first: 0 gives an empty page with the total', async () => {
    const data = await api.ok(page, { first: 0 });
    expect(data.hubs.nodes).toEqual([]);
    expect(data.hubs.totalCount).toBe(40);
  });

  it('first above 100 is capped at 100', async () => {
    const data = await api.ok(
      '{ schools(first: 1000) { totalCount nodes { urn } pageInfo { hasNextPage } } }',
    );
    expect(data.schools.totalCount).toBeGreaterThan(100);
    expect(data.schools.nodes).toHaveLength(100);
    expect(data.schools.pageInfo.hasNextPage).toBe(true);
  });

  it('walking with after visits every hub once, and after the last cursor is empty', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const data: any = await api.ok(page, { first: 7, after });
      seen.push(...data.hubs.nodes.map((n: { code: string }) => n.code));
      if (!data.hubs.pageInfo.hasNextPage) {
        after = data.hubs.pageInfo.endCursor;
        break;
      }
      after = data.hubs.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(40);
    expect(new Set(seen).size).toBe(40);
    const last = await api.ok(page, { first: 7, after });
    expect(last.hubs.nodes).toEqual([]);
    expect(last.hubs.pageInfo.hasNextPage).toBe(false);
  });

  it('a forged cursor gets a clear error, not a crash', async () => {
    const result = await api.gql(page, { first: 5, after: 'bm90LWEtY3Vyc29y' });
    expect(result.status).toBe(200);
    expect(result.errors?.[0]?.message).toMatch(
      /^Invalid cursor: bm90LWEtY3Vyc29y\. Pass a cursor from a previous page/,
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
