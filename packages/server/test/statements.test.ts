// No N+1: the number of SQL statements of a deep query does not grow with page sizes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from './helpers/api.ts';
import { testDbKind } from './helpers/fixtures.ts';

const DEEP = readFileSync(join(import.meta.dirname, '../../sdk/operations/DeepTour.graphql'), 'utf8');
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
    // hubs, count, cohorts (+count), programmes, years, enrolments (+count), participants, schools,
    // hubs, regions, attendance rates, the two authorisation lookups and the API key.
    expect(large.count).toBeLessThanOrEqual(18);
  });

  it('stay the same for hub staff, whose every object is also checked for access', async () => {
    const small = await statements(DEEP, { hubs: 1, cohorts: 1, enrolments: 1 }, 'wm1Staff');
    const large = await statements(DEEP, { hubs: 10, cohorts: 10, enrolments: 20 }, 'wm1Staff');
    expect(large.count).toBe(small.count);
  });

  it('stay the same for a hub page and the recruiting list', async () => {
    const hubPage = readFileSync(join(import.meta.dirname, '../../sdk/operations/HubPage.graphql'), 'utf8');
    const a = await statements(hubPage, { code: 'WM1' });
    const b = await statements(hubPage, { code: 'NW6' });
    expect(a.count).toBe(b.count);
    const list = readFileSync(
      join(import.meta.dirname, '../../sdk/operations/RecruitingCohorts.graphql'),
      'utf8',
    );
    const one = await statements(list, { first: 1 });
    const many = await statements(list, { first: 100 });
    expect(many.data.cohorts.nodes.length).toBeGreaterThan(50);
    expect(many.count).toBe(one.count);
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
