// The dashboard's data: where the API is, what it is asked (only through @maths-hubs/sdk), the
// statistics shaped into rows whose every cell says whether it is a figure or why it is not, the
// CSV of those rows, and a readable sentence for anything that goes wrong.
import {
  CohortStatsDocument,
  createBaseClient,
  GraphQLRequestError,
  HttpError,
  ProgrammesDocument,
  RegionsDocument,
  type ResultOf,
  type StatsDimension,
  type StatsFilter,
  type StatsMeasure,
  ViewerDocument,
} from '@maths-hubs/sdk';
import { failureKind, graphqlEndpoint } from '../api.ts';

// ───────────── the API ─────────────

/** The GraphQL endpoint: this page's own origin, or `?api=` (an origin, or a URL ending in /graphql). */
export const endpointFrom = (location: Location): string =>
  graphqlEndpoint(
    new URLSearchParams(location.search).get('api'),
    location.href,
    new URL('/', location.href).href,
  );

export type Api = ReturnType<typeof createBaseClient>;

/** A client sending the key, if given, as `Authorization: Bearer …`; one retry after a 429 or 503. */
export function createApi(url: string, apiKey?: string): Api {
  return createBaseClient({ url, apiKey, retries: 1 });
}

export type Viewer = ResultOf<typeof ViewerDocument>['viewer'];
export type Region = ResultOf<typeof RegionsDocument>['regions'][number];
export type Programme = ResultOf<typeof ProgrammesDocument>['programmes']['nodes'][number];

/** What the filters offer, from the API. */
export interface Options {
  viewer: Viewer;
  regions: Region[];
  programmes: Programme[];
  /** Academic years with cohorts, oldest first. */
  years: string[];
}

/** Checks the key (viewer) and then loads the filters' options. */
export async function loadOptions(api: Api, signal: AbortSignal): Promise<Options> {
  const { viewer } = await api.request(ViewerDocument, {}, { signal });
  const programmes: Programme[] = [];
  const [{ regions }, { cohortStats }] = await Promise.all([
    api.request(RegionsDocument, {}, { signal }),
    api.request(CohortStatsDocument, { groupBy: ['ACADEMIC_YEAR'] }, { signal }),
    (async () => {
      for await (const p of api.paginate(ProgrammesDocument, { first: 100 }, (d) => d.programmes, { signal }))
        programmes.push(p);
    })(),
  ]);
  const years = cohortStats.rows
    .map((r) => r.key.academicYear)
    .filter((y): y is string => y !== null)
    .sort();
  return { viewer, regions, programmes, years };
}

// ───────────── what is shown ─────────────

export type Grouping = 'REGION' | 'HUB' | 'ACADEMIC_YEAR';

export const GROUPINGS: { value: Grouping; label: string; plural: string }[] = [
  { value: 'REGION', label: 'Region', plural: 'regions' },
  { value: 'HUB', label: 'Hub', plural: 'hubs' },
  { value: 'ACADEMIC_YEAR', label: 'Academic year', plural: 'academic years' },
];

type Figures = ResultOf<typeof CohortStatsDocument>['cohortStats']['total'];
type StatsRow = ResultOf<typeof CohortStatsDocument>['cohortStats']['rows'][number];

export type MeasureField = Extract<
  keyof Figures,
  | 'enrolments'
  | 'participants'
  | 'schools'
  | 'cohorts'
  | 'completed'
  | 'withdrawn'
  | 'completionRate'
  | 'attendanceRate'
  | 'placesOffered'
  | 'placesFilled'
  | 'fundingPounds'
>;

export interface Measure {
  field: MeasureField;
  /** Its name in `withheld` and `notApplicable`. */
  name: StatsMeasure;
  label: string;
  kind: 'count' | 'rate' | 'money';
}

/** Every measure, in the table's column order; the chart shows one of them. */
export const MEASURES: Measure[] = [
  { field: 'enrolments', name: 'ENROLMENTS', label: 'Enrolments', kind: 'count' },
  { field: 'participants', name: 'PARTICIPANTS', label: 'Participants', kind: 'count' },
  { field: 'schools', name: 'SCHOOLS', label: 'Schools', kind: 'count' },
  { field: 'cohorts', name: 'COHORTS', label: 'Cohorts', kind: 'count' },
  { field: 'completed', name: 'COMPLETED', label: 'Completed', kind: 'count' },
  { field: 'withdrawn', name: 'WITHDRAWN', label: 'Withdrawn', kind: 'count' },
  { field: 'completionRate', name: 'COMPLETION_RATE', label: 'Completion rate', kind: 'rate' },
  { field: 'attendanceRate', name: 'ATTENDANCE_RATE', label: 'Attendance rate', kind: 'rate' },
  { field: 'placesOffered', name: 'PLACES_OFFERED', label: 'Places offered', kind: 'count' },
  { field: 'placesFilled', name: 'PLACES_FILLED', label: 'Places filled', kind: 'count' },
  { field: 'fundingPounds', name: 'FUNDING_PENCE', label: 'Funding (£)', kind: 'money' },
];

export const measureOf = (field: string): Measure => MEASURES.find((m) => m.field === field) ?? MEASURES[0]!;

/** The view the controls describe. Empty filters mean "all". */
export interface View {
  groupBy: Grouping;
  measure: MeasureField;
  year: string;
  programme: string;
  region: string;
}

export function statsFilter(view: View): StatsFilter {
  return {
    ...(view.year ? { academicYearFrom: view.year, academicYearTo: view.year } : {}),
    ...(view.programme ? { programmeSlugs: [view.programme] } : {}),
    ...(view.region ? { regionCodes: [view.region] } : {}),
  };
}

/**
 * A cell: a figure, or why there is none. `withheld` is the API's suppression (to protect
 * people), `notApplicable` a measure that does not apply; `missing` is a null the API did not
 * explain. None of them is ever a zero.
 */
export type Cell =
  | { status: 'value'; value: number }
  | { status: 'withheld' }
  | { status: 'notApplicable' }
  | { status: 'missing' };

export interface Row {
  /** Stable and unique within a table: the region or hub code, the year, or "total". */
  id: string;
  /** The region or hub code; null for the total, years and national runs. */
  code: string | null;
  label: string;
  total: boolean;
  cells: Record<MeasureField, Cell>;
  /** Every cohort counted has finished. */
  final: boolean;
  suppressed: boolean;
}

export interface Table {
  view: View;
  rows: Row[];
  total: Row;
}

function cellOf(figures: Figures, measure: Measure): Cell {
  if (figures.withheld.includes(measure.name)) return { status: 'withheld' };
  const value = figures[measure.field];
  if (value === null)
    return { status: figures.notApplicable.includes(measure.name) ? 'notApplicable' : 'missing' };
  return { status: 'value', value };
}

function cellsOf(figures: Figures): Record<MeasureField, Cell> {
  return Object.fromEntries(MEASURES.map((m) => [m.field, cellOf(figures, m)])) as Record<MeasureField, Cell>;
}

/** What a row is about: its code (if any) and its label. */
function keyOf(row: StatsRow, groupBy: Grouping): { id: string; code: string | null; label: string } {
  switch (groupBy) {
    case 'REGION': {
      const region = row.key.region;
      return region
        ? { id: region.code, code: region.code, label: region.name }
        : { id: 'national', code: null, label: 'National runs (no region)' };
    }
    case 'HUB': {
      const hub = row.key.hub;
      return hub
        ? { id: hub.code, code: hub.code, label: `${hub.name} (${hub.code})` }
        : { id: 'national', code: null, label: 'National or regional runs (no hub)' };
    }
    case 'ACADEMIC_YEAR': {
      const year = row.key.academicYear ?? 'Unknown year';
      return { id: year, code: null, label: year };
    }
  }
}

/** The statistics for a view, one row per group and the total. */
export async function loadStats(api: Api, view: View, signal?: AbortSignal): Promise<Table> {
  const groupBy: StatsDimension[] = [view.groupBy];
  const { cohortStats } = await api.request(
    CohortStatsDocument,
    { groupBy, filter: statsFilter(view) },
    { signal },
  );
  const rows = cohortStats.rows.map((r) => ({
    ...keyOf(r, view.groupBy),
    total: false,
    cells: cellsOf(r),
    final: r.final,
    suppressed: r.suppressed,
  }));
  const t = cohortStats.total;
  const total = {
    id: 'total',
    code: null,
    label: 'Total',
    total: true,
    cells: cellsOf(t),
    final: t.final,
    suppressed: t.suppressed,
  };
  return { view, rows, total };
}

// ───────────── words and numbers ─────────────

/** How a cell without a figure reads, in the table and in the CSV. */
export const CELL_WORDS = {
  withheld: 'suppressed',
  notApplicable: 'n/a',
  missing: 'no figure',
} as const;

const integer = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const pounds = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });
const percent = new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 1 });

export function formatValue(value: number, measure: Measure): string {
  if (measure.kind === 'rate') return percent.format(value);
  if (measure.kind === 'money') return pounds.format(value);
  return integer.format(value);
}

/** A cell as the table shows it. */
export function cellText(cell: Cell, measure: Measure): string {
  return cell.status === 'value' ? formatValue(cell.value, measure) : CELL_WORDS[cell.status];
}

// ───────────── CSV ─────────────

/** The header and the code/label cells of the grouped dimension. */
function keyColumns(groupBy: Grouping): { headers: string[]; cells: (row: Row) => string[] } {
  if (groupBy === 'ACADEMIC_YEAR') return { headers: ['Academic year'], cells: (r) => [r.label] };
  const name = groupBy === 'REGION' ? 'Region' : 'Hub';
  return {
    headers: [`${name} code`, name],
    // The label without the "(CODE)" the table adds: the code has its own column.
    cells: (r) => [r.code ?? '', r.code ? r.label.replace(` (${r.code})`, '') : r.label],
  };
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. Text that a
 * spreadsheet would run as a formula (=, +, -, @ first) is prefixed with an apostrophe.
 */
export function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The table as CSV: the same rows and the total, figures as the API gives them (rates as
 * proportions, funding in pounds), and cells without a figure as words, never 0.
 */
export function toCsv(table: Table): string {
  const key = keyColumns(table.view.groupBy);
  const header = [...key.headers, ...MEASURES.map((m) => m.label), 'All cohorts finished'];
  const line = (row: Row) => [
    ...(row.total ? [...key.headers.slice(1).map(() => ''), 'Total'] : key.cells(row)),
    ...MEASURES.map((m) => {
      const cell = row.cells[m.field];
      return cell.status === 'value' ? cell.value : CELL_WORDS[cell.status];
    }),
    row.final ? 'yes' : 'no',
  ];
  const lines = [header, ...table.rows.map(line), line(table.total)];
  return `${lines.map((cells) => cells.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** A file name for the view's CSV, e.g. maths-hubs-cohort-stats-by-hub-2024-25.csv. */
export function csvFileName(view: View): string {
  const parts = ['maths-hubs-cohort-stats-by', view.groupBy.toLowerCase().replace('_', '-')];
  for (const filter of [view.year, view.programme, view.region]) if (filter) parts.push(filter);
  return `${parts.join('-').replace(/[^a-z0-9-]+/gi, '-')}.csv`;
}

// ───────────── failures ─────────────

/** A sentence an analyst can act on, for anything the client throws. */
export function describeError(error: unknown, url: string): string {
  const code = error instanceof GraphQLRequestError ? error.code : undefined;
  const status = error instanceof HttpError || error instanceof GraphQLRequestError ? error.status : 0;
  // The server's own message says what to do; the fallback advice is for when there is none.
  const said = (advice: string) =>
    error instanceof GraphQLRequestError ? ` The API said: “${error.message}”` : advice && ` ${advice}`;
  switch (failureKind(error)) {
    case 'unauthenticated':
      return `Your API key was not accepted.${said('Check that you pasted the whole key, or ask a national admin for a new one.')}`;
    case 'forbidden':
      return `Your API key may not read these statistics.${said('Ask a national admin for an analyst key.')}`;
    case 'rate-limited':
      return `Too many requests have been made with this key just now: wait a minute, then try again.${said('')}`;
    case 'unavailable':
      return `The Maths Hubs API at ${url} cannot be reached just now. Check your connection, or try again later.`;
  }
  if (code === 'QUERY_TOO_COMPLEX' || code === 'BAD_USER_INPUT')
    return `The API refused this request.${said('')}`;
  if (status >= 500) return `The Maths Hubs API had a problem (HTTP ${status}). Please try again later.`;
  return `Something went wrong while loading the statistics: ${(error as Error)?.message ?? String(error)}`;
}
