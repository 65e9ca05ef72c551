// <maths-hub-apply> on a hub website of another origin, against a server that accepts only the
// SDK's persisted operations from anonymous callers, driven with the keyboard alone: a school
// finds its URN, sends a form the server refuses (each message beside its field, a summary at the
// top), puts it right and sends it again; the live word count; a cohort that is not recruiting;
// and readable messages, with nothing typed lost, when the API is down or refuses for rate.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../server/src/config.ts';
import { serveOnLocalPort } from '../../server/test/helpers/api.ts';
import { statementOf } from '../../server/test/helpers/forms.ts';
import { type BrowserSetup, describeInBrowser, embeddingPage, startBrowserSetup } from './helpers/browser.ts';

type TestPage = Awaited<ReturnType<BrowserSetup['newPage']>>;

let setup: BrowserSetup;
/** A recruiting WM1 Work Group, and a secondary school of the hub that has not applied to it. */
let cohort: { code: string; name: string };
let school: { urn: string; name: string };

const RECRUITING = `query { cohorts(first: 50, filter: { recruiting: true, hubCode: "WM1" }) {
  nodes { code name programme { slug } } } }`;

const widget = 'maths-hub-apply';
const applyPage = (path: string, attributes: string, head = '') =>
  setup.hostPage(path, embeddingPage(setup.apiOrigin, `<${widget} ${attributes}></${widget}>`, head));

/** The element that has focus, looking inside shadow roots. */
const focused = (page: TestPage) =>
  page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return {
      id: active?.id ?? '',
      part: active?.getAttribute('part') ?? '',
      tag: active?.tagName.toLowerCase() ?? '',
      text: active?.textContent ?? '',
    };
  });

/** Presses Tab until the control with this id has focus. */
async function tabTo(page: TestPage, id: string, limit = 80) {
  for (let i = 0; i < limit; i++) {
    if ((await focused(page)).id === id) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached #${id}`);
}

/** Tabs to a control and types into it, replacing what was there. */
async function fill(page: TestPage, id: string, text: string) {
  await tabTo(page, id);
  await page.keyboard.press('Control+A');
  if (text.length > 200) await page.keyboard.insertText(text);
  else await page.keyboard.type(text);
}

const control = (page: TestPage, id: string) => page.locator(`${widget} #${id}`);
const errorBeside = (page: TestPage, id: string) => page.locator(`${widget} #${id}-error`);

/** Waits for the form, then fills it in from the keyboard (finding the URN by name). */
async function fillForm(page: TestPage, overrides: Record<string, string> = {}) {
  await expect.poll(() => page.locator(`${widget} form[part="form"]`).count()).toBe(1);
  // The URN, found by the school's name: type, Enter, Tab to the right result, Enter.
  await fill(page, 'mh-school-search', school.name);
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator(`${widget} [part~="result"]`).count()).toBeGreaterThan(0);
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (now.part.includes('result') && now.text.includes(`URN ${school.urn}`)) break;
  }
  await page.keyboard.press('Enter');
  expect((await focused(page)).id).toBe('mh-schoolUrn');
  expect(await control(page, 'mh-schoolUrn').inputValue()).toBe(school.urn);

  const values: Record<string, string> = {
    'mh-contactTelephone': '0121 496 0000',
    'mh-headteacher-name': 'Hana Head',
    'mh-headteacher-email': 'head@school.example.org',
    'mh-headOfDepartment-name': 'Dev Hod',
    'mh-headOfDepartment-email': 'hod@school.example.org',
    'mh-headOfDepartment-trn': 'RP12/34567',
    'mh-advocates-0-name': 'Ada One',
    'mh-advocates-0-email': 'ada.one@school.example.org',
    'mh-advocates-0-trn': '1234567',
    'mh-advocates-0-yearGroupsTaught': 'Years 7, 8 and 10',
    'mh-advocates-0-responsibility': 'Key stage 3 lead',
    'mh-advocates-1-name': 'Bo Two',
    'mh-advocates-1-email': 'bo.two@school.example.org',
    'mh-advocates-1-trn': 'UQT',
    'mh-advocates-1-yearGroupsTaught': 'Years 7 and 9',
    'mh-advocates-1-responsibility': 'Class teacher',
    'mh-priorSpecialistWork': 'Two lesson studies with our local Mastery Specialist last year.',
    'mh-statement': statementOf(140),
    ...overrides,
  };
  // In the order of the form, so that Tab only ever moves forward.
  for (const [id, text] of Object.entries(values)) await fill(page, id, text);
}

describeInBrowser('<maths-hub-apply> in Chromium', () => {
  beforeAll(async () => {
    setup = await startBrowserSetup({ limits: { ...DEFAULT_LIMITS, rate: null, operations: 'persisted' } });
    // The test's own queries carry a key: only anonymous callers are held to persisted operations.
    const nodes: { code: string; name: string; programme: { slug: string } }[] = (
      await setup.api.ok(RECRUITING, {}, 'admin')
    ).cohorts.nodes;
    cohort = nodes.find((c) => c.programme.slug === 'secondary-tfm-development') ?? nodes[0]!;
    expect(cohort).toBeDefined();
    const [found] = await setup.api.db.sql.query<{ urn: string; name: string }>(
      `SELECT s.urn, s.name FROM school s JOIN hub h ON h.id = s.hub_id
        WHERE h.code = 'WM1' AND s.phase = 'SECONDARY' AND s.state_funded
          AND NOT EXISTS (SELECT 1 FROM application a JOIN cohort c ON c.id = a.cohort_id
            WHERE a.school_id = s.id AND c.code = $1)
        ORDER BY s.urn LIMIT 1`,
      [cohort.code],
    );
    expect(found).toBeDefined();
    school = found!;
  }, 180_000);
  afterAll(async () => setup?.close());

  it('shows the cohort, then refuses a bad form field by field and accepts it put right: keyboard only', async () => {
    const page = await setup.newPage();
    await page.goto(applyPage('/apply', `cohort="${cohort.code}"`));
    await expect.poll(() => page.locator(`${widget} #mh-cohort-title`).textContent()).toContain(cohort.name);
    expect(await page.locator(`${widget} [part="cohort"] dt`).allTextContents()).toEqual([
      'Programme',
      'Run by',
      'Closing date',
      'Places left',
    ]);

    // (1) An e-mail address that is not one, a statement over the limit, the commitments unticked.
    await fillForm(page, { 'mh-advocates-0-email': 'ada.one at school', 'mh-statement': statementOf(170) });
    expect(await page.locator(`${widget} [part="count"]`).textContent()).toMatch(/^170 words: 5 more than/);
    await tabTo(page, 'mh-submit');
    await page.keyboard.press('Enter');

    const summary = page.locator(`${widget} [part="error-summary"]`);
    await expect.poll(() => summary.count()).toBe(1);
    expect(await summary.getAttribute('role')).toBe('alert');
    expect((await focused(page)).part).toBe('error-summary');
    const links = summary.locator('a');
    expect(await links.count()).toBe(3);

    const email = control(page, 'mh-advocates-0-email');
    expect(await errorBeside(page, 'mh-advocates-0-email').textContent()).toMatch(/is not an email address/);
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await email.getAttribute('aria-describedby')).toContain('mh-advocates-0-email-error');
    const statement = control(page, 'mh-statement');
    expect(await errorBeside(page, 'mh-statement').textContent()).toMatch(/170 words.*at most 165/);
    expect(await statement.getAttribute('aria-invalid')).toBe('true');
    expect(await statement.getAttribute('aria-describedby')).toContain('mh-statement-error');
    expect(await errorBeside(page, 'mh-commitmentsConfirmed').textContent()).toMatch(
      /confirm the commitments/,
    );
    expect(await control(page, 'mh-commitmentsConfirmed').getAttribute('aria-invalid')).toBe('true');
    // Only those: the other fields are neither marked nor emptied.
    expect(await page.locator(`${widget} [aria-invalid="true"]`).count()).toBe(3);
    expect(await errorBeside(page, 'mh-headteacher-email').isVisible()).toBe(false);
    expect(await control(page, 'mh-advocates-0-name').inputValue()).toBe('Ada One');
    expect(await links.allTextContents()).toEqual([
      await errorBeside(page, 'mh-advocates-0-email').evaluate((e) => e.lastChild?.textContent ?? ''),
      await errorBeside(page, 'mh-statement').evaluate((e) => e.lastChild?.textContent ?? ''),
      await errorBeside(page, 'mh-commitmentsConfirmed').evaluate((e) => e.lastChild?.textContent ?? ''),
    ]);
    await setup.screenshot(page, 'apply-errors');
    expect(await setup.axe(page)).toEqual([]);

    // (2) The summary's first link leads to the field; put each right and send again.
    await page.keyboard.press('Tab');
    expect((await focused(page)).tag).toBe('a');
    await page.keyboard.press('Enter');
    expect((await focused(page)).id).toBe('mh-advocates-0-email');
    expect(new URL(page.url()).hash).toBe(''); // the host page's address is left alone
    await page.keyboard.press('Control+A');
    await page.keyboard.type('ada.one@school.example.org');
    await fill(page, 'mh-statement', statementOf(140));
    expect(await page.locator(`${widget} [part="count"]`).textContent()).toMatch(/^140 words of about 150/);
    await tabTo(page, 'mh-commitmentsConfirmed');
    await page.keyboard.press('Space');
    expect(await control(page, 'mh-commitmentsConfirmed').isChecked()).toBe(true);
    await tabTo(page, 'mh-submit');
    await page.keyboard.press('Enter');

    const confirmation = page.locator(`${widget} [part="confirmation"]`);
    await expect.poll(() => confirmation.count()).toBe(1);
    const said = await confirmation.textContent();
    expect(said).toContain(cohort.name);
    expect(said).toContain(school.name);
    expect(said).toContain('What happens next');
    expect(await focused(page)).toMatchObject({ id: 'mh-confirmation-title', text: 'Application sent' });
    expect(await page.locator(`${widget} form`).count()).toBe(0);

    const stored = await setup.api.db.prisma.application.findFirst({
      where: { cohort: { code: cohort.code }, school: { urn: school.urn } },
      include: { advocates: { orderBy: { position: 'asc' } } },
    });
    expect(stored).toMatchObject({
      status: 'SUBMITTED',
      contactTelephone: '0121 496 0000',
      headteacherEmail: 'head@school.example.org',
      headOfDepartmentTrn: '1234567',
      statement: statementOf(140),
      priorSpecialistWork: 'Two lesson studies with our local Mastery Specialist last year.',
      commitmentsConfirmed: true,
    });
    expect(stored!.advocates.map((a) => [a.email, a.trn])).toEqual([
      ['ada.one@school.example.org', '1234567'],
      ['bo.two@school.example.org', 'UQT'],
    ]);

    // (3) and (4): accessible, and pictured.
    expect(await setup.axe(page)).toEqual([]);
    await setup.screenshot(page, 'apply-confirmation');
    expect(page.errors).toEqual([]);
    await page.context().close();
  });

  it('counts the statement’s words live, as the server counts them, in a polite live region', async () => {
    const page = await setup.newPage();
    const theme = `<style>
      maths-hub-apply { --mh-accent: rgb(1, 2, 3); }
      maths-hub-apply::part(legend) { color: rgb(200, 0, 0); }
    </style>`;
    await page.goto(applyPage('/count', `cohort="${cohort.code}"`, theme));
    await expect.poll(() => page.locator(`${widget} form`).count()).toBe(1);
    // Themable from the host page, and accessible before anything is typed.
    expect(await control(page, 'mh-submit').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe(
      'rgb(1, 2, 3)',
    );
    expect(
      await page
        .locator(`${widget} legend`)
        .first()
        .evaluate((e) => getComputedStyle(e).color),
    ).toBe('rgb(200, 0, 0)');
    expect(await setup.axe(page)).toEqual([]);
    const count = page.locator(`${widget} [part="count"]`);
    const live = page.locator(`${widget} #mh-statement-count`);
    expect(await live.getAttribute('aria-live')).toBe('polite');
    expect(await count.textContent()).toBe('0 words of about 150 (we can accept up to 165).');
    // The limit is told before anything is typed.
    expect(await page.locator(`${widget} #mh-statement-hint`).textContent()).toContain('up to 165 words');

    await tabTo(page, 'mh-statement');
    await page.keyboard.type('Our department');
    expect(await count.textContent()).toMatch(/^2 words of about 150/);
    await page.keyboard.type('  wants\nto   join');
    expect(await count.textContent()).toMatch(/^5 words of about 150/);
    await expect.poll(() => live.textContent()).toMatch(/^5 words of about 150/);
    await page.keyboard.insertText(` ${statementOf(161)}`);
    expect(await count.textContent()).toBe('166 words: 1 more than the 165 we can accept.');
    await expect.poll(() => live.textContent()).toBe('166 words: 1 more than the 165 we can accept.');
    await page.keyboard.press('Backspace'); // "word160" → "word16": still a word
    await page.keyboard.press('Control+Backspace');
    expect(await count.textContent()).toMatch(/^165 words of about 150/);
    await page.context().close();
  });

  it('says so, instead of the form, for a cohort that is not recruiting or does not exist, and follows its attribute', async () => {
    const { cohorts } = await setup.api.ok(
      `query { cohorts(first: 1, filter: { recruiting: false, hubCode: "WM1" }) { nodes { code name } } }`,
      {},
      'admin',
    );
    const closed = cohorts.nodes[0] as { code: string; name: string };
    const page = await setup.newPage();
    await page.goto(applyPage('/closed', `cohort="${closed.code}"`));
    const message = page.locator(`${widget} [part="message"]`);
    await expect.poll(() => message.textContent()).toMatch(/You cannot apply for this cohort here/);
    expect(await page.locator(`${widget} #mh-cohort-title`).textContent()).toContain(closed.name);
    expect(await page.locator(`${widget} form`).count()).toBe(0);

    await page.evaluate(() =>
      document.querySelector('maths-hub-apply')!.setAttribute('cohort', 'NO-SUCH-COHORT'),
    );
    await expect.poll(() => message.textContent()).toMatch(/no cohort with the code “NO-SUCH-COHORT”/);

    await page.evaluate(
      (code) => document.querySelector('maths-hub-apply')!.setAttribute('cohort', code),
      cohort.code,
    );
    await expect.poll(() => page.locator(`${widget} form`).count()).toBe(1);
    expect(await page.locator(`${widget} #mh-cohort-title`).textContent()).toContain(cohort.name);
    expect(page.errors).toEqual([]);
    await page.context().close();
  });

  it('says in words when the API cannot be reached', async () => {
    const page = await setup.newPage();
    const gone = await serveOnLocalPort((_req, res) => res.end());
    await gone.close(); // a port nothing listens on
    await page.goto(applyPage('/down', `cohort="${cohort.code}" api="${new URL(gone.url).origin}"`));
    const message = page.locator(`${widget} [part="message"]`);
    await expect.poll(() => message.textContent()).toMatch(/cannot be reached just now/);
    expect(await message.getAttribute('role')).toBe('alert');
    expect(await page.locator(`${widget} button`).textContent()).toBe('Try again');
    await page.context().close();
  });

  it('keeps what was typed when sending is refused for rate, and sends it when the API is back', async () => {
    // A proxy in front of the API that can be told to refuse for rate, or to be unreachable.
    let mode: 'up' | 'limited' = 'up';
    const cors = {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': 'content-type, accept, authorization',
      'access-control-expose-headers': 'retry-after',
    };
    const proxy = createServer(async (request, response) => {
      if (request.method === 'OPTIONS') return response.writeHead(204, cors).end();
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      if (mode === 'limited') {
        const body = { errors: [{ message: 'Rate limited', extensions: { code: 'RATE_LIMITED' } }] };
        return response
          .writeHead(429, { ...cors, 'content-type': 'application/json', 'retry-after': '0' })
          .end(JSON.stringify(body));
      }
      const upstream = await fetch(`${setup.apiOrigin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: Buffer.concat(chunks),
      });
      response.writeHead(upstream.status, { ...cors, 'content-type': 'application/json' });
      response.end(await upstream.text());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyOrigin = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const page = await setup.newPage();
      await page.goto(applyPage('/limited', `cohort="${cohort.code}" api="${proxyOrigin}"`));
      await expect.poll(() => page.locator(`${widget} form`).count()).toBe(1);
      await fill(page, 'mh-contactTelephone', '0121 496 0001');
      await fill(page, 'mh-headteacher-name', 'Kept Name');

      mode = 'limited';
      await tabTo(page, 'mh-submit');
      await page.keyboard.press('Enter');
      const message = page.locator(`${widget} form [part="message"]`);
      await expect.poll(() => message.textContent()).toMatch(/Too many requests.*has not been sent/);
      expect(await message.getAttribute('role')).toBe('alert');
      expect(await control(page, 'mh-headteacher-name').inputValue()).toBe('Kept Name');
      expect(await control(page, 'mh-contactTelephone').inputValue()).toBe('0121 496 0001');

      // Back up: the server answers, field by field, for what is still missing.
      mode = 'up';
      await tabTo(page, 'mh-submit');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator(`${widget} [part="error-summary"]`).count()).toBe(1);
      expect(await message.count()).toBe(0);
      expect(await errorBeside(page, 'mh-schoolUrn').textContent()).toMatch(/not a URN/);
      expect(await errorBeside(page, 'mh-headteacher-name').isVisible()).toBe(false);
      expect(await control(page, 'mh-headteacher-name').inputValue()).toBe('Kept Name');
      await page.context().close();
    } finally {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });
});
