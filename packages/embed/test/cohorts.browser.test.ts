// <maths-hub-cohorts> on a hub website of another origin, against a server that accepts only the
// SDK's persisted operations from anonymous callers: it lists the hub's recruiting cohorts, keeps
// their places live when a decision is made, is themable and accessible, and says so in words
// when the API cannot be reached or refuses it for rate.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../server/src/config.ts';
import { createLogger } from '../../server/src/logger.ts';
import { createApp } from '../../server/src/server.ts';
import { serveOnLocalPort } from '../../server/test/helpers/api.ts';
import { applicationForm } from '../../server/test/helpers/forms.ts';
import { type BrowserSetup, describeInBrowser, embeddingPage, startBrowserSetup } from './helpers/browser.ts';

let setup: BrowserSetup;
/** The WM1 cohorts the API says are recruiting, soonest deadline first. */
let recruiting: { code: string; name: string; placesRemaining: number; id: string }[];

const RECRUITING = `query { cohorts(first: 50, orderBy: APPLICATION_DEADLINE, filter: { recruiting: true, hubCode: "WM1" }) {
  nodes { id code name placesRemaining } } }`;

describeInBrowser('<maths-hub-cohorts> in Chromium', () => {
  beforeAll(async () => {
    setup = await startBrowserSetup({ limits: { ...DEFAULT_LIMITS, rate: null, operations: 'persisted' } });
    // The test's own queries carry a key: only anonymous callers are held to persisted operations.
    recruiting = (await setup.api.ok(RECRUITING, {}, 'admin')).cohorts.nodes;
    expect(recruiting.length).toBeGreaterThan(0);
  }, 180_000);
  afterAll(async () => setup?.close());

  const cards = (page: Awaited<ReturnType<BrowserSetup['newPage']>>) =>
    page.locator('maths-hub-cohorts li[part="cohort"]');

  it('serves the module to any origin, and refuses writes to it', async () => {
    const response = await fetch(`${setup.apiOrigin}/embed/maths-hubs.js`, {
      headers: { origin: setup.hostOrigin },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    // Yoga's CORS echoes the caller's origin; without one, the file's own header says '*'.
    expect([setup.hostOrigin, '*']).toContain(response.headers.get('access-control-allow-origin'));
    const bare = await fetch(`${setup.apiOrigin}/embed/maths-hubs.js`);
    expect(bare.headers.get('access-control-allow-origin')).toBe('*');
    const etag = response.headers.get('etag');
    expect(etag).toBeTruthy();
    expect((await response.text()).length).toBeGreaterThan(1000);
    const again = await fetch(`${setup.apiOrigin}/embed/maths-hubs.js`, {
      headers: { 'if-none-match': etag! },
    });
    expect(again.status).toBe(304);
    const post = await fetch(`${setup.apiOrigin}/embed/maths-hubs.js`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
  });

  it('lists the hub’s recruiting cohorts from another origin, with persisted operations only', async () => {
    const page = await setup.newPage();
    await page.goto(
      setup.hostPage(
        '/cohorts',
        embeddingPage(setup.apiOrigin, '<maths-hub-cohorts hub="WM1"></maths-hub-cohorts>'),
      ),
    );
    await expect.poll(() => cards(page).count()).toBe(recruiting.length);
    const first = cards(page).first();
    expect(await first.locator('[part="name"]').textContent()).toBe(recruiting[0]!.name);
    expect(await first.getAttribute('data-code')).toBe(recruiting[0]!.code);
    expect(Number(await first.locator('[part="places"]').getAttribute('data-places'))).toBe(
      recruiting[0]!.placesRemaining,
    );
    // Name, programme, deadline and places are labelled in a description list.
    expect(await first.locator('dt').allTextContents()).toEqual([
      'Programme',
      'Apply by',
      'Starts',
      'Places left',
    ]);
    // The shadow root is open, so a host page's scripts can reach in.
    expect(await page.evaluate(() => document.querySelector('maths-hub-cohorts')?.shadowRoot?.mode)).toBe(
      'open',
    );
    expect(page.errors).toEqual([]);
    await setup.screenshot(page, 'cohorts', 'maths-hub-cohorts');
    expect(await setup.axe(page)).toEqual([]);
    await page.context().close();
  });

  it('updates places live when the hub accepts an application', async () => {
    const page = await setup.newPage();
    await page.goto(
      setup.hostPage(
        '/live',
        embeddingPage(setup.apiOrigin, '<maths-hub-cohorts hub="WM1"></maths-hub-cohorts>'),
      ),
    );
    await expect.poll(() => cards(page).count()).toBe(recruiting.length);
    const target = recruiting.find((c) => c.placesRemaining > 2)!;
    expect(target).toBeDefined();
    // A school of the hub that has not applied to this cohort applies, and the hub accepts it.
    const [school] = await setup.api.db.sql.query<{ urn: string }>(
      `SELECT s.urn FROM school s JOIN hub h ON h.id = s.hub_id
        WHERE h.code = 'WM1' AND NOT EXISTS (SELECT 1 FROM application a JOIN cohort c ON c.id = a.cohort_id
          WHERE a.school_id = s.id AND c.code = $1)
        ORDER BY s.urn LIMIT 1`,
      [target.code],
    );
    const submitted = await setup.api.ok(
      `mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { application { id } userErrors { field message } } }`,
      { input: applicationForm(target.code, school!.urn) },
      'admin',
    );
    expect(submitted.submitApplication.userErrors).toEqual([]);
    const places = page.locator(`maths-hub-cohorts li[data-code="${target.code}"] [part="places"]`);
    expect(Number(await places.getAttribute('data-places'))).toBe(target.placesRemaining);
    const decided = await setup.api.ok(
      `mutation($input: DecideApplicationInput!) { decideApplication(input: $input) { userErrors { message } } }`,
      { input: { applicationId: submitted.submitApplication.application.id, decision: 'ACCEPT' } },
      'admin',
    );
    expect(decided.decideApplication.userErrors).toEqual([]);
    await expect
      .poll(async () => Number(await places.getAttribute('data-places')))
      .toBe(target.placesRemaining - 1);
    // Screen-reader users hear it too, politely.
    const announcer = page.locator('maths-hub-cohorts [aria-live="polite"]');
    await expect
      .poll(() => announcer.textContent())
      .toBe(`${target.name}: ${target.placesRemaining - 1} places left.`);
    expect(page.errors).toEqual([]);
    await page.context().close();
  });

  it('is themable with custom properties and ::part, and reachable by keyboard', async () => {
    const page = await setup.newPage();
    const style = `<style>
      maths-hub-cohorts { --mh-color: rgb(10, 20, 30); }
      maths-hub-cohorts::part(cohort) { border-color: rgb(200, 0, 0); }
    </style>`;
    const html = embeddingPage(
      setup.apiOrigin,
      '<maths-hub-cohorts hub="WM1" apply-href="/apply?cohort={code}"></maths-hub-cohorts>',
      style,
    );
    await page.goto(setup.hostPage('/themed', html));
    await expect.poll(() => cards(page).count()).toBe(recruiting.length);
    const first = cards(page).first();
    expect(await first.evaluate((e) => getComputedStyle(e).color)).toBe('rgb(10, 20, 30)');
    expect(await first.evaluate((e) => getComputedStyle(e).borderTopColor)).toBe('rgb(200, 0, 0)');
    // Tab reaches each cohort's link, named for its cohort.
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const active = document.querySelector('maths-hub-cohorts')?.shadowRoot?.activeElement;
      return { href: active?.getAttribute('href'), text: active?.textContent };
    });
    expect(focused).toEqual({
      href: `/apply?cohort=${encodeURIComponent(recruiting[0]!.code)}`,
      text: `Apply for ${recruiting[0]!.name}`,
    });
    await page.context().close();
  });

  it('names the hub when it has nothing recruiting, so a mistyped code shows', async () => {
    const page = await setup.newPage();
    await page.goto(
      setup.hostPage(
        '/empty',
        embeddingPage(setup.apiOrigin, '<maths-hub-cohorts hub="XX9"></maths-hub-cohorts>'),
      ),
    );
    const empty = page.locator('maths-hub-cohorts [part="empty"]');
    await expect
      .poll(() => empty.textContent())
      .toBe('No cohorts at this hub (XX9) are taking applications just now.');
    await page.context().close();
  });

  it('says in words when the API cannot be reached', async () => {
    const page = await setup.newPage();
    const closed = await serveOnLocalPort((_req, res) => res.end());
    await closed.close(); // a port nothing listens on
    const api = new URL(closed.url).origin;
    await page.goto(
      setup.hostPage(
        '/down',
        embeddingPage(setup.apiOrigin, `<maths-hub-cohorts hub="WM1" api="${api}"></maths-hub-cohorts>`),
      ),
    );
    const message = page.locator('maths-hub-cohorts [part="message"]');
    await expect.poll(() => message.textContent()).toMatch(/cannot be reached just now/);
    expect(await message.getAttribute('role')).toBe('alert');
    await page.context().close();
  });

  it('says in words when the API refuses it for rate', async () => {
    // A second instance over the same data with a budget too small for one listing.
    const stingy = createApp({
      db: setup.api.db,
      logger: createLogger('silent'),
      limits: {
        ...DEFAULT_LIMITS,
        rate: { windowSeconds: 3600, budgets: { ANONYMOUS: 1, ANALYST: 1, HUB_STAFF: 1, NATIONAL_ADMIN: 1 } },
      },
    });
    const served = await serveOnLocalPort(stingy);
    try {
      const page = await setup.newPage();
      const api = new URL(served.url).origin;
      await page.goto(
        setup.hostPage(
          '/limited',
          embeddingPage(setup.apiOrigin, `<maths-hub-cohorts hub="WM1" api="${api}"></maths-hub-cohorts>`),
        ),
      );
      const message = page.locator('maths-hub-cohorts [part="message"]');
      await expect.poll(() => message.textContent(), { timeout: 20_000 }).toMatch(/Too many requests/);
      await page.context().close();
    } finally {
      await served.close();
    }
  });
});
