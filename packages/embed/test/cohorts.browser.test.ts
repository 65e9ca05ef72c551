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

  /** The page's console warnings, as they come. */
  const warningsOf = (page: Awaited<ReturnType<BrowserSetup['newPage']>>) => {
    const warnings: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
    return warnings;
  };
  /** The warnings that name an attribute and a scheme. */
  const about = (warnings: string[], attribute: string, scheme: string) =>
    warnings.filter((w) => w.includes(`the ${attribute} attribute`) && w.includes(scheme));

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
      // Resolved against the page: the link goes exactly where it was checked to go.
      href: `${setup.hostOrigin}/apply?cohort=${encodeURIComponent(recruiting[0]!.code)}`,
      text: `Apply for ${recruiting[0]!.name}`,
    });
    await page.context().close();
  });

  it('renders no link for a javascript: or data: apply-href, and clicking where Apply would be runs nothing', async () => {
    const page = await setup.newPage();
    const warnings = warningsOf(page);
    // Spellings a browser still runs: any case, a leading space, a tab inside the scheme.
    const hrefs = [
      'javascript:window.ran=(window.ran||0)+1//{code}',
      ' JavaScript:window.ran=(window.ran||0)+1//{code}',
      'java&#9;script:window.ran=(window.ran||0)+1//{code}',
      'data:text/html,<script>opener.ran=1</script>{code}',
    ];
    const body = hrefs
      .map((href) => `<maths-hub-cohorts hub="WM1" apply-href="${href}"></maths-hub-cohorts>`)
      .join('\n');
    await page.goto(setup.hostPage('/script-href', embeddingPage(setup.apiOrigin, body)));
    await expect.poll(() => cards(page).count()).toBe(recruiting.length * hrefs.length);

    // Where Apply would be (the first card's last line), by mouse and by keyboard.
    const card = (await cards(page).first().boundingBox())!;
    await page.mouse.click(card.x + 24, card.y + card.height - 22);
    await page.locator('h1').click();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300); // a javascript: link runs in a task after the click
    expect(await page.evaluate(() => (window as unknown as { ran?: number }).ran)).toBeUndefined();
    expect(page.url()).toBe(`${setup.hostOrigin}/script-href`);

    expect(await page.locator('maths-hub-cohorts a').count()).toBe(0);
    expect(await page.locator('maths-hub-cohorts [part="apply-link"]').count()).toBe(0);
    // The host page's author is told why: the attribute and the scheme, once each, not once per cohort.
    expect(about(warnings, 'apply-href', 'javascript:')).toHaveLength(1);
    expect(about(warnings, 'apply-href', 'data:')).toHaveLength(1);
    expect(page.errors).toEqual([]);
    await page.context().close();
  });

  it('links Apply to http:, https: and relative apply-hrefs, resolved against the page', async () => {
    const page = await setup.newPage();
    const warnings = warningsOf(page);
    const hrefs = {
      https: 'https://hub.example/apply?cohort={code}',
      http: 'http://hub.example/apply/{code}',
      relative: 'apply?cohort={code}',
      rooted: '/forms/apply#{code}',
    };
    const body = Object.entries(hrefs)
      .map(
        ([id, href]) => `<maths-hub-cohorts id="${id}" hub="WM1" apply-href="${href}"></maths-hub-cohorts>`,
      )
      .join('\n');
    const url = setup.hostPage('/hubs/wm1/cohorts', embeddingPage(setup.apiOrigin, body));
    await page.goto(url);
    await expect.poll(() => cards(page).count()).toBe(recruiting.length * 4);
    const code = encodeURIComponent(recruiting[0]!.code);
    for (const [id, href] of Object.entries(hrefs)) {
      const link = page.locator(`#${id} li[part="cohort"]`).first().locator('a[part="apply-link"]');
      expect(await link.evaluate((a) => (a as HTMLAnchorElement).href), id).toBe(
        new URL(href.replace('{code}', code), url).href,
      );
    }
    // A click follows the link.
    const link = page.locator('#rooted li[part="cohort"]').first().locator('a[part="apply-link"]');
    await link.click();
    await page.waitForURL(`${setup.hostOrigin}/forms/apply#${code}`);
    expect(warnings).toEqual([]);
    await page.context().close();
  });

  it('ignores a javascript: api attribute, with a warning, and uses the script’s origin', async () => {
    const page = await setup.newPage();
    const warnings = warningsOf(page);
    await page.goto(
      setup.hostPage(
        '/script-api',
        embeddingPage(
          setup.apiOrigin,
          '<maths-hub-cohorts hub="WM1" api="javascript:alert(1)"></maths-hub-cohorts>',
        ),
      ),
    );
    await expect.poll(() => cards(page).count()).toBe(recruiting.length);
    expect(about(warnings, 'api', 'javascript:')).toHaveLength(1);
    expect(page.errors).toEqual([]);
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
