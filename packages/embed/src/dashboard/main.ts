// The example dashboard (GET /examples/dashboard): an analyst pastes an API key and sees
// cohortStats by region, hub or academic year as a chart and a table, filters them, and
// downloads the table as CSV. The page's controls are in index.html; data.ts talks to the API
// (only through @maths-hubs/sdk) and render.ts draws.

import { failureKind } from '../api.ts';
import { h } from '../dom.ts';
import {
  type Api,
  createApi,
  csvFileName,
  describeError,
  endpointFrom,
  GROUPINGS,
  type Grouping,
  loadOptions,
  loadStats,
  MEASURES,
  measureOf,
  type Options,
  type Table,
  toCsv,
  type View,
} from './data.ts';
import { renderChart, renderTable } from './render.ts';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const el = {
  apiNote: $<HTMLParagraphElement>('api-note'),
  apiUrl: $<HTMLElement>('api-url'),
  keyForm: $<HTMLFormElement>('key-form'),
  key: $<HTMLInputElement>('api-key'),
  sendKeyField: $<HTMLDivElement>('send-key-field'),
  sendKey: $<HTMLInputElement>('send-key'),
  sendKeyOrigin: $<HTMLElement>('send-key-origin'),
  sendKeyNote: $<HTMLElement>('send-key-note'),
  remember: $<HTMLInputElement>('remember'),
  load: $<HTMLButtonElement>('load'),
  forget: $<HTMLButtonElement>('forget'),
  status: $<HTMLDivElement>('status'),
  error: $<HTMLDivElement>('error'),
  dashboard: $<HTMLElement>('dashboard'),
  viewForm: $<HTMLFormElement>('view-form'),
  groupBy: $<HTMLSelectElement>('group-by'),
  measure: $<HTMLSelectElement>('measure'),
  year: $<HTMLSelectElement>('year'),
  programme: $<HTMLSelectElement>('programme'),
  region: $<HTMLSelectElement>('region'),
  results: $<HTMLDivElement>('results'),
  chart: $<HTMLDivElement>('chart'),
  chartCaption: $<HTMLElement>('chart-caption'),
  tableRegion: $<HTMLElement>('table-region'),
  download: $<HTMLButtonElement>('download'),
};

const apiUrl = endpointFrom(window.location);
const apiOrigin = new URL(apiUrl).origin;
/**
 * An API on another origin (`?api=`, which a link can set) gets the key only while the analyst has
 * ticked "Send my key to <origin>" on this page; the tick is never stored, so every load asks again.
 */
const elsewhere = apiOrigin !== window.location.origin;
const STORAGE_KEY = 'maths-hubs-dashboard:api-key';

let api: Api | null = null;
/** Whether `api` (or the one being checked) sends the key; without it, it is anonymous. */
let keySent = false;
let options: Options | null = null;
let table: Table | null = null;
/** Aborts the request in flight when a newer one starts. */
let inFlight: AbortController | null = null;

// ───────────── the key (kept in this tab only if asked) ─────────────

/** The stored key, only if it was stored for this same API. */
function storedKey(): string | null {
  try {
    const stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as {
      api?: string;
      key?: string;
    };
    return stored?.api === apiUrl && typeof stored.key === 'string' ? stored.key : null;
  } catch {
    return null;
  }
}

function storeKey(key: string | null) {
  try {
    if (key) sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ api: apiUrl, key }));
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage may be off (private modes); the key then lives only in the input.
  }
}

// ───────────── messages ─────────────

function say(message: string) {
  el.status.textContent = message;
}

function fail(error: unknown) {
  const kind = failureKind(error);
  el.error.textContent =
    !keySent && (kind === 'unauthenticated' || kind === 'forbidden')
      ? `Your key was not sent, and ${apiOrigin} does not give these statistics without one: tick “Send my key to ${apiOrigin}” to send it.`
      : describeError(error, apiUrl);
  say('');
}

/** Says beside the box where the key goes, as it stands. */
function showKeyChoice() {
  el.sendKeyNote.textContent = el.sendKey.checked
    ? `Your key goes to ${apiOrigin} with each request, until you untick this or leave the page.`
    : 'Not ticked: requests go without your key, so you see only what anyone may see.';
}

const isAbort = (error: unknown) => (error as Error)?.name === 'AbortError';

function nextRequest(): AbortSignal {
  inFlight?.abort();
  inFlight = new AbortController();
  return inFlight.signal;
}

// ───────────── controls ─────────────

/** Replaces a select's options, keeping its value when it is still offered. */
function fill(select: HTMLSelectElement, items: { value: string; label: string }[]) {
  const previous = select.value;
  select.replaceChildren(...items.map((i) => h('option', { value: i.value }, i.label)));
  if (items.some((i) => i.value === previous)) select.value = previous;
}

function fillControls(o: Options) {
  fill(
    el.groupBy,
    GROUPINGS.map((g) => ({ value: g.value, label: g.label })),
  );
  fill(
    el.measure,
    MEASURES.map((m) => ({ value: m.field, label: m.label })),
  );
  fill(el.year, [
    { value: '', label: 'All years' },
    ...[...o.years].reverse().map((y) => ({ value: y, label: y })),
  ]);
  fill(el.programme, [
    { value: '', label: 'All programmes' },
    ...[...o.programmes]
      .sort((a, b) => a.name.localeCompare(b.name, 'en-GB'))
      .map((p) => ({ value: p.slug, label: p.name })),
  ]);
  fill(el.region, [
    { value: '', label: 'All regions' },
    ...o.regions.map((r) => ({ value: r.code, label: r.name })),
  ]);
}

function currentView(): View {
  return {
    groupBy: el.groupBy.value as Grouping,
    measure: measureOf(el.measure.value).field,
    year: el.year.value,
    programme: el.programme.value,
    region: el.region.value,
  };
}

/** "2024/25, Secondary TfM Development, all regions" */
function describeFilters(view: View): string {
  const programme = options?.programmes.find((p) => p.slug === view.programme)?.name;
  const region = options?.regions.find((r) => r.code === view.region)?.name;
  return [view.year || 'all years', programme ?? 'all programmes', region ?? 'all regions'].join(', ');
}

// ───────────── loading and drawing ─────────────

/**
 * Checks the key (keeping it for this tab if asked), fills the filters and shows the first view.
 * For an API on another origin, the key is sent only if confirmed on the page; else it loads anonymously.
 */
async function connect(key: string, remember: boolean) {
  const signal = nextRequest();
  keySent = !elsewhere || el.sendKey.checked;
  el.error.textContent = '';
  el.dashboard.setAttribute('aria-busy', 'true');
  say(keySent ? 'Checking your key…' : 'Loading without your key…');
  el.load.disabled = true;
  try {
    const client = createApi(apiUrl, keySent ? key : undefined);
    const loaded = await loadOptions(client, signal);
    api = client;
    options = loaded;
    storeKey(remember ? key : null);
    fillControls(loaded);
    el.dashboard.hidden = false;
    await refresh();
  } catch (error) {
    if (isAbort(error)) return;
    api = null;
    el.dashboard.hidden = true;
    el.dashboard.removeAttribute('aria-busy');
    fail(error);
  } finally {
    el.load.disabled = false;
  }
}

/** Loads the statistics for the controls' view and draws them. */
async function refresh() {
  if (!api) return;
  const signal = nextRequest();
  const view = currentView();
  el.error.textContent = '';
  el.dashboard.setAttribute('aria-busy', 'true');
  say('Loading statistics…');
  try {
    table = await loadStats(api, view, signal);
    draw();
  } catch (error) {
    if (isAbort(error)) return;
    table = null;
    el.results.hidden = true;
    fail(error);
  } finally {
    if (!signal.aborted) el.dashboard.removeAttribute('aria-busy');
  }
}

/** Draws the loaded table with the chosen measure (no request). */
function draw() {
  if (!table) return;
  const view = table.view;
  const measure = measureOf(el.measure.value);
  const grouping = GROUPINGS.find((g) => g.value === view.groupBy)!;
  const filters = describeFilters(view);
  const suppressed = table.rows.filter((r) => r.cells[measure.field].status === 'withheld').length;

  el.results.hidden = false;
  const width = Math.max(320, el.chart.clientWidth || el.results.clientWidth || 640);
  el.chart.replaceChildren(renderChart(table, measure, width));
  el.chartCaption.textContent =
    `${measure.label} by ${grouping.label.toLowerCase()}: ${filters}. ` +
    (suppressed
      ? `${suppressed} of ${table.rows.length} ${grouping.plural} are suppressed: drawn hatched and labelled, not as zero. `
      : '') +
    'The table below gives the same figures.';
  el.tableRegion.replaceChildren(
    renderTable(table, `Cohort statistics by ${grouping.label.toLowerCase()}: ${filters}`, measure),
  );
  say(
    `Showing ${table.rows.length} ${grouping.plural} (${filters}).` +
      (suppressed ? ` ${suppressed} ${measure.label.toLowerCase()} figures are suppressed.` : '') +
      (keySent ? '' : ` Your key was not sent to ${apiOrigin}, so these are the figures anyone may see.`),
  );
}

function downloadCsv() {
  if (!table) return;
  // A byte-order mark, so that spreadsheets read names as UTF-8.
  const blob = new Blob(['\uFEFF', toCsv(table)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  // A blob: URL of our own making, not one from the page or the API: no http(s) check applies.
  const link = h('a', { href: url, download: csvFileName(table.view), hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  say(`Downloaded ${csvFileName(table.view)}.`);
}

// ───────────── wiring ─────────────

el.apiUrl.textContent = apiUrl;
if (elsewhere) {
  el.apiNote.classList.add('warning');
  el.apiNote.append(
    ' This is not the site this page came from: your key is sent there only while you tick “Send my key to …” below.',
  );
  el.sendKeyOrigin.textContent = apiOrigin;
  el.sendKeyField.hidden = false;
  showKeyChoice();
}

el.sendKey.addEventListener('change', () => {
  showKeyChoice();
  // Nothing loaded or loading with the other choice goes on: it loads again with this one.
  const going = api !== null || el.load.disabled;
  inFlight?.abort();
  api = null;
  if (going) el.keyForm.requestSubmit();
});

el.keyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const key = el.key.value.trim();
  if (!key) {
    el.error.textContent = 'Paste your API key into the “API key” box first.';
    el.key.focus();
    return;
  }
  void connect(key, el.remember.checked);
});

el.remember.addEventListener('change', () => {
  const key = el.key.value.trim();
  storeKey(el.remember.checked && api && key ? key : null);
});

el.forget.addEventListener('click', () => {
  inFlight?.abort();
  storeKey(null);
  api = null;
  options = null;
  table = null;
  el.key.value = '';
  el.remember.checked = false;
  el.sendKey.checked = false;
  showKeyChoice();
  el.dashboard.hidden = true;
  el.chart.replaceChildren();
  el.tableRegion.replaceChildren();
  el.error.textContent = '';
  say('The key is forgotten.');
  el.key.focus();
});

el.viewForm.addEventListener('submit', (event) => event.preventDefault());
el.viewForm.addEventListener('change', (event) => {
  // The measure only changes the chart: every measure is loaded already.
  if (event.target === el.measure && table) draw();
  else void refresh();
});

el.download.addEventListener('click', downloadCsv);

const remembered = storedKey();
if (remembered) {
  el.key.value = remembered;
  el.remember.checked = true;
  void connect(remembered, true);
}
