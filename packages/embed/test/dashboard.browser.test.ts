// The example dashboard (/examples/dashboard) in Chromium: an analyst pastes a key and sees
// cohortStats by region, hub and year as a Plot chart and a table, where suppressed cells are
// marked as such and never as 0; filters reload it, the CSV has the API's figures, and a bad
// key, a forbidden role, rate limiting and an API that is down read as sentences.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BrowserSetup, describeInBrowser, startBrowserSetup } from './helpers/browser.ts';

let setup: BrowserSetup;
let page: Page & { errors: string[] };

const STATS = `query ($groupBy: [StatsDimension!]!, $filter: StatsFilter) {
  cohortStats(groupBy: $groupBy, filter: $filter) {
    rows { key { region { code name } hub { code name } academicYear } ...F }
    total { ...F }
  }
}
fragment F on CohortStatsRow {
  cohorts schools participants enrolments completed withdrawn completionRate attendanceRate
  placesOffered placesFilled fundingPounds withheld notApplicable final
}`;

type Figures = Record<string, number | null> & {
  withheld: string[];
  notApplicable: string[];
  final: boolean;
};
type StatsRow = Figures & {
  key: {
    region: { code: string; name: string } | null;
    hub: { code: string; name: string } | null;
    academicYear: string | null;
  };
};
interface Stats {
  rows: StatsRow[];
  total: Figures;
}

/** The table's and the CSV's measure columns: field, name in `withheld`, CSV header. */
const MEASURES = [
  ['enrolments', 'ENROLMENTS', 'Enrolments'],
  ['participants', 'PARTICIPANTS', 'Participants'],
  ['schools', 'SCHOOLS', 'Schools'],
  ['cohorts', 'COHORTS', 'Cohorts'],
  ['completed', 'COMPLETED', 'Completed'],
  ['withdrawn', 'WITHDRAWN', 'Withdrawn'],
  ['completionRate', 'COMPLETION_RATE', 'Completion rate'],
  ['attendanceRate', 'ATTENDANCE_RATE', 'Attendance rate'],
  ['placesOffered', 'PLACES_OFFERED', 'Places offered'],
  ['placesFilled', 'PLACES_FILLED', 'Places filled'],
  ['fundingPounds', 'FUNDING_PENCE', 'Funding (£)'],
] as const;

const stats = async (groupBy: string[], filter: Record<string, unknown> = {}): Promise<Stats> =>
  (await setup.api.ok(STATS, { groupBy, filter }, 'analyst')).cohortStats;

/** What a cell should say, in the CSV: the API's figure, or the word for why there is none. */
function expectedCsvCell(figures: Figures, field: string, name: string): string {
  if (figures.withheld.includes(name)) return 'suppressed';
  const value = figures[field];
  if (value === null || value === undefined)
    return figures.notApplicable.includes(name) ? 'n/a' : 'no figure';
  return String(value);
}

/** What the table shows for a count: the figure with thousands separators, or the word. */
function expectedCount(figures: Figures, field: string, name: string): string {
  const cell = expectedCsvCell(figures, field, name);
  return /^\d+$/.test(cell) ? Number(cell).toLocaleString('en-GB') : cell;
}

/** The id the dashboard gives a row: the region or hub code, the year, or "national". */
const rowId = (row: StatsRow) =>
  row.key.hub?.code ?? row.key.region?.code ?? row.key.academicYear ?? 'national';

/** RFC 4180 CSV into rows of fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n') {
      endField();
      rows.push(row);
      row = [];
    } else if (c !== '\r') field += c;
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

/** Waits until the dashboard has loaded what its controls ask for. */
async function settled(p: Page) {
  await p.waitForSelector('#dashboard:not([hidden]):not([aria-busy])');
}

async function openDashboard(key: string) {
  const p = await setup.newPage();
  await p.goto(`${setup.apiOrigin}/examples/dashboard`);
  await p.getByLabel('API key', { exact: true }).fill(key);
  await p.getByRole('button', { name: 'Load statistics' }).click();
  return p;
}

/** The chart's marks: one rect per row, by kind; each has an aria-label naming its row. */
async function chartMarks(p: Page) {
  const labels = (kind: string) =>
    p
      .locator(`#chart svg g.${kind} rect`)
      .evaluateAll((rects) => rects.map((r) => r.getAttribute('aria-label') ?? ''));
  return {
    figures: await labels('mh-figure'),
    suppressed: await labels('mh-suppressed'),
    blank: await labels('mh-not-applicable'),
  };
}

/** A programme and the hub-level table for it that has suppressed and shown enrolments. */
let suppressedView: { slug: string; name: string; stats: Stats };

describeInBrowser('the example dashboard in Chromium', () => {
  beforeAll(async () => {
    // Per-table suppression (STATS_PROTECTION=suppression), which withholds whole cells: the
    // dashboard's display of withheld figures is what these tests check. With the default cell key
    // method, figures are rounded and only an attendance rate over a few people is withheld.
    setup = await startBrowserSetup({ statsProtection: 'SUPPRESSION' });
    // Find, from the API itself, a view with suppressed cells: enrolments by hub for one programme.
    const programmes: { slug: string; name: string }[] = (
      await setup.api.ok('{ programmes(first: 100) { nodes { slug name } } }', {}, 'analyst')
    ).programmes.nodes;
    for (const programme of programmes) {
      const table = await stats(['HUB'], { programmeSlugs: [programme.slug] });
      const withheld = table.rows.filter((r) => r.withheld.includes('ENROLMENTS'));
      if (withheld.length > 0 && withheld.length < table.rows.length) {
        suppressedView = { ...programme, stats: table };
        break;
      }
    }
    expect(suppressedView, 'the seeded data has a programme with suppressed hub figures').toBeDefined();
  }, 180_000);
  afterAll(async () => {
    await page?.context().close();
    await setup?.close();
  });

  it('serves the page and its script from the API’s origin', async () => {
    const html = await fetch(`${setup.apiOrigin}/examples/dashboard`);
    expect(html.status).toBe(200);
    expect(await html.text()).toContain('src="/examples/dashboard/dashboard.js"');
    const script = await fetch(`${setup.apiOrigin}/examples/dashboard/dashboard.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('draws cohortStats by region for an analyst’s key: one mark per row, and the table', async () => {
    page = await openDashboard(setup.api.keys.analyst);
    await settled(page);
    const byRegion = await stats(['REGION']);

    // The key is a password field, and not kept unless asked.
    expect(await page.getByLabel('API key', { exact: true }).getAttribute('type')).toBe('password');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    // Plot's chart: exactly one mark per row, each labelled with its row.
    const marks = await chartMarks(page);
    expect(marks.figures.length + marks.suppressed.length + marks.blank.length).toBe(byRegion.rows.length);
    for (const row of byRegion.rows.filter((r) => r.region)) {
      const all = [...marks.figures, ...marks.suppressed, ...marks.blank];
      expect(all.filter((label) => label.startsWith(`${row.key.region!.name}:`))).toHaveLength(1);
    }
    expect(await page.locator('#chart svg').getAttribute('aria-label')).toMatch(
      /chart of enrolments by region/i,
    );
    expect(await page.locator('#chart-caption').textContent()).toMatch(/Enrolments by region/);

    // The table: a caption, column and row headers, the same rows and the total.
    const table = page.locator('#stats-table');
    expect(await table.locator('caption').textContent()).toMatch(/Cohort statistics by region/);
    expect(await table.locator('thead th[scope="col"]').count()).toBe(MEASURES.length + 2);
    expect(await table.locator('tbody tr').count()).toBe(byRegion.rows.length);
    for (const row of byRegion.rows) {
      const tr = table.locator(`tbody tr[data-id="${rowId(row)}"]`);
      expect(await tr.locator('th[scope="row"]').textContent()).toBe(
        row.key.region?.name ?? 'National runs (no region)',
      );
      expect(await tr.locator('td[data-measure="enrolments"]').textContent()).toBe(
        expectedCount(row, 'enrolments', 'ENROLMENTS'),
      );
    }
    expect(await table.locator('tfoot th[scope="row"]').textContent()).toBe('Total');
    expect(await table.locator('tfoot td[data-measure="enrolments"]').textContent()).toBe(
      expectedCount(byRegion.total, 'enrolments', 'ENROLMENTS'),
    );
    expect(page.errors).toEqual([]);
  });

  it('marks suppressed cells as suppressed in the chart and the table, never as 0', async () => {
    const { slug, name, stats: expected } = suppressedView;
    await page.getByLabel('Group by', { exact: true }).selectOption('HUB');
    await settled(page);
    await page.getByLabel('Programme', { exact: true }).selectOption(slug);
    await settled(page);
    expect(await page.locator('#stats-table caption').textContent()).toContain(name);

    const withheld = expected.rows.filter((r) => r.withheld.includes('ENROLMENTS'));
    const shown = expected.rows.filter((r) => !r.withheld.includes('ENROLMENTS'));
    const hubLabel = (r: StatsRow) =>
      r.key.hub ? `${r.key.hub.name} (${r.key.hub.code})` : 'National or regional runs (no hub)';

    const marks = await chartMarks(page);
    expect(marks.figures.length + marks.suppressed.length + marks.blank.length).toBe(expected.rows.length);
    // The same hubs are suppressed in the chart: hatched bands saying so, and no bar of theirs.
    expect(marks.suppressed).toHaveLength(withheld.length);
    for (const row of withheld) {
      expect(
        marks.suppressed.some((l) => l.startsWith(`${hubLabel(row)}:`) && l.includes('suppressed')),
      ).toBe(true);
      expect(marks.figures.some((l) => l.startsWith(`${hubLabel(row)}:`))).toBe(false);
    }
    expect(marks.figures).toHaveLength(shown.length);
    // Each suppressed band carries the word on the chart itself.
    const words = await page.locator('#chart svg text').allTextContents();
    expect(words.filter((w) => w === 'suppressed')).toHaveLength(withheld.length);

    // The table reads "suppressed" in those cells (and the rest of the row's people counts), never 0.
    for (const row of expected.rows) {
      const tr = page.locator(`#stats-table tbody tr[data-id="${rowId(row)}"]`);
      for (const [field, measure] of [
        ['enrolments', 'ENROLMENTS'],
        ['participants', 'PARTICIPANTS'],
        ['schools', 'SCHOOLS'],
      ] as const) {
        const td = tr.locator(`td[data-measure="${field}"]`);
        expect(await td.textContent()).toBe(expectedCount(row, field, measure));
        if (row.withheld.includes(measure)) expect(await td.getAttribute('data-status')).toBe('withheld');
      }
    }
    const suppressedCells = page.locator(
      '#stats-table tbody td[data-measure="enrolments"][data-status="withheld"]',
    );
    expect(await suppressedCells.allTextContents()).toEqual(withheld.map(() => 'suppressed'));
    expect(await page.locator('#status').textContent()).toMatch(
      new RegExp(`${withheld.length} enrolments figures are suppressed`),
    );
    // The suppressed marks and cells are accessible too.
    expect(await setup.axe(page)).toEqual([]);
    await setup.screenshot(page, 'dashboard');
  });

  it('reloads the table when a filter changes', async () => {
    const { slug } = suppressedView;
    const before = await page.locator('#stats-table tbody').textContent();
    const years = (await page
      .getByLabel('Academic year', { exact: true })
      .locator('option')
      .evaluateAll((o) => o.map((e) => (e as HTMLOptionElement).value))) as string[];
    expect(years[0]).toBe(''); // "All years"
    // A year whose table differs from all years together.
    let chosen: { year: string; stats: Stats } | undefined;
    for (const year of years.slice(1)) {
      const table = await stats(['HUB'], {
        programmeSlugs: [slug],
        academicYearFrom: year,
        academicYearTo: year,
      });
      if (table.rows.length > 0) {
        chosen = { year, stats: table };
        break;
      }
    }
    expect(chosen).toBeDefined();
    await page.getByLabel('Academic year', { exact: true }).selectOption(chosen!.year);
    await settled(page);
    expect(await page.locator('#stats-table caption').textContent()).toContain(chosen!.year);
    expect(await page.locator('#stats-table tbody').textContent()).not.toBe(before);
    expect(await page.locator('#stats-table tbody tr').count()).toBe(chosen!.stats.rows.length);
    for (const row of chosen!.stats.rows) {
      const td = page.locator(`#stats-table tbody tr[data-id="${rowId(row)}"] td[data-measure="enrolments"]`);
      expect(await td.textContent()).toBe(expectedCount(row, 'enrolments', 'ENROLMENTS'));
    }
    // Back to all years, for the next tests.
    await page.getByLabel('Academic year', { exact: true }).selectOption('');
    await settled(page);
  });

  it('downloads the table as CSV with the API’s figures, suppressed cells as the word', async () => {
    const { stats: expected } = suppressedView;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^maths-hubs-cohort-stats-by-hub-.*\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    expect(text).toContain('\r\n');
    const [header, ...lines] = parseCsv(text);
    expect(header).toEqual([
      'Hub code',
      'Hub',
      ...MEASURES.map(([, , label]) => label),
      'All cohorts finished',
    ]);
    expect(lines).toHaveLength(expected.rows.length + 1);
    expected.rows.forEach((row, i) => {
      const line = lines[i]!;
      expect(line[0]).toBe(row.key.hub?.code ?? '');
      if (row.key.hub) expect(line[1]).toBe(row.key.hub.name);
      MEASURES.forEach(([field, name], j) => {
        expect(line[2 + j], `${rowId(row)} ${field}`).toBe(expectedCsvCell(row, field, name));
      });
      expect(line.at(-1)).toBe(row.final ? 'yes' : 'no');
    });
    const total = lines.at(-1)!;
    expect(total.slice(0, 2)).toEqual(['', 'Total']);
    MEASURES.forEach(([field, name], j) => {
      expect(total[2 + j], `total ${field}`).toBe(expectedCsvCell(expected.total, field, name));
    });
    // A suppressed figure is never written as 0.
    const enrolments = 2;
    const suppressedLines = lines.filter((l) => l[enrolments] === 'suppressed');
    expect(suppressedLines.length).toBeGreaterThan(0);
  });

  it('shows academic years as columns, with the measure chosen', async () => {
    await page.getByLabel('Group by', { exact: true }).selectOption('ACADEMIC_YEAR');
    await settled(page);
    await page.getByLabel('Measure in the chart', { exact: true }).selectOption('completionRate');
    const expected = await stats(['ACADEMIC_YEAR'], { programmeSlugs: [suppressedView.slug] });
    const marks = await chartMarks(page);
    expect(marks.figures.length + marks.suppressed.length + marks.blank.length).toBe(expected.rows.length);
    expect(await page.locator('#chart svg').getAttribute('aria-label')).toMatch(
      /chart of completion rate by academic year/i,
    );
    const notShown = expected.rows.filter((r) => r.completionRate === null);
    expect(marks.suppressed.length + marks.blank.length).toBe(notShown.length);
  });

  it('is accessible: labelled controls, keyboard use, no serious axe violations', async () => {
    // Keyboard: the grouping changes with the arrow keys and the table follows.
    await page.getByLabel('Group by', { exact: true }).focus();
    await page.keyboard.press('Home');
    await settled(page);
    expect(await page.getByLabel('Group by', { exact: true }).inputValue()).toBe('REGION');
    await page.getByLabel('Measure in the chart', { exact: true }).selectOption('enrolments');
    await page.getByLabel('Programme', { exact: true }).selectOption('');
    await settled(page);
    expect(await page.locator('#stats-table caption').textContent()).toMatch(/by region/);
    for (const label of [
      'API key',
      'Remember for this tab',
      'Group by',
      'Measure in the chart',
      'Academic year',
      'Programme',
      'Region',
    ])
      expect(await page.getByLabel(label, { exact: true }).count(), label).toBe(1);
    expect(await page.locator('h1').count()).toBe(1);
    expect(await page.locator('figure figcaption').count()).toBe(1);
    expect(await page.locator('[aria-live]').count()).toBeGreaterThanOrEqual(2);
    expect(await setup.axe(page)).toEqual([]);
    expect(page.errors).toEqual([]);
  });

  it('keeps the key for this tab only when asked', async () => {
    const p = await setup.newPage();
    await p.goto(`${setup.apiOrigin}/examples/dashboard`);
    await p.getByLabel('API key', { exact: true }).fill(setup.api.keys.analyst);
    await p.getByLabel('Remember for this tab', { exact: true }).check();
    await p.getByRole('button', { name: 'Load statistics' }).click();
    await settled(p);
    expect(await p.evaluate(() => Object.keys(sessionStorage))).toHaveLength(1);
    expect(await p.evaluate(() => Object.keys(localStorage))).toHaveLength(0);
    await p.reload();
    await settled(p); // loads again with the remembered key
    expect(await p.getByLabel('API key', { exact: true }).inputValue()).toBe(setup.api.keys.analyst);
    await p.getByRole('button', { name: 'Forget key' }).click();
    expect(await p.evaluate(() => sessionStorage.length)).toBe(0);
    expect(await p.locator('#dashboard').isHidden()).toBe(true);
    await p.context().close();
  });

  it('sends a key to another origin only once that origin is confirmed on the page, on every load', async () => {
    // The same API under another name: localhost is another origin than 127.0.0.1.
    const other = setup.apiOrigin.replace('127.0.0.1', 'localhost');
    expect(other).not.toBe(setup.apiOrigin);
    const p = await setup.newPage();
    p.on('dialog', (dialog) => {
      p.errors.push(`a ${dialog.type()} dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    // The Authorization header of every request the page makes to the other API.
    let sent: Promise<string | null>[] = [];
    p.on('request', (request) => {
      if (request.url().startsWith(`${other}/graphql`) && request.method() !== 'OPTIONS')
        sent.push(request.allHeaders().then((headers) => headers.authorization ?? null));
    });
    const authorizations = async () => {
      const all = await Promise.all(sent);
      sent = [];
      return all;
    };
    const bearer = `Bearer ${setup.api.keys.analyst}`;
    const confirm = () => p.getByLabel(`Send my key to ${other}`, { exact: true });

    await p.goto(`${setup.apiOrigin}/examples/dashboard?api=${encodeURIComponent(other)}`);
    await p.getByLabel('API key', { exact: true }).fill(setup.api.keys.analyst);
    await p.getByLabel('Remember for this tab', { exact: true }).check();
    await p.getByRole('button', { name: 'Load statistics' }).click();
    await settled(p);
    // Not confirmed: every request went without the key, and the page says so.
    const anonymous = await authorizations();
    expect(anonymous.length).toBeGreaterThan(0);
    expect(anonymous).toEqual(anonymous.map(() => null));
    expect(await p.locator('#status').textContent()).toMatch(/Your key was not sent/);
    expect(await confirm().isChecked()).toBe(false);

    // Confirmed from the keyboard: the statistics load again, with the key.
    await confirm().focus();
    await p.keyboard.press('Space');
    expect(await confirm().isChecked()).toBe(true);
    await expect.poll(async () => (sent.length > 0 ? (await Promise.all(sent)).at(-1) : null)).toBe(bearer);
    await settled(p);
    expect(await p.locator('#status').textContent()).not.toMatch(/not sent/);
    expect(await authorizations()).toContain(bearer);
    expect(await setup.axe(p)).toEqual([]);

    // A filter reloads with the key while the box is ticked.
    await p.getByLabel('Group by', { exact: true }).selectOption('HUB');
    await settled(p);
    expect(await authorizations()).toEqual([bearer]);

    // A new load asks again: the key is remembered, the confirmation is not.
    await p.reload();
    await settled(p);
    expect(await p.getByLabel('API key', { exact: true }).inputValue()).toBe(setup.api.keys.analyst);
    expect(await confirm().isChecked()).toBe(false);
    const afterReload = await authorizations();
    expect(afterReload.length).toBeGreaterThan(0);
    expect(afterReload).toEqual(afterReload.map(() => null));
    expect(await p.locator('#status').textContent()).toMatch(/Your key was not sent/);

    // Unticking stops the key at once: what is shown loads again without it, and so does what follows.
    await confirm().check();
    await expect.poll(async () => (await Promise.all(sent)).includes(bearer)).toBe(true);
    await settled(p);
    await authorizations();
    await confirm().uncheck();
    await settled(p);
    await p.getByLabel('Group by', { exact: true }).selectOption('REGION');
    await settled(p);
    const unticked = await authorizations();
    expect(unticked.length).toBeGreaterThan(1);
    expect(unticked).toEqual(unticked.map(() => null));
    expect(p.errors).toEqual([]);
    await p.context().close();
  });

  it('says so in words when the key is bad, and does not keep it', async () => {
    const p = await setup.newPage();
    await p.goto(`${setup.apiOrigin}/examples/dashboard`);
    await p.getByLabel('API key', { exact: true }).fill('not-a-real-key');
    await p.getByLabel('Remember for this tab', { exact: true }).check();
    await p.getByRole('button', { name: 'Load statistics' }).click();
    await expect
      .poll(() => p.locator('#error').textContent())
      .toMatch(/^Your API key was not accepted\. The API said: “This API key is not known/);
    expect(await p.locator('#error').getAttribute('role')).toBe('alert');
    expect(await p.locator('#dashboard').isHidden()).toBe(true);
    expect(await p.locator('#chart svg').count()).toBe(0);
    expect(await p.evaluate(() => sessionStorage.length)).toBe(0);
    await p.context().close();
  });

  it('says so in words for a forbidden role, rate limiting and an API that is down', async () => {
    const answers: [string, (route: Parameters<Parameters<Page['route']>[1]>[0]) => Promise<void>, RegExp][] =
      [
        [
          'forbidden',
          (route) =>
            route.fulfill({
              status: 403,
              contentType: 'application/json',
              body: JSON.stringify({
                errors: [
                  {
                    message: 'Your API key (HUB_STAFF) may not read this.',
                    extensions: { code: 'FORBIDDEN' },
                  },
                ],
              }),
            }),
          /may not read these statistics.*HUB_STAFF/,
        ],
        [
          'rate limited',
          (route) =>
            route.fulfill({
              status: 429,
              contentType: 'application/json',
              headers: { 'retry-after': '0' },
              body: JSON.stringify({
                errors: [{ message: 'Rate limit reached.', extensions: { code: 'RATE_LIMITED' } }],
              }),
            }),
          /Too many requests/,
        ],
        ['down', (route) => route.abort('connectionrefused'), /cannot be reached just now/],
        [
          'a proxy’s 502',
          (route) => route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>' }),
          /cannot be reached just now/,
        ],
      ];
    for (const [what, answer, message] of answers) {
      const p = await setup.newPage();
      await p.route(`${setup.apiOrigin}/graphql`, answer);
      await p.goto(`${setup.apiOrigin}/examples/dashboard`);
      await p.getByLabel('API key', { exact: true }).fill(setup.api.keys.analyst);
      await p.getByRole('button', { name: 'Load statistics' }).click();
      await expect.poll(() => p.locator('#error').textContent(), { message: what }).toMatch(message);
      expect(await p.locator('body').textContent()).toContain('Maths Hubs cohort statistics');
      await p.context().close();
    }
  });
});
