// The aggregate behind cohortStats: one parameterised statement with GROUPING SETS (the rows and
// the total in one pass), run in the database. Dimensions map to fixed SQL expressions from the
// list below; every value a caller supplies is a bound parameter.
import { Prisma, type PrismaClient } from '@maths-hubs/db/client';
import { type CellKeys, cellKeysOf } from './cell-key.ts';
import type { StatsValues } from './suppression.ts';

/** Dimensions of the cohort itself. */
const OF_COHORTS = [
  'REGION',
  'HUB',
  'PROGRAMME',
  'PROGRAMME_FAMILY',
  'MASTERY_PHASE',
  'ACADEMIC_YEAR',
] as const;
/** Dimensions of a participant's enrolment. */
const OF_ENROLMENTS = ['ROLE', 'SCHOOL_PHASE', 'LOCAL_AUTHORITY', 'ENROLMENT_STATUS'] as const;

export const DIMENSIONS = [...OF_COHORTS, ...OF_ENROLMENTS] as const;
export type PublicDimension = (typeof DIMENSIONS)[number];
/** COHORT groups by cohort: used inside the API for the single-object `stats` fields. */
export type Dimension = PublicDimension | 'COHORT';

const COHORT_DIMENSIONS = new Set<Dimension>(['COHORT', ...OF_COHORTS]);

/** Column of each dimension in the `base` and `cohorts` sets below, and its output name. */
const COLUMN: Record<Dimension, string> = {
  COHORT: 'cohort_id',
  REGION: 'region_id',
  HUB: 'hub_id',
  PROGRAMME: 'programme_id',
  PROGRAMME_FAMILY: 'family',
  MASTERY_PHASE: 'mastery_phase',
  ACADEMIC_YEAR: 'academic_year',
  ROLE: 'role',
  SCHOOL_PHASE: 'school_phase',
  LOCAL_AUTHORITY: 'local_authority',
  ENROLMENT_STATUS: 'enrolment_status',
};

export interface StatsFilterValues {
  regionCodes?: string[] | null;
  hubCodes?: string[] | null;
  programmeSlugs?: string[] | null;
  families?: string[] | null;
  masteryPhases?: string[] | null;
  academicYearFrom?: string | null;
  academicYearTo?: string | null;
  cohortIds?: number[] | null;
  /** Only cohorts of these hubs (by id). */
  hubIds?: number[] | null;
  /** Only national and regional runs (no hub). */
  noHub?: boolean | null;
  roles?: string[] | null;
  schoolPhases?: string[] | null;
  localAuthorities?: string[] | null;
}

export type StatsKeyValues = Partial<Record<Dimension, string | number | null>>;

export interface StatsRowResult {
  key: StatsKeyValues;
  values: StatsValues;
  /** The row's cell keys (cell-key.ts), from its enrolments' record keys; null when not read. */
  cellKeys: CellKeys | null;
  /** No enrolment of this row can still be in progress: enrolments = completed + withdrawn. */
  final: boolean;
  /** The row's enrolment status, when grouped by it. */
  status: string | null;
}

export interface StatsResult {
  rows: StatsRowResult[];
  total: StatsRowResult;
}

const list = (values: string[] | null | undefined) => (values && values.length > 0 ? values : null);

/** Conditions on cohorts (the same for the enrolment and the cohort measures). */
function cohortConditions(f: StatsFilterValues) {
  return Prisma.sql`c.status <> 'CANCELLED'
    AND (${list(f.regionCodes)}::text[] IS NULL OR r.code = ANY(${list(f.regionCodes)}::text[]))
    AND (${list(f.hubCodes)}::text[] IS NULL OR h.code = ANY(${list(f.hubCodes)}::text[]))
    AND (${list(f.programmeSlugs)}::text[] IS NULL OR p.slug = ANY(${list(f.programmeSlugs)}::text[]))
    AND (${list(f.families)}::text[] IS NULL OR p.family::text = ANY(${list(f.families)}::text[]))
    AND (${list(f.masteryPhases)}::text[] IS NULL OR p.mastery_phase::text = ANY(${list(f.masteryPhases)}::text[]))
    AND (${f.academicYearFrom ?? null}::text IS NULL OR c.academic_year >= ${f.academicYearFrom ?? null}::text)
    AND (${f.academicYearTo ?? null}::text IS NULL OR c.academic_year <= ${f.academicYearTo ?? null}::text)
    AND (${f.cohortIds && f.cohortIds.length > 0 ? f.cohortIds : null}::int[] IS NULL OR c.id = ANY(${f.cohortIds && f.cohortIds.length > 0 ? f.cohortIds : null}::int[]))
    AND (${f.hubIds && f.hubIds.length > 0 ? f.hubIds : null}::int[] IS NULL OR c.hub_id = ANY(${f.hubIds && f.hubIds.length > 0 ? f.hubIds : null}::int[]))
    AND (${f.noHub ?? false}::boolean = false OR c.hub_id IS NULL)`;
}

const int = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** True when grouped or filtered by a property of enrolments: places and money then do not apply. */
export function isEnrolmentLevel(dims: Dimension[], f: StatsFilterValues): boolean {
  return (
    dims.some((d) => !COHORT_DIMENSIONS.has(d)) ||
    !!(list(f.roles) || list(f.schoolPhases) || list(f.localAuthorities))
  );
}

/**
 * Each cell's keys for the cell key method (cell-key.ts): sums of its enrolments' record keys,
 * over all of them and over the completed and withdrawn ones. Plain sums beside the counts: no
 * join and no distinct aggregate more.
 */
const CELL_KEYS = Prisma.sql`,
             sum(b.record_key) AS key_sum,
             sum(b.record_key) FILTER (WHERE b.enrolment_status = 'COMPLETED') AS key_sum_completed,
             sum(b.record_key) FILTER (WHERE b.enrolment_status = 'WITHDRAWN') AS key_sum_withdrawn`;

/** The one statement behind cohortStats (exported so the benchmark can run it directly). */
export function cohortStatsQuery(
  groupBy: Dimension[],
  f: StatsFilterValues,
  today: Date = new Date(),
  /** Also these subtotals, each a subset of `groupBy` (the per-hub tables of `stats`). */
  subtotals: Dimension[][] = [],
  /** Also each cell's keys (not needed for national admins' exact figures). */
  withKeys = true,
): Prisma.Sql {
  const dims = [...new Set(groupBy)];
  const enrolmentLevel = isEnrolmentLevel(dims, f);
  const cols = dims.map((d) => Prisma.raw(COLUMN[d]));
  const keyList = cols.length > 0 ? Prisma.join(cols, ', ') : Prisma.empty;
  const subtotalSets = subtotals.map((set) => `(${set.map((d) => COLUMN[d]).join(', ')}), `).join('');
  const sets =
    cols.length === 0
      ? Prisma.sql`()`
      : Prisma.sql`GROUPING SETS ((${keyList}), ${Prisma.raw(subtotalSets)}())`;
  const grouping = cols.length > 0 ? Prisma.sql`GROUPING(${keyList})` : Prisma.sql`0`;
  const selectKeys = cols.length > 0 ? Prisma.sql`${keyList},` : Prisma.empty;
  const join =
    cols.length > 0
      ? Prisma.sql`ON e.g = k.g AND ${Prisma.join(
          dims.map((d) => Prisma.raw(`e.${COLUMN[d]} IS NOT DISTINCT FROM k.${COLUMN[d]}`)),
          ' AND ',
        )}`
      : Prisma.sql`ON e.g = k.g`;

  return Prisma.sql`
    WITH scope AS (
      SELECT c.id AS cohort_id, c.capacity, c.places_taken, c.hub_id, coalesce(c.region_id, h.region_id) AS region_id,
             c.programme_id, p.family::text AS family, p.mastery_phase::text AS mastery_phase, c.academic_year,
             (SELECT max(f.amount_pence) FROM funding_line f WHERE f.programme_id = p.id AND f.unit = 'PER_DEPARTMENT') AS per_department,
             -- Finished by status or by date, against the request's clock: no enrolment can still run.
             coalesce(c.status = 'COMPLETED' OR c.ends_on < ${today}::date, false) AS finished
        FROM cohort c JOIN programme p ON p.id = c.programme_id
        LEFT JOIN hub h ON h.id = c.hub_id LEFT JOIN region r ON r.id = coalesce(c.region_id, h.region_id)
       WHERE ${cohortConditions(f)}
    ), base AS (
      SELECT s.*, e.id AS enrolment_id, e.participant_id, e.school_id, e.role::text AS role, e.status::text AS enrolment_status, e.record_key,
             e.sessions_present, e.sessions_recorded, sc.phase::text AS school_phase, sc.local_authority
        FROM scope s JOIN enrolment e ON e.cohort_id = s.cohort_id LEFT JOIN school sc ON sc.id = e.school_id
       WHERE (${list(f.roles)}::text[] IS NULL OR e.role::text = ANY(${list(f.roles)}::text[]))
         AND (${list(f.schoolPhases)}::text[] IS NULL OR sc.phase::text = ANY(${list(f.schoolPhases)}::text[]))
         AND (${list(f.localAuthorities)}::text[] IS NULL OR sc.local_authority = ANY(${list(f.localAuthorities)}::text[]))
    ), e AS (
      SELECT ${selectKeys} ${grouping} AS g,
             ${
               // Cohorts are counted from scope (k) unless an enrolment dimension is involved: one
               // distinct count fewer over every enrolment in the common case.
               enrolmentLevel ? Prisma.sql`count(DISTINCT b.cohort_id)` : Prisma.sql`NULL::bigint`
             } AS cohorts_enrolled, count(DISTINCT b.school_id) AS schools,
             count(DISTINCT b.participant_id) AS participants, count(*) AS enrolments,
             count(*) FILTER (WHERE b.enrolment_status = 'COMPLETED') AS completed,
             count(*) FILTER (WHERE b.enrolment_status = 'WITHDRAWN') AS withdrawn,
             sum(b.sessions_present) AS present, sum(b.sessions_recorded) AS recorded, bool_and(b.finished) AS final
             ${withKeys ? CELL_KEYS : Prisma.empty}
        FROM base b
       GROUP BY ${sets}
    ), k AS (
      ${
        enrolmentLevel
          ? // Places and money belong to cohorts: not reported by enrolment dimensions.
            Prisma.sql`SELECT ${selectKeys} g, NULL::bigint AS cohorts, NULL::bigint AS places_offered,
                NULL::bigint AS places_filled, NULL::bigint AS funding FROM e WHERE false`
          : Prisma.sql`SELECT ${selectKeys} ${grouping} AS g, count(*) AS cohorts, sum(capacity) AS places_offered,
                sum(places_taken) AS places_filled, sum(places_taken * coalesce(per_department, 0)) AS funding
                FROM scope GROUP BY ${sets}`
      }
    )
    SELECT ${
      cols.length > 0
        ? Prisma.join(
            dims.map((d) => Prisma.raw(`coalesce(e.${COLUMN[d]}, k.${COLUMN[d]}) AS ${COLUMN[d]}`)),
            ', ',
          )
        : Prisma.sql`NULL AS none`
    },
           coalesce(e.g, k.g) AS g, e.cohorts_enrolled, e.schools, e.participants, e.enrolments, e.completed, e.withdrawn,
           e.present, e.recorded, e.final, k.cohorts, k.places_offered, k.places_filled, k.funding
           ${withKeys ? Prisma.sql`, e.key_sum, e.key_sum_completed, e.key_sum_withdrawn` : Prisma.empty}
      FROM e FULL JOIN k ${join}
     ORDER BY ${
       cols.length > 0
         ? Prisma.join(
             dims.map((d) => Prisma.raw(`${COLUMN[d]} NULLS FIRST`)),
             ', ',
           )
         : Prisma.sql`1`
     }`;
}

/** A row's cell keys, reduced to the key space; null when the statement did not read them. */
export function keysOf(r: Record<string, unknown>): CellKeys | null {
  if (!('key_sum' in r)) return null;
  return {
    ...cellKeysOf(Number(r.key_sum ?? 0)),
    completed: cellKeysOf(Number(r.key_sum_completed ?? 0)).enrolments,
    withdrawn: cellKeysOf(Number(r.key_sum_withdrawn ?? 0)).enrolments,
  };
}

/** A group with no enrolments has nothing in progress. */
const finalOf = (r: Record<string, unknown>) => r.final === null || r.final === undefined || r.final === true;

/** A row's measures from the statement's columns. */
export function valuesOf(r: Record<string, unknown>, enrolmentLevel: boolean): StatsValues {
  const completed = int(r.completed) ?? 0;
  const withdrawn = int(r.withdrawn) ?? 0;
  const recorded = int(r.recorded) ?? 0;
  return {
    cohorts: enrolmentLevel ? (int(r.cohorts_enrolled) ?? 0) : (int(r.cohorts) ?? 0),
    schools: int(r.schools) ?? 0,
    participants: int(r.participants) ?? 0,
    enrolments: int(r.enrolments) ?? 0,
    completed,
    withdrawn,
    completionRate: completed + withdrawn > 0 ? completed / (completed + withdrawn) : null,
    attendanceRate: recorded > 0 ? (int(r.present) ?? 0) / recorded : null,
    // Places and money belong to cohorts, not to roles, school phases or enrolment statuses.
    placesOffered: enrolmentLevel ? null : (int(r.places_offered) ?? 0),
    placesFilled: enrolmentLevel ? null : (int(r.places_filled) ?? 0),
    fundingPence: enrolmentLevel ? null : (int(r.funding) ?? 0),
  };
}

export async function cohortStats(
  prisma: PrismaClient,
  groupBy: Dimension[],
  f: StatsFilterValues,
  today: Date = new Date(),
): Promise<StatsResult> {
  const dims = [...new Set(groupBy)];
  const enrolmentLevel = isEnrolmentLevel(dims, f);
  const rows = await prisma.$queryRaw<Record<string, unknown>[]>(cohortStatsQuery(dims, f, today));

  const toValues = (r: Record<string, unknown>) => valuesOf(r, enrolmentLevel);
  const keyOf = (r: Record<string, unknown>): StatsKeyValues =>
    Object.fromEntries(dims.map((d) => [d, (r[COLUMN[d]] as string | number | null) ?? null]));

  const statusOf = (r: Record<string, unknown>) =>
    dims.includes('ENROLMENT_STATUS') ? ((r[COLUMN.ENROLMENT_STATUS] as string | null) ?? null) : null;
  const totalRow = rows.find((r) => Number(r.g) !== 0 || dims.length === 0);
  const empty = { key: {}, values: toValues({}), cellKeys: keysOf({}), final: true, status: null };
  return {
    rows:
      dims.length === 0
        ? []
        : rows
            .filter((r) => Number(r.g) === 0)
            .map((r) => ({
              key: keyOf(r),
              values: toValues(r),
              cellKeys: keysOf(r),
              final: finalOf(r),
              status: statusOf(r),
            })),
    total: totalRow
      ? {
          key: {},
          values: toValues(totalRow),
          cellKeys: keysOf(totalRow),
          final: finalOf(totalRow),
          status: null,
        }
      : empty,
  };
}

/** A table of `cohortStatsTables`, with its subtotals by the extra dimension (e.g. per year). */
export interface StatsTable extends StatsResult {
  subtotals: Map<string | number | null, StatsRowResult>;
}

/**
 * Several tables in one statement: the rows grouped by `by` and `groupBy`, and a total per value
 * of `by` (e.g. every hub's cohorts with each hub's total), plus, with `subtotalBy`, a subtotal per
 * value of `by` and `subtotalBy` (each hub's total per year). Keyed by the value of `by`.
 */
export async function cohortStatsTables(
  prisma: PrismaClient,
  by: Dimension,
  groupBy: Dimension[],
  f: StatsFilterValues,
  today: Date = new Date(),
  subtotalBy?: Dimension,
): Promise<Map<string | number | null, StatsTable>> {
  const dims = [...new Set([by, ...groupBy])];
  const enrolmentLevel = isEnrolmentLevel(dims, f);
  const sets = subtotalBy ? [[by], [by, subtotalBy]] : [[by]];
  const raw = await prisma.$queryRaw<Record<string, unknown>[]>(cohortStatsQuery(dims, f, today, sets));
  // GROUPING(...) has a bit per dimension, the first the highest, set where it is rolled up.
  const rolledUpExcept = (kept: Dimension[]) =>
    dims.reduce((mask, d, i) => (kept.includes(d) ? mask : mask | (1 << (dims.length - 1 - i))), 0);
  const totalMask = rolledUpExcept([by]);
  const subtotalMask = subtotalBy ? rolledUpExcept([by, subtotalBy]) : -1;
  const tables = new Map<string | number | null, StatsTable>();
  const tableOf = (value: string | number | null) => {
    let table = tables.get(value);
    if (!table) {
      table = {
        rows: [],
        total: {
          key: {},
          values: valuesOf({}, enrolmentLevel),
          cellKeys: keysOf({}),
          final: true,
          status: null,
        },
        subtotals: new Map(),
      };
      tables.set(value, table);
    }
    return table;
  };
  for (const r of raw) {
    const g = Number(r.g);
    const value = (r[COLUMN[by]] as string | number | null) ?? null;
    const row = {
      key: {},
      values: valuesOf(r, enrolmentLevel),
      cellKeys: keysOf(r),
      final: finalOf(r),
      status: null,
    };
    if (g === 0) {
      tableOf(value).rows.push({
        ...row,
        key: Object.fromEntries(dims.map((d) => [d, (r[COLUMN[d]] as string | number | null) ?? null])),
      });
    } else if (g === totalMask) {
      tableOf(value).total = row;
    } else if (g === subtotalMask && subtotalBy) {
      tableOf(value).subtotals.set((r[COLUMN[subtotalBy]] as string | number | null) ?? null, row);
    }
  }
  return tables;
}
