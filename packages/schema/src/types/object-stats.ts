// The single-object `stats` fields (Cohort, Hub, Programme), consistent with one another and with
// cohortStats, each batched into one grouped statement per request.
import DataLoader from 'dataloader';
import { builder } from '../builder.ts';
import { dependsOn } from '../cache-tags.ts';
import type { Context } from '../context.ts';
import { perturbRow } from '../reporting/cell-key.ts';
import {
  cohortStatsTables,
  type Dimension,
  type StatsRowResult,
  type StatsTable,
} from '../reporting/cohort-stats.ts';
import { MEASURE_GROUPS, MEASURES, type Measure, unsuppressed } from '../reporting/suppression.ts';
import { Cohort } from './cohort.ts';
import { Hub } from './hub.ts';
import { Programme } from './programme.ts';

import { CohortStatsRow, protect, protectionOf, type Row } from './stats.ts';

// ───────────── single-object statistics, consistent across levels ─────────────
//
// A hub's figures and its cohorts' figures are one table (cohorts as rows, the hub as total), so
// a cohort's withheld cell cannot be worked out from the hub's total minus its other cohorts. A
// figure over part of that table (a hub in one year, a programme) is shown only when none of the
// cohort cells it adds up is withheld: then it tells nothing the cohorts do not.

/** A hub's protected table, and its exact totals per academic year (shown via `partOfTable`). */
interface HubTable extends ReturnType<typeof protect> {
  yearTotals: Map<string | number | null, StatsRowResult>;
}
const hubTableLoaders = new WeakMap<Context, DataLoader<number, HubTable>>();
/** The loader's key for national and regional runs (DataLoader keys cannot be null). */
const NO_HUB = -1;

/**
 * The table of a hub's cohorts (null: national and regional runs). Every hub asked for in the same
 * tick comes from one statement (cohorts by hub, with each hub's total and its totals per year),
 * so a page of cohorts or hubs with their `stats` costs one statement, two with national runs.
 */
function hubTable(ctx: Context, hubId: number | null): Promise<HubTable> {
  dependsOn(ctx, `Stats@Hub:${hubId}`);
  let loader = hubTableLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader<number, HubTable>(async (ids) => {
      const hubIds = ids.filter((id) => id !== NO_HUB);
      const groupBy: Dimension[] = ['COHORT', 'ACADEMIC_YEAR'];
      const [byHub, national] = await Promise.all([
        hubIds.length > 0
          ? cohortStatsTables(ctx.prisma, 'HUB', groupBy, { hubIds }, ctx.now, 'ACADEMIC_YEAR')
          : new Map<string | number | null, StatsTable>(),
        ids.includes(NO_HUB)
          ? cohortStatsTables(ctx.prisma, 'HUB', groupBy, { noHub: true }, ctx.now, 'ACADEMIC_YEAR')
          : new Map<string | number | null, StatsTable>(),
      ]);
      return ids.map((id) => {
        const table =
          (id === NO_HUB ? national.get(null) : (byHub.get(id) ?? byHub.get(String(id)))) ?? emptyTable();
        return { ...protect(ctx, table), yearTotals: table.subtotals };
      });
    });
    hubTableLoaders.set(ctx, loader);
  }
  return loader.load(hubId ?? NO_HUB);
}

type ProgrammeKey = { id: number; slug: string };
const programmeTableLoaders = new WeakMap<Context, DataLoader<ProgrammeKey, StatsTable, number>>();

/**
 * A programme's cohorts (with their hubs) and its exact totals, overall and per year: every
 * programme asked for in the same tick comes from one statement.
 */
function programmeTable(ctx: Context, programme: ProgrammeKey): Promise<StatsTable> {
  dependsOn(ctx, `Stats@Programme:${programme.id}`);
  let loader = programmeTableLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader<ProgrammeKey, StatsTable, number>(
      async (programmes) => {
        const tables = await cohortStatsTables(
          ctx.prisma,
          'PROGRAMME',
          ['HUB', 'COHORT', 'ACADEMIC_YEAR'],
          { programmeSlugs: programmes.map((p) => p.slug) },
          ctx.now,
          'ACADEMIC_YEAR',
        );
        return programmes.map((p) => tables.get(p.id) ?? tables.get(String(p.id)) ?? emptyTable());
      },
      { cacheKeyFn: (p) => p.id },
    );
    programmeTableLoaders.set(ctx, loader);
  }
  return loader.load(programme);
}

const emptyRow = (): Row => ({
  key: {},
  values: {
    cohorts: 0,
    schools: 0,
    participants: 0,
    enrolments: 0,
    completed: 0,
    withdrawn: 0,
    completionRate: null,
    attendanceRate: null,
    placesOffered: 0,
    placesFilled: 0,
    fundingPence: 0,
  },
  suppressed: false,
  withheld: [],
  notApplicable: ['completionRate', 'attendanceRate'],
  final: true,
});

/** The table of an object with no cohorts. */
const emptyTable = (): StatsTable => ({
  rows: [],
  total: { key: {}, values: emptyRow().values, cellKeys: null, final: true, status: null },
  subtotals: new Map(),
});

/**
 * A figure over part of a table (a hub's year, a programme), protected for this caller: with the
 * cell key method, as a cell in its own right (the same cell cohortStats publishes); with
 * suppression, shown only where none of `parts` withholds it.
 */
async function protectPart(
  ctx: Context,
  exact: StatsRowResult | undefined,
  parts: () => Promise<Row[]> | Row[],
): Promise<Row> {
  const method = protectionOf(ctx);
  if (method === 'CELL_KEY')
    return perturbRow({ ...(exact ?? emptyTable().total), key: {} }, ctx.suppressionThreshold);
  const row = exactRow(exact);
  if (method === 'EXACT') return unsuppressed([], row).total;
  return partOfTable(row, await parts());
}

/** An exact figure over part of a table, before `partOfTable` decides what it may show. */
const exactRow = (exact: StatsRowResult | undefined): Row => ({
  key: {},
  values: exact?.values ?? emptyRow().values,
  suppressed: false,
  final: exact?.final ?? true,
});

/** An aggregate over some cohort cells: each group shown only if no part withholds it. */
function partOfTable(exact: Row, parts: Row[]): Row {
  const out: Row = { ...exact, values: { ...exact.values } };
  const withheld = new Set<Measure>();
  for (const group of MEASURE_GROUPS) {
    if (!parts.some((p) => group.some((m) => p.withheld?.includes(m)))) continue;
    for (const m of group) {
      out.values[m] = null;
      withheld.add(m);
    }
  }
  out.withheld = MEASURES.filter((m) => withheld.has(m));
  out.notApplicable = MEASURES.filter((m) => out.values[m] === null && !withheld.has(m));
  out.suppressed = withheld.size > 0;
  return out;
}

/** The protected cells of these cohorts, in their hubs' tables (all hubs in one batch). */
async function cohortCells(ctx: Context, cohorts: { id: number; hubId: number | null }[]) {
  const hubIds = [...new Set(cohorts.map((c) => c.hubId))];
  const tables = await Promise.all(hubIds.map((hubId) => hubTable(ctx, hubId)));
  const ids = new Set(cohorts.map((c) => c.id));
  return tables.flatMap((table) => table.rows.filter((r) => ids.has(Number(r.key.COHORT))));
}

builder.objectField(Cohort, 'stats', (t) =>
  t.field({
    type: CohortStatsRow,
    description:
      'This cohort’s statistics (anonymised for everyone but national admins, as one table with the other cohorts of its hub).',
    resolve: async (cohort, _args, ctx) => {
      const table = await hubTable(ctx, cohort.hubId);
      const row = table.rows.find((r) => Number(r.key.COHORT) === cohort.id);
      return row ? { ...row, key: {} } : emptyRow();
    },
  }),
);
builder.objectField(Hub, 'stats', (t) =>
  t.field({
    type: CohortStatsRow,
    description:
      'This hub’s statistics for an academic year, or all years (anonymised for everyone but national admins, consistently with its cohorts’ `stats`).',
    args: { academicYear: t.arg({ type: 'AcademicYear', description: 'Only this academic year.' }) },
    resolve: async (hub, { academicYear }, ctx) => {
      const table = await hubTable(ctx, hub.id);
      if (!academicYear) return table.total;
      return protectPart(ctx, table.yearTotals.get(academicYear), () =>
        table.rows.filter((r) => r.key.ACADEMIC_YEAR === academicYear),
      );
    },
  }),
);
builder.objectField(Programme, 'stats', (t) =>
  t.field({
    type: CohortStatsRow,
    description:
      'This programme’s statistics for an academic year, or all years (anonymised for everyone but national admins; a figure is withheld when any of its cohorts’ figures is).',
    args: { academicYear: t.arg({ type: 'AcademicYear', description: 'Only this academic year.' }) },
    resolve: async (programme, { academicYear }, ctx) => {
      const table = await programmeTable(ctx, programme);
      return protectPart(ctx, academicYear ? table.subtotals.get(academicYear) : table.total, () => {
        const cohorts = table.rows
          .filter((r) => !academicYear || r.key.ACADEMIC_YEAR === academicYear)
          .map((r) => ({ id: Number(r.key.COHORT), hubId: r.key.HUB == null ? null : Number(r.key.HUB) }));
        return cohortCells(ctx, cohorts);
      });
    },
  }),
);
