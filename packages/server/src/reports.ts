// Reports for analysts who live in spreadsheets and dashboards that want a table as it is:
// GET /reports/cohort-stats.csv and /reports/cohort-stats.json. They call the statistics the API
// serves (statsFor) as the same caller: the same key check, suppression and filter validation,
// costed as the equivalent cohortStats query and charged to the same budget. Withheld cells are
// [c] and cells that do not apply [z] (the Government Statistical Service's symbols), never empty.
import { createHash } from 'node:crypto';
import {
  type Context,
  DIMENSIONS,
  operationCost,
  type PublicDimension,
  protectionInfo,
  RATE_DECIMALS,
  roundingBase,
  type StatsRow,
  schema,
  statsFor,
} from '@maths-hubs/schema';
import { coerceInputValue, GraphQLError, type GraphQLInputType, parse } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ClientResolver } from './client-address.ts';
import type { Limits } from './config.ts';
import { buildContext, type ContextDeps, resolveViewer } from './context.ts';
import type { LiveHub } from './live-events.ts';
import type { Logger } from './logger.ts';
import { identifyCaller, stateOf } from './plugins/caller.ts';
import { publicError } from './plugins/errors.ts';
import { tooComplex } from './plugins/limits.ts';
import { type RateLimiter, rateLimited } from './plugins/rate-limit.ts';
import type { ReadRouter } from './plugins/replica.ts';

export const WITHHELD = '[c]';
export const NOT_APPLICABLE = '[z]';

const isDimension = (name: string): name is PublicDimension =>
  (DIMENSIONS as readonly string[]).includes(name);

interface Named {
  code?: string;
  slug?: string;
  name: string;
}

/** A statistics row whose hub, region and programme keys are the objects they name. */
export interface ReportRow extends Omit<StatsRow, 'key'> {
  key: Partial<Record<PublicDimension, unknown>> & {
    REGION?: Named | null;
    HUB?: Named | null;
    PROGRAMME?: Named | null;
  };
}

interface Column {
  header: string;
  value: (row: ReportRow) => unknown;
}

/**
 * Each dimension's columns: codes and the labels beside them. One entry for every dimension the
 * API has (a new one fails the type check here until it has columns).
 */
const DIMENSION_COLUMNS: Record<PublicDimension, Column[]> = {
  REGION: [
    { header: 'Region code', value: (r) => r.key.REGION?.code },
    { header: 'Region', value: (r) => r.key.REGION?.name },
  ],
  HUB: [
    { header: 'Hub code', value: (r) => r.key.HUB?.code ?? 'national or regional' },
    { header: 'Hub', value: (r) => r.key.HUB?.name ?? 'National or regional runs' },
  ],
  PROGRAMME: [
    { header: 'Programme slug', value: (r) => r.key.PROGRAMME?.slug },
    { header: 'Programme', value: (r) => r.key.PROGRAMME?.name },
  ],
  PROGRAMME_FAMILY: [{ header: 'Programme family', value: (r) => r.key.PROGRAMME_FAMILY }],
  MASTERY_PHASE: [{ header: 'Mastery phase', value: (r) => r.key.MASTERY_PHASE }],
  ACADEMIC_YEAR: [{ header: 'Academic year', value: (r) => r.key.ACADEMIC_YEAR }],
  ROLE: [{ header: 'Role', value: (r) => r.key.ROLE }],
  SCHOOL_PHASE: [{ header: 'School phase', value: (r) => r.key.SCHOOL_PHASE }],
  LOCAL_AUTHORITY: [{ header: 'Local authority', value: (r) => r.key.LOCAL_AUTHORITY }],
  ENROLMENT_STATUS: [{ header: 'Enrolment status', value: (r) => r.key.ENROLMENT_STATUS }],
};

type Measure = keyof StatsRow['values'];

/** A measure cell: the figure, or the symbol saying why there is none. */
const measure =
  (name: Measure, format: (v: number) => unknown = (v) => v) =>
  (row: ReportRow) => {
    if (row.withheld?.includes(name)) return WITHHELD;
    const value = row.values[name];
    return value === null || value === undefined ? NOT_APPLICABLE : format(value);
  };
const rate = (v: number) => v.toFixed(RATE_DECIMALS);

const MEASURE_COLUMNS: Column[] = [
  { header: 'Cohorts', value: measure('cohorts') },
  { header: 'Schools', value: measure('schools') },
  { header: 'Participants', value: measure('participants') },
  { header: 'Enrolments', value: measure('enrolments') },
  { header: 'Completed', value: measure('completed') },
  { header: 'Withdrawn', value: measure('withdrawn') },
  { header: 'Completion rate', value: measure('completionRate', rate) },
  { header: 'Attendance rate', value: measure('attendanceRate', rate) },
  { header: 'Places offered', value: measure('placesOffered') },
  { header: 'Places filled', value: measure('placesFilled') },
  { header: 'Funding (pence)', value: measure('fundingPence') },
  { header: 'Funding (£)', value: measure('fundingPence', (v) => (v / 100).toFixed(2)) },
  { header: 'All cohorts finished', value: (row) => (row.final ? 'yes' : 'no') },
];

const ROW_MEASURES =
  'cohorts schools participants enrolments completed withdrawn completionRate attendanceRate placesOffered placesFilled fundingPence withheld notApplicable final';

/**
 * The cohortStats query a report equals: it is costed as this, and stays a persisted operation
 * (hashes once shipped keep working).
 */
export const COHORT_STATS_QUERY = `query CohortStatsReport($groupBy: [StatsDimension!]!, $filter: StatsFilter) {
  cohortStats(groupBy: $groupBy, filter: $filter) {
    rows { key { region { code name } hub { code name } programme { slug name } programmeFamily masteryPhase academicYear role schoolPhase localAuthority enrolmentStatus } ${ROW_MEASURES} }
    total { ${ROW_MEASURES} }
  }
}`;
const COHORT_STATS_DOCUMENT = parse(COHORT_STATS_QUERY);

export const COHORT_STATS_HASH = createHash('sha256').update(COHORT_STATS_QUERY).digest('hex');

export type ReportProtection = ReturnType<typeof protectionInfo>;

/** What every report says about itself (CSV comment lines, JSON `notes`), and how it was protected. */
export function reportNotes({ method, threshold }: ReportProtection): string[] {
  const how = {
    EXACT: 'Protection: none (exact figures, for a national admin).',
    CELL_KEY: `Protection: the cell key method. Counts of schools, participants, enrolments, completed and withdrawn are rounded to a multiple of ${roundingBase(threshold)}, up or down as each cell's key decides, the same way every time; totals are rounded on their own and may differ from the sum of their rows. Zero is zero.`,
    SUPPRESSION: `Protection: suppression. Counts from 1 to ${threshold}, and any figure that would let one be worked out, are withheld.`,
  }[method];
  return [
    how,
    `${WITHHELD} withheld to protect people (with the cell key method, only an attendance rate over too few people).`,
    `${NOT_APPLICABLE} not applicable: places and funding by an enrolment dimension, a rate with nothing to divide by.`,
    'Cohorts, places offered, places filled and funding are public catalogue facts and are exact.',
    `Rates are proportions to ${RATE_DECIMALS} decimal places (0.857 is 85.7%), made from the published counts. Funding is places filled × the programme’s per-department rate.`,
  ];
}

export interface Report {
  columns: string[];
  rows: { kind: 'group' | 'total'; cells: unknown[] }[];
}

/** Replaces the ids of hubs, regions and programmes in row keys by what they name. */
async function labelled(ctx: Context, rows: StatsRow[]): Promise<ReportRow[]> {
  // findUnique calls of one tick are batched by Prisma into one statement per type.
  const id = (value: unknown) => ({ id: Number(value) });
  return Promise.all(
    rows.map(async ({ key, ...row }) => {
      const [REGION, HUB, PROGRAMME] = await Promise.all([
        key.REGION == null ? null : ctx.prisma.region.findUnique({ where: id(key.REGION) }),
        key.HUB == null ? null : ctx.prisma.hub.findUnique({ where: id(key.HUB) }),
        key.PROGRAMME == null ? null : ctx.prisma.programme.findUnique({ where: id(key.PROGRAMME) }),
      ]);
      return { ...row, key: { ...key, REGION, HUB, PROGRAMME } };
    }),
  );
}

/** The report of a statistics table: one column per dimension label, then the measures. */
export function cohortStatsReport(
  groupBy: PublicDimension[],
  stats: { rows: ReportRow[]; total: StatsRow },
  includeTotal = true,
): Report {
  const dimensionColumns = groupBy.flatMap((d) => DIMENSION_COLUMNS[d]);
  const columns = ['Row', ...dimensionColumns.map((c) => c.header), ...MEASURE_COLUMNS.map((c) => c.header)];
  const line = (kind: 'group' | 'total', row: ReportRow) => ({
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

export function reportCsv(
  groupBy: string[],
  report: Report,
  asOf: Date,
  protection: ReportProtection,
): string {
  const comments = [
    `# Maths Hubs cohort statistics${groupBy.length ? ` by ${groupBy.join(', ')}` : ''}, as of ${asOf.toISOString()}.`,
    ...reportNotes(protection).map((n) => `# ${n}`),
  ];
  const lines = [report.columns, ...report.rows.map((r) => r.cells)].map((cells) =>
    cells.map(csvCell).join(','),
  );
  return `${[...comments, ...lines].join('\r\n')}\r\n`;
}

export function reportJson(groupBy: string[], report: Report, asOf: Date, protection: ReportProtection) {
  return {
    groupBy,
    asOf: asOf.toISOString(),
    protection: {
      ...protection,
      roundingBase: protection.method === 'CELL_KEY' ? roundingBase(protection.threshold) : null,
    },
    notes: reportNotes(protection),
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

const ROUTES: Record<string, 'csv' | 'json'> = {
  '/reports/cohort-stats.csv': 'csv',
  '/reports/cohort-stats.json': 'json',
};

const STATS_FILTER = schema.getType('StatsFilter') as GraphQLInputType;

/** The filter as the API would take it: the same types, enums and academic years, or an error. */
function statsFilter(filter: Record<string, unknown>) {
  return coerceInputValue(filter, STATS_FILTER, (path, _value, error) => {
    throw new GraphQLError(`${[...path].join('.') || 'filter'}: ${error.message}`, {
      extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
    });
  }) as Parameters<typeof statsFor>[2];
}

export interface ReportDeps {
  context: ContextDeps;
  live: LiveHub;
  /** Statistics are read from the replica when it is fresh. */
  reads: ReadRouter;
  limiter: RateLimiter;
  limits: Limits;
  logger: Logger;
  clientOf: ClientResolver;
}

export function useReports({
  context: deps,
  live,
  reads,
  limiter,
  limits,
  logger,
  clientOf,
}: ReportDeps): Plugin {
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
      const state = stateOf(request, serverContext, clientOf);
      try {
        const viewer = await resolveViewer(request.headers.get('authorization'), deps);
        identifyCaller(state, viewer);
        const prisma = await reads.forRead();
        const ctx = buildContext(
          state.requestId,
          viewer,
          { ...deps, prisma },
          live.forRequest(state.caller, []),
        );
        const filter = statsFilter(parsed.filter);
        const variableValues = { groupBy: parsed.groupBy, filter: parsed.filter };
        // Costed and charged as the cohortStats query it equals.
        const requested =
          operationCost({ schema, document: COHORT_STATS_DOCUMENT, variableValues, contextValue: ctx }) ?? 0;
        const allowed = viewer.role === 'ANONYMOUS' ? limits.cost.anonymous : limits.cost.key;
        state.cost = { requested, limit: allowed };
        if (requested > allowed) throw tooComplex('cost', requested, allowed);
        const budget = await limiter.charge(viewer.role, state.caller, requested);
        state.budget = budget ?? undefined;
        if (budget && !budget.allowed) throw rateLimited(budget, requested);

        const stats = await statsFor(ctx, parsed.groupBy, filter);
        const report = cohortStatsReport(
          parsed.groupBy,
          { rows: await labelled(ctx, stats.rows), total: stats.total },
          parsed.includeTotal,
        );
        // When the figures were read (the standard views may be up to 5 s old).
        const asOfHeader = stats.asOf.toUTCString();
        endResponse(
          format === 'json'
            ? new fetchAPI.Response(
                JSON.stringify(reportJson(parsed.groupBy, report, stats.asOf, protectionInfo(ctx))),
                {
                  headers: { 'content-type': 'application/json; charset=utf-8', 'last-modified': asOfHeader },
                },
              )
            : new fetchAPI.Response(reportCsv(parsed.groupBy, report, stats.asOf, protectionInfo(ctx)), {
                headers: {
                  'last-modified': asOfHeader,
                  'content-type': 'text/csv; charset=utf-8',
                  'content-disposition': 'attachment; filename="cohort-stats.csv"',
                },
              }),
        );
      } catch (error) {
        // GraphQLError by name: graphql may be loaded twice (ESM and CommonJS), see plugins/errors.ts.
        const e = error as Error;
        const refusal =
          e.name === 'GraphQLError' ? (e as GraphQLError) : publicError(e, state.requestId, logger);
        const http = refusal.extensions.http as
          | { status?: number; headers?: Record<string, string> }
          | undefined;
        return plain(http?.status ?? 400, refusal.message, http?.headers);
      }
    },
  };
}
