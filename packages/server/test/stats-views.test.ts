// Statistics under writes, with the production defaults: the standard dashboard views answer from
// memory while writes go on, are refreshed within 5 s of a write, say as of when, and show exactly
// what a live computation shows to the same caller; a write drops only the cached statistics of
// its hub, programme and year.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createApp } from '../src/server.ts';
import { type Caller, type TestApi, testApi } from './helpers/api.ts';
import { testDbKind } from './helpers/fixtures.ts';

const VIEW = `query($groupBy: [StatsDimension!]!, $filter: StatsFilter) { cohortStats(groupBy: $groupBy, filter: $filter) {
  asOf rows { key { region { code } hub { code } academicYear } cohorts participants enrolments placesFilled withheld }
  total { cohorts participants enrolments placesFilled withheld } } }`;
const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');

describe(`statistics under writes (${testDbKind()})`, () => {
  let api: TestApi;
  let live: ReturnType<typeof createApp>;
  const statements: string[] = [];
  beforeAll(async () => {
    api = await testApi();
    api.db.onQuery((sql) => statements.push(sql));
    // What a live computation shows: the same database and clock, no cache and no views.
    live = api.uncached();
  });
  afterAll(async () => {
    await api?.close();
  });

  const ask = async (
    app: ReturnType<typeof createApp>,
    variables: Record<string, unknown>,
    as: Caller = 'anonymous',
  ) => {
    const before = statements.length;
    const response = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: api.headersFor(as),
      body: JSON.stringify({ query: VIEW, variables }),
    });
    const body = (await response.json()) as any;
    expect(body.errors).toBeUndefined();
    return {
      stats: body.data.cohortStats,
      hit: body.extensions?.responseCache?.hit,
      sql: statements.length - before,
    };
  };
  const withoutAsOf = ({ asOf: _asOf, ...rest }: any) => rest;
  const changeCapacity = async (hub: string) => {
    const [cohort] = await api.db.sql.query<{ id: number; capacity: number }>(
      `SELECT c.id, c.capacity FROM cohort c JOIN hub h ON h.id = c.hub_id WHERE h.code = $1 AND c.status = 'RECRUITING' ORDER BY c.id LIMIT 1`,
      [hub],
    );
    const response = await api.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${api.keys.admin}` },
      body: JSON.stringify({
        query: `mutation($input: UpdateCohortInput!) { updateCohort(input: $input) { userErrors { code } } }`,
        variables: { input: { cohortId: gid('Cohort', cohort!.id), capacity: cohort!.capacity + 1 } },
      }),
    });
    expect(((await response.json()) as any).data.updateCohort.userErrors).toEqual([]);
  };

  it('answers a standard view from memory while writes go on, and as exactly as a live computation', async () => {
    for (const as of ['anonymous', 'analyst', 'admin'] as const) {
      const first = await ask(api.app, { groupBy: ['REGION'] }, as);
      expect(withoutAsOf(first.stats)).toEqual(
        withoutAsOf((await ask(live, { groupBy: ['REGION'] }, as)).stats),
      );
    }
    await changeCapacity('WM1');
    const wroteAt = Date.now();
    // Just after a write: the view in memory, read before the write and at most 5 s old (a live
    // computation would be as of now), and not stored in the response cache.
    const during = await ask(api.app, { groupBy: ['REGION'] }, 'analyst');
    expect(Date.parse(during.stats.asOf)).toBeLessThan(wroteAt);
    expect(Date.now() - Date.parse(during.stats.asOf)).toBeLessThan(5_000);
    expect(during.hit).toBe(false);
    // Refreshed ahead of requests: within 5 s the view shows the write, with a later asOf.
    let settled = during;
    for (let i = 0; i < 60; i++) {
      settled = await ask(api.app, { groupBy: ['REGION'] }, 'analyst');
      if (Date.parse(settled.stats.asOf) > Date.parse(during.stats.asOf)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(Date.parse(settled.stats.asOf)).toBeGreaterThan(Date.parse(during.stats.asOf));
    expect(withoutAsOf(settled.stats)).toEqual(
      withoutAsOf((await ask(live, { groupBy: ['REGION'] }, 'analyst')).stats),
    );
  });

  it('drops only the cached statistics a write can change: another hub’s stay', async () => {
    const kept = { groupBy: ['ACADEMIC_YEAR'], filter: { hubCodes: ['NW6'] } };
    const dropped = { groupBy: ['ACADEMIC_YEAR'], filter: { hubCodes: ['EE1'] } };
    for (const v of [kept, dropped]) {
      await ask(api.app, v, 'analyst');
      for (let i = 0; i < 40 && !(await ask(api.app, v, 'analyst')).hit; i++)
        await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await changeCapacity('EE1');
    expect((await ask(api.app, kept, 'analyst')).hit).toBe(true);
    const after = await ask(api.app, dropped, 'analyst');
    expect(after.hit).toBe(false);
    expect(withoutAsOf(after.stats)).toEqual(withoutAsOf((await ask(live, dropped, 'analyst')).stats));
  });

  it('says as of when in the CSV and JSON reports', async () => {
    for (const format of ['csv', 'json']) {
      const response = await api.app.fetch(`http://localhost/reports/cohort-stats.${format}?groupBy=REGION`);
      expect(response.status).toBe(200);
      const asOf = response.headers.get('last-modified');
      expect(asOf).toBeTruthy();
      const text = await response.text();
      if (format === 'json') expect(Date.parse(JSON.parse(text).asOf)).toBeGreaterThan(0);
      else expect(text.split('\r\n')[0]).toMatch(/as of \d{4}-\d\d-\d\dT/);
    }
  });
});
