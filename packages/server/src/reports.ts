/* biome-ignore-all lint/suspicious/noExplicitAny: rows are the JSON of a GraphQL response */
// CSV exports for analysts who live in spreadsheets. Each export runs the same GraphQL query,
// through the same Yoga instance, with the caller's own Authorization header: the same roles and
// the same suppression as the API, by construction.
import { createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

const MEASURES = [
  'cohorts',
  'schools',
  'participants',
  'enrolments',
  'completed',
  'withdrawn',
  'completionRate',
  'attendanceRate',
  'placesOffered',
  'placesFilled',
  'fundingPence',
  'suppressed',
] as const;

/** Each dimension's CSV column and the GraphQL selection that fills it. */
const KEY_COLUMNS: Record<string, { column: string; selection: string; value: (key: any) => unknown }> = {
  REGION: { column: 'region', selection: 'region { code }', value: (k) => k.region?.code },
  HUB: { column: 'hub', selection: 'hub { code }', value: (k) => k.hub?.code },
  PROGRAMME: { column: 'programme', selection: 'programme { slug }', value: (k) => k.programme?.slug },
  PROGRAMME_FAMILY: {
    column: 'programmeFamily',
    selection: 'programmeFamily',
    value: (k) => k.programmeFamily,
  },
  MASTERY_PHASE: { column: 'masteryPhase', selection: 'masteryPhase', value: (k) => k.masteryPhase },
  ACADEMIC_YEAR: { column: 'academicYear', selection: 'academicYear', value: (k) => k.academicYear },
  ROLE: { column: 'role', selection: 'role', value: (k) => k.role },
  SCHOOL_PHASE: { column: 'schoolPhase', selection: 'schoolPhase', value: (k) => k.schoolPhase },
  LOCAL_AUTHORITY: { column: 'localAuthority', selection: 'localAuthority', value: (k) => k.localAuthority },
  ENROLMENT_STATUS: {
    column: 'enrolmentStatus',
    selection: 'enrolmentStatus',
    value: (k) => k.enrolmentStatus,
  },
};

const LIST_FILTERS = [
  'regionCodes',
  'hubCodes',
  'programmeSlugs',
  'families',
  'masteryPhases',
  'roles',
  'schoolPhases',
  'localAuthorities',
];

export const COHORT_STATS_QUERY = `query CohortStatsCsv($groupBy: [StatsDimension!]!, $filter: StatsFilter) {
  cohortStats(groupBy: $groupBy, filter: $filter) {
    rows { key { ${Object.values(KEY_COLUMNS)
      .map((k) => k.selection)
      .join(' ')} } ${MEASURES.join(' ')} }
    total { ${MEASURES.join(' ')} }
  }
}`;

/** The report runs by hash, so it works when only persisted operations are allowed. */
const COHORT_STATS_HASH = createHash('sha256').update(COHORT_STATS_QUERY).digest('hex');

/** Headers of the inner GraphQL response that the CSV response passes on. */
const PASSED_ON = [
  'retry-after',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'x-request-id',
];

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Turns a cohortStats result into CSV: one column per grouped dimension, then the measures. */
export function cohortStatsCsv(groupBy: string[], stats: { rows: any[]; total: any }): string {
  const keys = groupBy.map((d) => KEY_COLUMNS[d]!);
  const lines = [[...keys.map((k) => k.column), ...MEASURES]];
  for (const row of stats.rows)
    lines.push([...keys.map((k) => k.value(row.key)), ...MEASURES.map((m) => row[m])] as string[]);
  lines.push([
    ...keys.map((_, i) => (i === 0 ? 'TOTAL' : '')),
    ...MEASURES.map((m) => stats.total[m]),
  ] as string[]);
  return `${lines.map((line) => line.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

const split = (value: string | null) =>
  value
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : undefined;

/** GET /reports/cohort-stats.csv?groupBy=HUB,ACADEMIC_YEAR&hubCodes=WM1&academicYearFrom=2023/24 */
export function useCsvReports(
  graphqlFetch: () => (request: Request, serverContext: unknown) => Promise<Response>,
): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI, serverContext }) {
      if (url.pathname !== '/reports/cohort-stats.csv') return;
      const groupBy = split(url.searchParams.get('groupBy')) ?? [];
      const unknown = groupBy.filter((d) => !(d in KEY_COLUMNS));
      const badRequest = (message: string) =>
        endResponse(
          new fetchAPI.Response(`${message}\n`, {
            status: 400,
            headers: { 'content-type': 'text/plain; charset=utf-8' },
          }),
        );
      if (unknown.length > 0) {
        return badRequest(
          `Unknown groupBy dimension ${unknown.join(', ')}: use any of ${Object.keys(KEY_COLUMNS).join(', ')}.`,
        );
      }
      const filter: Record<string, unknown> = {};
      for (const name of LIST_FILTERS)
        if (url.searchParams.has(name)) filter[name] = split(url.searchParams.get(name));
      for (const name of ['academicYearFrom', 'academicYearTo'])
        if (url.searchParams.has(name)) filter[name] = url.searchParams.get(name);

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
          variables: { groupBy, filter },
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
        const status = response.status === 200 ? 400 : response.status;
        return endResponse(
          new fetchAPI.Response(`${body.errors.map((e) => e.message).join('\n')}\n`, {
            status,
            headers: { ...passedOn, 'content-type': 'text/plain; charset=utf-8' },
          }),
        );
      }
      endResponse(
        new fetchAPI.Response(cohortStatsCsv(groupBy, body.data.cohortStats), {
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
