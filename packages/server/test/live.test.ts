// Live cohort places: cohortUpdated over Server-Sent Events, through the SDK, over real HTTP.
// An event follows every committed change to a cohort's places, status or dates; never a refused
// or rolled-back one; each client holds a bounded number of streams.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, GraphQLRequestError } from '../../sdk/src/index.ts';
import { DEFAULT_LIMITS } from '../src/config.ts';
import { serveOnLocalPort, type TestApi, testApi } from './helpers/api.ts';
import { testDbKind } from './helpers/fixtures.ts';

let api: TestApi;
let url: string;
let closeServer: (() => Promise<void>) | undefined;
let cohort: { id: string; code: string; capacity: number };
const MAX_STREAMS = 3;

const UPDATE = `mutation($input: UpdateCohortInput!) { updateCohort(input: $input) { cohort { capacity } userErrors { code } } }`;
const DECIDE = `mutation($input: DecideApplicationInput!) { decideApplication(input: $input) { application { status } userErrors { code message } } }`;

beforeAll(async () => {
  api = await testApi({
    limits: { ...DEFAULT_LIMITS, maxStreamsPerCaller: MAX_STREAMS },
    metrics: { token: undefined, allowLocal: true },
  });
  ({ url, close: closeServer } = await serveOnLocalPort(api.app));
  const [row] = await api.db.sql.query<{ code: string; capacity: number }>(
    `SELECT c.code, c.capacity FROM cohort c JOIN hub h ON h.id = c.hub_id
      WHERE h.code = 'WM1' AND c.status = 'RECRUITING' AND c.places_taken < c.capacity
        AND EXISTS (SELECT 1 FROM application a WHERE a.cohort_id = c.id AND a.status = 'SUBMITTED')
      ORDER BY c.code LIMIT 1`,
  );
  const data = await api.ok('query($code: String!) { cohort(code: $code) { id } }', { code: row!.code });
  cohort = { id: data.cohort.id, code: row!.code, capacity: row!.capacity };
});
afterAll(async () => {
  await closeServer?.();
  await api?.close();
});

/** The next event of a stream, or null when none comes within `ms`. */
async function next<T>(stream: AsyncGenerator<T>, ms = 10_000): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    const result = await Promise.race([stream.next(), timeout]);
    return result && 'value' in result ? ((result.value as T) ?? null) : null;
  } finally {
    clearTimeout(timer);
  }
}

/** The server's gauge of open streams, from /metrics. */
async function openStreams(): Promise<number> {
  const text = await (await fetch(url.replace('/graphql', '/metrics'))).text();
  return Number(/^mathshubs_subscriptions_active (\d+)/m.exec(text)?.[1]);
}

async function until(check: () => Promise<boolean>) {
  for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 50));
  return check();
}

describe(`cohortUpdated (${testDbKind()})`, () => {
  it('streams the cohort after a committed change, with what the mutation wrote', async () => {
    const client = createClient({ url });
    const stream = client.cohortUpdated({ code: cohort.code.toLowerCase() });
    const first = next(stream);
    await until(async () => (await openStreams()) === 1);
    const changed = await api.ok(
      UPDATE,
      { input: { cohortId: cohort.id, capacity: cohort.capacity + 1 } },
      'admin',
    );
    expect(changed.updateCohort.userErrors).toEqual([]);
    const event = await first;
    expect(event?.cohortUpdated).toMatchObject({ code: cohort.code, capacity: cohort.capacity + 1 });
    await stream.return();
    expect(await until(async () => (await openStreams()) === 0)).toBe(true);
  });

  it('says nothing of a refused change or a rolled-back transaction, then tells of the next commit', async () => {
    const stream = createClient({ url }).cohortUpdated({ code: cohort.code });
    const first = next(stream);
    await until(async () => (await openStreams()) === 1);
    // Refused: below the places taken.
    const refused = await api.ok(UPDATE, { input: { cohortId: cohort.id, capacity: -1 } }, 'admin');
    expect(refused.updateCohort.userErrors[0].code).toBe('INVALID');
    // Rolled back: the audit row fails after the cohort was updated in the same transaction.
    await api.db.sql.exec(`
      CREATE FUNCTION fail_cohort_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit refused for the test'; END $$;
      CREATE TRIGGER fail_cohort_audit BEFORE INSERT ON audit_log FOR EACH ROW
        WHEN (NEW.action = 'updateCohort') EXECUTE FUNCTION fail_cohort_audit();`);
    const failed = await api.gql(UPDATE, { input: { cohortId: cohort.id, capacity: 400 } }, 'admin');
    expect(failed.errors?.[0]?.message).toMatch(/Unexpected error/);
    await api.db.sql.exec('DROP TRIGGER fail_cohort_audit ON audit_log; DROP FUNCTION fail_cohort_audit();');
    const [row] = await api.db.sql.query<{ capacity: number }>(
      'SELECT capacity FROM cohort WHERE code = $1',
      [cohort.code],
    );
    expect(row!.capacity).not.toBe(400);
    // The next commit is the first thing the subscriber hears.
    await api.ok(UPDATE, { input: { cohortId: cohort.id, capacity: 401 } }, 'admin');
    expect((await first)?.cohortUpdated.capacity).toBe(401);
    await stream.return();
  });

  it('follows a hub: a decision that takes a place reaches its subscribers, other hubs’ do not', async () => {
    const [application] = await api.db.sql.query<{ id: number; code: string; places_taken: number }>(
      `SELECT a.id, c.code, c.places_taken FROM application a JOIN cohort c ON c.id = a.cohort_id
        JOIN hub h ON h.id = c.hub_id
        WHERE h.code = 'WM1' AND a.status = 'SUBMITTED' AND c.places_taken < c.capacity
        ORDER BY a.id LIMIT 1`,
    );
    const wm1 = createClient({ url }).cohortUpdated({ hubCode: 'wm1' });
    const nw6 = createClient({ url }).cohortUpdated({ hubCode: 'NW6' });
    const [wm1Event, nw6Event] = [next(wm1), next(nw6, 2_000)];
    await until(async () => (await openStreams()) === 2);
    const applicationId = Buffer.from(`Application:${application!.id}`).toString('base64');
    const decided = await api.ok(DECIDE, { input: { applicationId, decision: 'ACCEPT' } }, 'admin');
    expect(decided.decideApplication.userErrors).toEqual([]);
    expect((await wm1Event)?.cohortUpdated).toMatchObject({
      code: application!.code,
      placesTaken: application!.places_taken + 1,
    });
    expect(await nw6Event).toBeNull();
    await Promise.all([wm1.return(), nw6.return()]);
  });

  it('needs a cohort or a hub to follow, and caps the streams one client holds open', async () => {
    const client = createClient({ url });
    await expect(next(client.cohortUpdated({}))).rejects.toThrow(/Give `code`/);
    const streams = Array.from({ length: MAX_STREAMS }, () => client.cohortUpdated({ code: cohort.code }));
    const pending = streams.map((s) => next(s, 60_000));
    expect(await until(async () => (await openStreams()) === MAX_STREAMS)).toBe(true);
    const refused = await next(client.cohortUpdated({ code: cohort.code })).catch((e) => e);
    expect(refused).toBeInstanceOf(GraphQLRequestError);
    expect(refused.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(refused.message).toMatch(/3 live streams open/);
    await Promise.all(streams.map((s) => s.return()));
    void pending;
    expect(await until(async () => (await openStreams()) === 0)).toBe(true);
  });
});
