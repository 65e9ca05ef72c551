/* biome-ignore-all lint/suspicious/noExplicitAny: rows are the JSON of a GraphQL response */
// Reports for analysts who live in spreadsheets and dashboards that want a table as it is:
// GET /reports/cohort-stats.csv and /reports/cohort-stats.json. Each runs the same GraphQL
// operation, through the same Yoga instance, as the same caller: the same roles, suppression,
// cost and budget as the API, by construction. Withheld cells are [c] and cells that do not apply
// [z] (the Government Statistical Service's symbols), never empty.
import { createHash } from 'node:crypto';
import { DIMENSIONS, type PublicDimension, RATE_DECIMALS } from '@maths-hubs/schema';
import type { Plugin } from 'graphql-yoga';

export const WITHHELD = '[c]';
export const NOT_APPLICABLE = '[z]';

const isDimension = (name: string): name is PublicDimension =>
  (DIMENSIONS as readonly string[]).includes(name);

interface Column {
  header: string;
  value: (row: any) => unknown;
}

/**
 * Each dimension's columns (codes and the labels beside them) and its GraphQL selection: one entry
 * for every dimension the API has (a new one fails the type check here until it has columns).
 */
const DIMENSION_COLUMNS: Record<PublicDimension, { selection: string; columns: Column[] }> = {
  REGION: {
    selection: 'region { code name }',
    columns: [
      { header: 'Region code', value: (r) => r.key.region?.code },
      { header: 'Region', value: (r) => r.key.region?.name },
    ],
  },
  HUB: {
    selection: 'hub { code name }',
    columns: [
      { header: 'Hub code', value: (r) => r.key.hub?.code ?? 'national or regional' },
      { header: 'Hub', value: (r) => r.key.hub?.name ?? 'National or regional runs' },
    ],
  },
  PROGRAMME: {
    selection: 'programme { slug name }',
    columns: [
      { header: 'Programme slug', value: (r) => r.key.programme?.slug },
      { header: 'Programme', value: (r) => r.key.programme?.name },
    ],
  },
  PROGRAMME_FAMILY: {
    selection: 'programmeFamily',
    columns: [{ header: 'Programme family', value: (r) => r.key.programmeFamily }],
  },
  MASTERY_PHASE: {
    selection: 'masteryPhase',
    columns: [{ header: 'Mastery phase', value: (r) => r.key.masteryPhase }],
  },
  ACADEMIC_YEAR: {
    selection: 'academicYear',
    columns: [{ header: 'Academic year', value: (r) => r.key.academicYear }],
  },
  ROLE: { selection: 'role', columns: [{ header: 'Role', value: (r) => r.key.role }] },
  SCHOOL_PHASE: {
    selection: 'schoolPhase',
    columns: [{ header: 'School phase', value: (r) => r.key.schoolPhase }],
  },
  LOCAL_AUTHORITY: {
    selection: 'localAuthority',
    columns: [{ header: 'Local authority', value: (r) => r.key.localAuthority }],
  },
  ENROLMENT_STATUS: {
    selection: 'enrolmentStatus',
    columns: [{ header: 'Enrolment status', value: (r) => r.key.enrolmentStatus }],
  },
};

/** A measure cell: the figure, or the symbol saying why there is none. */
const measure =
  (field: string, enumName: string, format: (v: number) => unknown = (v) => v) =>
  (row: any) => {
    if ((row.withheld as string[]).includes(enumName)) return WITHHELD;
    const value = row[field];
    return value === null || value === undefined ? NOT_APPLICABLE : format(value);
  };
const rate = (v: number) => v.toFixed(RATE_DECIMALS);

const MEASURE_COLUMNS: Column[] = [
  { header: 'Cohorts', value: measure('cohorts', 'COHORTS') },
  { header: 'Schools', value: measure('schools', 'SCHOOLS') },
  { header: 'Participants', value: measure('participants', 'PARTICIPANTS') },
  { header: 'Enrolments', value: measure('enrolments', 'ENROLMENTS') },
  { header: 'Completed', value: measure('completed', 'COMPLETED') },
  { header: 'Withdrawn', value: measure('withdrawn', 'WITHDRAWN') },
  { header: 'Completion rate', value: measure('completionRate', 'COMPLETION_RATE', rate) },
  { header: 'Attendance rate', value: measure('attendanceRate', 'ATTENDANCE_RATE', rate) },
  { header: 'Places offered', value: measure('placesOffered', 'PLACES_OFFERED') },
  { header: 'Places filled', value: measure('placesFilled', 'PLACES_FILLED') },
  { header: 'Funding (pence)', value: measure('fundingPence', 'FUNDING_PENCE') },
  {
    header: 'Funding (£)',
    value: measure('fundingPence', 'FUNDING_PENCE', (v) => (v / 100).toFixed(2)),
  },
  { header: 'All cohorts finished', value: (row) => (row.final ? 'yes' : 'no') },
];

const ROW_MEASURES =
  'cohorts schools participants enrolments completed withdrawn completionRate attendanceRate placesOffered placesFilled fundingPence withheld notApplicable final';

export const COHORT_STATS_QUERY = `query CohortStatsReport($groupBy: [StatsDimension!]!, $filter: StatsFilter) {
  cohortStats(groupBy: $groupBy, filter: $filter) {
    rows { key { ${Object.values(DIMENSION_COLUMNS)
      .map((d) => d.selection)
      .join(' ')} } ${ROW_MEASURES} }
    total { ${ROW_MEASURES} }
  }
}`;

/** The report runs by hash, so it works when only persisted operations are allowed. */
export const COHORT_STATS_HASH = createHash('sha256').update(COHORT_STATS_QUERY).digest('hex');

/** What every report says about itself (CSV comment lines, JSON `notes`). */
export const REPORT_NOTES = [
  `${WITHHELD} withheld to protect people: every count of people, schools or accepted places from 1 to 4, and any figure that would let one be worked out (national admins see every figure).`,
  `${NOT_APPLICABLE} not applicable: places and funding by an enrolment dimension, a rate with nothing to divide by.`,
  'Cohorts and places offered are public catalogue facts and are never withheld.',
  `Rates are proportions to ${RATE_DECIMALS} decimal places (0.857 is 85.7%). Funding is places filled × the programme’s per-department rate.`,
];

export interface Report {
  columns: string[];
  rows: { kind: 'group' | 'total'; cells: unknown[] }[];
}

/** The report of a cohortStats result: one column per dimension label, then the measures. */
export function cohortStatsReport(
  groupBy: PublicDimension[],
  stats: { rows: any[]; total: any },
  includeTotal = true,
): Report {
  const dimensionColumns = groupBy.flatMap((d) => DIMENSION_COLUMNS[d]!.columns);
  const columns = ['Row', ...dimensionColumns.map((c) => c.header), ...MEASURE_COLUMNS.map((c) => c.header)];
  const line = (kind: 'group' | 'total', row: any) => ({
    kind,
    cells: [
      kind === 'total' ? 'Total' : 'Group',
      ...dimensionColumns.map((c) => (kind === 'total' ? 'All' : (c.value(row) ?? '(none)'))),
      ...MEASURE_COLUMNS.map((c) => c.value(row)),
    ],
  });
  return {
    columns,
    rows: [
      ...stats.rows.map((r) => line('group', r)),
      ...(includeTotal ? [line('total', { ...stats.total, key: {} })] : []),
    ],
  };
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n#]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function reportCsv(groupBy: string[], report: Report): string {
  const comments = [
    `# Maths Hubs cohort statistics${groupBy.length ? ` by ${groupBy.join(', ')}` : ''}.`,
    ...REPORT_NOTES.map((n) => `# ${n}`),
  ];
  const lines = [report.columns, ...report.rows.map((r) => r.cells)].map((cells) =>
    cells.map(csvCell).join(','),
  );
  return `${[...comments, ...lines].join('\r\n')}\r\n`;
}

export function reportJson(groupBy: string[], report: Report) {
  return {
    groupBy,
    notes: REPORT_NOTES,
    columns: report.columns,
    rows: report.rows.map((r) => Object.fromEntries(report.columns.map((c, i) => [c, r.cells[i] ?? null]))),
  };
}

const LIST_FILTERS: Record<string, 'upper' | 'as-is'> = {
  regionCodes: 'upper',
  hubCodes: 'upper',
  programmeSlugs: 'as-is',
  families: 'upper',
  masteryPhases: 'upper',
  roles: 'upper',
  schoolPhases: 'upper',
  localAuthorities: 'as-is',
};
const SINGLE_FILTERS = ['academicYearFrom', 'academicYearTo'];
const KNOWN = new Set(['groupBy', 'includeTotal', ...Object.keys(LIST_FILTERS), ...SINGLE_FILTERS]);

type Parsed =
  | { groupBy: PublicDimension[]; includeTotal: boolean; filter: Record<string, unknown> }
  | { problem: string };

/** Reads the report's query string; lists are repeated parameters (a name may hold a comma). */
export function parseReportQuery(params: URLSearchParams): Parsed {
  const unknown = [...new Set([...params.keys()].filter((k) => !KNOWN.has(k)))];
  if (unknown.length > 0)
    return {
      problem: `Unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: use any of ${[...KNOWN].join(', ')}.`,
    };
  // Dimension names never hold commas, so groupBy also takes HUB,ACADEMIC_YEAR.
  const groupBy = params
    .getAll('groupBy')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim().toUpperCase())
    .filter(Boolean);
  const bad = groupBy.filter((d) => !isDimension(d));
  if (bad.length > 0)
    return {
      problem: `Unknown groupBy dimension ${bad.join(', ')}: use any of ${DIMENSIONS.join(', ')} (any case).`,
    };
  const includeTotal = params.get('includeTotal') ?? 'true';
  if (!['true', 'false'].includes(includeTotal.toLowerCase()))
    return { problem: `includeTotal must be true or false, not "${includeTotal}".` };
  const filter: Record<string, unknown> = {};
  for (const [name, mode] of Object.entries(LIST_FILTERS)) {
    const values = params
      .getAll(name)
      .map((v) => v.trim())
      .filter(Boolean);
    if (values.length > 0) filter[name] = mode === 'upper' ? values.map((v) => v.toUpperCase()) : values;
  }
  for (const name of SINGLE_FILTERS) if (params.has(name)) filter[name] = params.get(name);
  return {
    groupBy: [...new Set(groupBy.filter(isDimension))],
    includeTotal: includeTotal.toLowerCase() === 'true',
    filter,
  };
}

/** Headers of the inner GraphQL response that the report passes on. */
const PASSED_ON = [
  'retry-after',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'x-request-id',
];
const ROUTES: Record<string, 'csv' | 'json'> = {
  '/reports/cohort-stats.csv': 'csv',
  '/reports/cohort-stats.json': 'json',
};

export function useReports(
  graphqlFetch: () => (request: Request, serverContext: unknown) => Promise<Response>,
): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI, serverContext }) {
      const format = ROUTES[url.pathname];
      if (!format) return;
      const plain = (status: number, message: string, headers: Record<string, string> = {}) =>
        endResponse(
          format === 'json'
            ? new fetchAPI.Response(JSON.stringify({ errors: [{ message }] }), {
                status,
                headers: { ...headers, 'content-type': 'application/json; charset=utf-8' },
              })
            : new fetchAPI.Response(`${message}\n`, {
                status,
                headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' },
              }),
        );
      const parsed = parseReportQuery(url.searchParams);
      if ('problem' in parsed) return plain(400, parsed.problem);

      // The same request through GraphQL, as the same caller (key, address, request id): it is
      // costed, rate-limited and authorised exactly like the query it equals.
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      for (const name of ['authorization', 'x-forwarded-for', 'x-request-id']) {
        const value = request.headers.get(name);
        if (value) headers[name] = value;
      }
      const inner = new fetchAPI.Request(new URL('/graphql', url).toString(), {
        method: 'POST',
        headers,
        body: JSON.stringify({
          variables: { groupBy: parsed.groupBy, filter: parsed.filter },
          extensions: { persistedQuery: { version: 1, sha256Hash: COHORT_STATS_HASH } },
        }),
      });
      const response = await graphqlFetch()(inner, serverContext);
      const passedOn: Record<string, string> = {};
      for (const name of PASSED_ON) {
        const value = response.headers.get(name);
        if (value) passedOn[name] = value;
      }
      const body = (await response.json()) as { data?: any; errors?: { message: string }[] };
      if (body.errors?.length) {
        return plain(
          response.status === 200 ? 400 : response.status,
          body.errors.map((e) => e.message).join('\n'),
          passedOn,
        );
      }
      const report = cohortStatsReport(parsed.groupBy, body.data.cohortStats, parsed.includeTotal);
      endResponse(
        format === 'json'
          ? new fetchAPI.Response(JSON.stringify(reportJson(parsed.groupBy, report)), {
              headers: { ...passedOn, 'content-type': 'application/json; charset=utf-8' },
            })
          : new fetchAPI.Response(reportCsv(parsed.groupBy, report), {
              headers: {
                ...passedOn,
                'content-type': 'text/csv; charset=utf-8',
                'content-disposition': 'attachment; filename="cohort-stats.csv"',
              },
            }),
      );
    },
  };
}
