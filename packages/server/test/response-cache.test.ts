// The response cache: shared for anonymous callers, private to each key, answered only after the
// key and the budget were checked, never storing per-caller figures, and invalidated by mutations
// (accepting an application changes a cohort's places on its page, its hub page and the lists).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationDocument } from '../../sdk/scripts/documents.ts';
import { DEFAULT_LIMITS } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { PERSISTED_OPERATIONS } from '../src/server.ts';
import { createSharedState } from '../src/shared-state.ts';
import { type Caller, type TestApi, testApi } from './helpers/api.ts';
import { testDbKind } from './helpers/fixtures.ts';
import { applicationForm } from './helpers/forms.ts';

const HUB_PAGE = operationDocument('HubPage');
const RECRUITING = operationDocument('RecruitingCohorts');
const COHORT = operationDocument('Cohort');

const SUBMIT = `mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { application { id } userErrors { message } } }`;
const DECIDE = `mutation($input: DecideApplicationInput!) { decideApplication(input: $input) { application { status } userErrors { message } } }`;

function cacheTests(name: string, sharedState: () => ReturnType<typeof createSharedState> | undefined) {
  describe(`response cache, ${name} (${testDbKind()})`, () => {
    let api: TestApi;
    let shared: ReturnType<typeof createSharedState> | undefined;
    const statements: string[] = [];
    beforeAll(async () => {
      shared = sharedState();
      // Wait for Redis, so that every answer goes to the shared store, not the per-process fallback.
      for (let i = 0; shared && !shared.status().healthy && i < 100; i++)
        await new Promise((r) => setTimeout(r, 50));
      if (shared) expect(shared.status().healthy).toBe(true);
      api = await testApi({
        responseCacheTtlSeconds: 600,
        limits: {
          ...DEFAULT_LIMITS,
          trustProxy: { kind: 'hops', hops: 1 },
          rate: {
            windowSeconds: 60,
            budgets: { ANONYMOUS: 5_000, HUB_STAFF: 100_000, ANALYST: 100_000, NATIONAL_ADMIN: 1_000_000 },
          },
        },
        ...(shared ? { sharedState: shared } : {}),
      });
      api.db.onQuery((sql) => statements.push(sql));
    });
    afterAll(async () => {
      await api?.close();
      await shared?.close();
    });

    let address = 0;
    const ask = async (
      query: string,
      variables: Record<string, unknown>,
      as: Caller = 'anonymous',
      from?: string,
    ) => {
      const before = statements.length;
      const response = await api.app.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-forwarded-for': from ?? `192.0.2.${++address}`,
          ...(as === 'anonymous'
            ? {}
            : { authorization: `Bearer ${api.keys[as as Exclude<Caller, 'anonymous'>]}` }),
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as any;
      return { status: response.status, headers: response.headers, body, sql: statements.length - before };
    };

    /**
     * Waits until an answer is in the cache, asking from addresses of their own: the plugin stores
     * an answer after sending it (it does not wait for Redis), so the very next request can miss.
     */
    const untilCached = async (
      query: string,
      variables: Record<string, unknown>,
      as: Caller = 'anonymous',
    ) => {
      for (let i = 0; i < 80; i++) {
        if ((await ask(query, variables, as)).body.extensions.responseCache.hit) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('the answer never reached the cache');
    };

    it('answers a repeated anonymous read from the cache, with no SQL, and says so', async () => {
      const first = await ask(HUB_PAGE, { code: 'NW6' });
      expect(first.body.extensions.responseCache.hit).toBe(false);
      expect(first.sql).toBeGreaterThan(0);
      await untilCached(HUB_PAGE, { code: 'NW6' });
      const second = await ask(HUB_PAGE, { code: 'NW6' });
      expect(second.body.extensions.responseCache.hit).toBe(true);
      expect(second.sql).toBe(0);
      expect(second.body.data).toEqual(first.body.data);
    });

    it('keeps answers to a key private to that key', async () => {
      const query = '{ viewer { role } hub(code: "EE1") { name } }';
      const analyst = await ask(query, {}, 'analyst');
      expect(analyst.body.data.viewer.role).toBe('ANALYST');
      const anonymous = await ask(query, {});
      expect(anonymous.body.extensions.responseCache.hit).toBe(false);
      expect(anonymous.body.data.viewer.role).toBe('ANONYMOUS');
      const staff = await ask(query, {}, 'wm1Staff');
      expect(staff.body.extensions.responseCache.hit).toBe(false);
      expect(staff.body.data.viewer.role).toBe('HUB_STAFF');
      await untilCached(query, {}, 'analyst');
      const again = await ask(query, {}, 'analyst');
      expect(again.body.extensions.responseCache.hit).toBe(true);
      expect(again.body.data.viewer.role).toBe('ANALYST');
    });

    it('adds per-caller figures on the way out: a hit costs one point, and they are never stored', async () => {
      const from = '198.51.100.77';
      const miss = await ask(HUB_PAGE, { code: 'EE2' }, 'anonymous', from);
      await untilCached(HUB_PAGE, { code: 'EE2' });
      const hit = await ask(HUB_PAGE, { code: 'EE2' }, 'anonymous', from);
      expect(hit.body.extensions.responseCache.hit).toBe(true);
      expect(Number(hit.headers.get('ratelimit-remaining'))).toBe(
        Number(miss.headers.get('ratelimit-remaining')) - 1,
      );
      expect(hit.body.extensions.cost.remaining).toBe(miss.body.extensions.cost.remaining - 1);
      expect(hit.body.extensions.cost.requested).toBe(1);
      const other = await ask(HUB_PAGE, { code: 'EE2' }, 'anonymous', '198.51.100.78');
      expect(other.body.extensions.responseCache.hit).toBe(true);
      expect(other.body.extensions.cost.remaining).toBe(4_999);
    });

    it('refuses a spent budget and an unknown key even for a cached read', async () => {
      const from = '198.51.100.90';
      await ask(HUB_PAGE, { code: 'EE3' }, 'anonymous', from);
      // Spend the rest with dear queries.
      let refused: Awaited<ReturnType<typeof ask>> | null = null;
      for (let i = 0; i < 10 && !refused; i++) {
        // Each one different, so that none is answered from the cache.
        const r = await ask(
          'query($n: Int) { hubs(first: 40) { nodes { cohorts(first: $n) { nodes { code } } } } }',
          { n: 40 - i },
          'anonymous',
          from,
        );
        if (r.status === 429) refused = r;
      }
      expect(refused).not.toBeNull();
      const cached = await ask(HUB_PAGE, { code: 'EE3' }, 'anonymous', from);
      expect(cached.status).toBe(429);
      expect(cached.body.errors[0].extensions.code).toBe('RATE_LIMITED');
      const badKey = await api.app.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-key' },
        body: JSON.stringify({ query: HUB_PAGE, variables: { code: 'EE3' } }),
      });
      expect(badKey.status).toBe(401);
    });

    it('gives GET reads an ETag over the body and public caching, and a free 304 to If-None-Match', async () => {
      const [hash] = Object.entries(PERSISTED_OPERATIONS).find(([, text]) => /query HubPage\b/.test(text))!;
      const url = `http://localhost/graphql?extensions=${encodeURIComponent(
        JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }),
      )}&variables=${encodeURIComponent(JSON.stringify({ code: 'YH1' }))}`;
      const get = (headers: Record<string, string>) =>
        api.app.fetch(url, { headers: { 'x-forwarded-for': '203.0.113.50', ...headers } });
      const first = await get({});
      expect(first.status).toBe(200);
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^"[\w-]{32}"$/);
      expect(first.headers.get('cache-control')).toBe('public, max-age=600, stale-while-revalidate=3000');
      const remaining = Number(first.headers.get('ratelimit-remaining'));
      // The same body for another caller, whose extensions.cost differ: the same ETag.
      const other = await api.app.fetch(url, { headers: { 'x-forwarded-for': '203.0.113.51' } });
      expect(other.headers.get('etag')).toBe(etag);
      const notModified = await get({ 'if-none-match': etag });
      expect(notModified.status).toBe(304);
      expect(await notModified.text()).toBe('');
      const after = await get({});
      // The 304 cost nothing: only the last 200 (a cache hit, 1 point) was charged since.
      expect(Number(after.headers.get('ratelimit-remaining'))).toBe(remaining - 1);
      const keyed = await api.app.fetch(url, { headers: { authorization: `Bearer ${api.keys.analyst}` } });
      expect(keyed.headers.get('cache-control')).toBe('private, no-cache');
    });

    it('drops every cached answer that shows a cohort when an application is accepted', async () => {
      const [target] = await api.db.sql.query<{ code: string; hub: string; hub_id: number }>(
        `SELECT c.code, h.code AS hub, h.id AS hub_id FROM cohort c JOIN hub h ON h.id = c.hub_id JOIN programme p ON p.id = c.programme_id
          WHERE p.slug = 'secondary-tfm-development' AND c.status = 'RECRUITING' AND h.code = 'WM1' AND c.places_taken < c.capacity LIMIT 1`,
      );
      const [school] = await api.db.sql.query<{ urn: string }>(
        `SELECT s.urn FROM school s WHERE s.hub_id = $1 AND s.phase = 'SECONDARY' AND s.state_funded
            AND NOT EXISTS (SELECT 1 FROM application a JOIN cohort c ON c.id = a.cohort_id WHERE a.school_id = s.id AND c.code = $2)
          ORDER BY s.urn LIMIT 1`,
        [target!.hub_id, target!.code],
      );
      const places = (page: any) =>
        page.hub.recruitingCohorts.nodes.find((c: any) => c.code === target!.code)?.placesRemaining;
      const listed = (list: any) =>
        list.cohorts.nodes.find((c: any) => c.code === target!.code)?.placesRemaining;

      const hubPage = (await ask(HUB_PAGE, { code: 'WM1' })).body;
      const list = (await ask(RECRUITING, { hubCode: 'WM1', first: 100 })).body;
      const page = (await ask(COHORT, { code: target!.code })).body;
      // All three stored before the mutation, so that its invalidation has something to drop.
      await untilCached(HUB_PAGE, { code: 'WM1' });
      await untilCached(RECRUITING, { hubCode: 'WM1', first: 100 });
      await untilCached(COHORT, { code: target!.code });
      const before = places(hubPage.data);
      expect(listed(list.data)).toBe(before);
      expect(page.data.cohort.placesRemaining).toBe(before);

      const submitted = await ask(SUBMIT, { input: applicationForm(target!.code, school!.urn) });
      expect(submitted.body.data.submitApplication.userErrors).toEqual([]);
      const decided = await ask(
        DECIDE,
        {
          input: { applicationId: submitted.body.data.submitApplication.application.id, decision: 'ACCEPT' },
        },
        'wm1Staff',
      );
      expect(decided.body.data.decideApplication.application.status).toBe('ACCEPTED');

      const hubAfter = await ask(HUB_PAGE, { code: 'WM1' });
      expect(hubAfter.body.extensions.responseCache.hit).toBe(false);
      expect(places(hubAfter.body.data)).toBe(before - 1);
      const listAfter = await ask(RECRUITING, { hubCode: 'WM1', first: 100 });
      expect(listAfter.body.extensions.responseCache.hit).toBe(false);
      expect(listed(listAfter.body.data)).toBe(before - 1);
      const pageAfter = await ask(COHORT, { code: target!.code });
      expect(pageAfter.body.data.cohort.placesRemaining).toBe(before - 1);
    });
  });
}

cacheTests('in this process', () => undefined);
// With Redis when TEST_REDIS_URL names one (.ci/run sets it).
if (process.env.TEST_REDIS_URL)
  cacheTests('in Redis', () =>
    createSharedState(process.env.TEST_REDIS_URL!, createLogger('silent'), `test-${Math.random()}`),
  );
