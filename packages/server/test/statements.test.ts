// No N+1: the number of SQL statements of a deep query does not grow with page sizes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationDocument } from '../../sdk/scripts/documents.ts';
import { type TestApi, testApi } from './helpers/api.ts';
import { testDbKind } from './helpers/fixtures.ts';

const DEEP = operationDocument('DeepTour');
let api: TestApi;
beforeAll(async () => {
  api = await testApi();
});
afterAll(async () => {
  await api?.close();
});

async function statements(
  query: string,
  variables: Record<string, unknown>,
  as: 'admin' | 'wm1Staff' = 'admin',
) {
  // Statistics tables are cached per request only; every call here is a new request.
  const seen: string[] = [];
  const stop = api.db.onQuery((sql) => seen.push(sql));
  try {
    const data = await api.ok(query, variables, as);
    return { count: seen.length, data, seen };
  } finally {
    stop();
  }
}

const count = (data: any) => {
  let enrolments = 0;
  for (const hub of data.hubs.nodes)
    for (const cohort of hub.cohorts.nodes) enrolments += cohort.enrolments.nodes.length;
  return enrolments;
};

describe(`SQL statements per request (${testDbKind()})`, () => {
  it('stay the same for the deep tour whatever the page sizes', async () => {
    const small = await statements(DEEP, { hubs: 1, cohorts: 1, enrolments: 1 });
    const medium = await statements(DEEP, { hubs: 3, cohorts: 4, enrolments: 5 });
    const large = await statements(DEEP, { hubs: 10, cohorts: 10, enrolments: 20 });
    expect(count(small.data)).toBe(1);
    expect(count(large.data)).toBeGreaterThan(count(medium.data));
    expect(count(large.data)).toBeGreaterThan(200);
    expect(medium.count).toBe(small.count);
    expect(large.count).toBe(small.count);
    // The API key, then the whole tree in one statement of lateral joins (each nested page limited
    // and counted in SQL), and the hubs' total count.
    expect(large.count).toBeLessThanOrEqual(3);
  });

  it('stay the same for hub staff, whose every object is also checked for access', async () => {
    const small = await statements(DEEP, { hubs: 1, cohorts: 1, enrolments: 1 }, 'wm1Staff');
    const large = await statements(DEEP, { hubs: 10, cohorts: 10, enrolments: 20 }, 'wm1Staff');
    expect(large.count).toBe(small.count);
    expect(large.count).toBeLessThanOrEqual(3);
  });

  it('stay the same for a hub page and the recruiting list', async () => {
    const hubPage = operationDocument('HubPage');
    const a = await statements(hubPage, { code: 'WM1' });
    const b = await statements(hubPage, { code: 'NW6' });
    expect(a.count).toBe(b.count);
    const list = operationDocument('RecruitingCohorts');
    const one = await statements(list, { first: 1 });
    const many = await statements(list, { first: 100 });
    expect(many.data.cohorts.nodes.length).toBeGreaterThan(50);
    expect(many.count).toBe(one.count);
  });

  it('read each page of a hub website in at most two statements', async () => {
    const [cohort] = await api.db.sql.query<{ code: string }>(
      "SELECT code FROM cohort WHERE status = 'RUNNING' ORDER BY id LIMIT 1",
    );
    const pages: [string, Record<string, unknown>, number][] = [
      // The hub with its region, lead organisations, predecessors and recruiting cohorts (with
      // their programmes and count): one statement of joins.
      ['HubPage', { code: 'WM1' }, 1],
      // The page of cohorts with their hubs and programmes, and the total count.
      ['RecruitingCohorts', { first: 50 }, 2],
      // The programme with everything it links to; its current year is found apart.
      ['ProgrammePage', { slug: 'secondary-tfm-development' }, 2],
      ['Cohort', { code: cohort!.code }, 1],
    ];
    for (const [name, variables, most] of pages) {
      for (const as of ['anonymous', 'admin'] as const) {
        const seen: string[] = [];
        const stop = api.db.onQuery((sql) => seen.push(sql));
        try {
          const result = await api.gql(operationDocument(name), variables, as);
          expect(result.errors, name).toBeUndefined();
          expect(Object.values(result.data)[0], name).not.toBeNull();
        } finally {
          stop();
        }
        // A key costs one more statement: looking it up.
        expect(seen.length, `${name} as ${as}: ${seen.join('\n')}`).toBeLessThanOrEqual(
          most + (as === 'admin' ? 1 : 0),
        );
      }
    }
  });

  it('batch the stats of pages of hubs and programmes, whatever their number', async () => {
    const hubs = (first: number) =>
      `{ hubs(first: ${first}) { nodes { code stats { enrolments } year: stats(academicYear: "2024/25") { enrolments withheld } } } }`;
    const programmes = (first: number) =>
      `{ programmes(first: ${first}) { nodes { slug stats { enrolments } year: stats(academicYear: "2024/25") { enrolments withheld } } } }`;
    // The key, the page, then one grouped statement for all the hubs' tables (the hubs page);
    // the programmes' totals and their cohorts' hubs' tables, national runs apart (programmes).
    for (const [page, most] of [
      [hubs, 3],
      [programmes, 5],
    ] as const) {
      const few = await statements(page(2), {}, 'wm1Staff');
      const many = await statements(page(20), {}, 'wm1Staff');
      expect(Object.values<any>(many.data)[0].nodes.length).toBeGreaterThan(10);
      expect(few.count).toBeLessThanOrEqual(most);
      expect(many.count).toBeLessThanOrEqual(most);
    }
  });

  it('name the hubs, regions and programmes of statistics rows in one statement each', async () => {
    const { count, data } = await statements(
      '{ cohortStats(groupBy: [REGION, HUB, PROGRAMME]) { rows { key { region { code } hub { code name } programme { slug } } } } }',
      {},
    );
    expect(data.cohortStats.rows.length).toBeGreaterThan(40);
    // The key, the aggregate, then one statement for each of the three types, however many rows.
    expect(count).toBe(5);
  });

  it('batch the stats of a page of cohorts from many hubs into one statement', async () => {
    const page = (withStats: boolean) =>
      `{ cohorts(first: 20, filter: { academicYear: "2024/25" }) { nodes { code hub { code } ${withStats ? 'stats { enrolments withheld }' : ''} } } }`;
    const without = await statements(page(false), {});
    const withStats = await statements(page(true), {});
    const hubs = new Set(withStats.data.cohorts.nodes.map((c: any) => c.hub?.code ?? null));
    expect(withStats.data.cohorts.nodes).toHaveLength(20);
    expect(hubs.size).toBeGreaterThan(2);
    // One grouped statement for every hub's table (a second only when national runs are on the page).
    expect(withStats.count - without.count).toBeLessThanOrEqual(hubs.has(null) ? 2 : 1);
  });
});
