// Reporting: aggregated cohort statistics, computed in the database and anonymised for everyone
// below national admin (small counts withheld, with secondary suppression). Also the single-object
// `stats` fields and school progression between programmes.
import { Prisma } from '@maths-hubs/db/client';
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import {
  cohortStats,
  cohortStatsTables,
  DIMENSIONS,
  type Dimension,
  type PublicDimension,
  type StatsFilterValues,
  type StatsKeyValues,
  type StatsResult,
  type StatsRowResult,
  type StatsTable,
} from '../reporting/cohort-stats.ts';
import {
  MEASURE_GROUPS,
  MEASURES,
  type Measure,
  type StatsValues,
  type Suppressible,
  suppress,
  unsuppressed,
} from '../reporting/suppression.ts';
import { shiftAcademicYear } from '../scalars.ts';
import { Cohort } from './cohort.ts';
import { EnrolmentRole, EnrolmentStatus, MasteryPhase, ProgrammeFamily, SchoolPhase } from './enums.ts';
import { Hub } from './hub.ts';
import { Programme } from './programme.ts';
import { Region } from './region.ts';

const DIMENSION_DESCRIPTIONS: Record<PublicDimension, string> = {
  REGION: 'By region (of the hub, or of a regional run).',
  HUB: 'By hub.',
  PROGRAMME: 'By programme.',
  PROGRAMME_FAMILY: 'By programme family (strand).',
  MASTERY_PHASE: 'By Teaching for Mastery phase.',
  ACADEMIC_YEAR: 'By academic year.',
  ROLE: 'By the participant’s role in the cohort.',
  SCHOOL_PHASE: 'By the phase of the participant’s school.',
  LOCAL_AUTHORITY: 'By the local authority of the participant’s school.',
  ENROLMENT_STATUS: 'By enrolment status.',
};

const StatsDimension = builder.enumType('StatsDimension', {
  description:
    'A dimension to group statistics by. ROLE, SCHOOL_PHASE, LOCAL_AUTHORITY and ENROLMENT_STATUS describe enrolments: grouping by them leaves places and funding (which belong to cohorts) null.',
  values: Object.fromEntries(
    DIMENSIONS.map((d) => [d, { description: DIMENSION_DESCRIPTIONS[d] }]),
  ) as Record<PublicDimension, { description: string }>,
});

const StatsFilter = builder.inputType('StatsFilter', {
  description:
    'Which cohorts and enrolments to count. All given conditions must hold; cancelled cohorts never count.',
  fields: (t) => ({
    regionCodes: t.stringList({ description: 'Only these regions, e.g. ["WM"].' }),
    hubCodes: t.stringList({ description: 'Only these hubs, e.g. ["WM1", "WM2"].' }),
    programmeSlugs: t.stringList({ description: 'Only these programmes.' }),
    families: t.field({ type: [ProgrammeFamily], description: 'Only these programme families.' }),
    masteryPhases: t.field({ type: [MasteryPhase], description: 'Only these Teaching for Mastery phases.' }),
    academicYearFrom: t.field({
      type: 'AcademicYear',
      description: 'From this academic year on (inclusive).',
    }),
    academicYearTo: t.field({ type: 'AcademicYear', description: 'Up to this academic year (inclusive).' }),
    roles: t.field({ type: [EnrolmentRole], description: 'Only enrolments in these roles.' }),
    schoolPhases: t.field({
      type: [SchoolPhase],
      description: 'Only enrolments for schools of these phases.',
    }),
    localAuthorities: t.stringList({
      description: 'Only enrolments for schools in these local authorities (exact names).',
    }),
  }),
});

const StatsKey = builder.objectRef<StatsKeyValues>('StatsKey').implement({
  description:
    'What a row of statistics is about: the value of each grouped dimension (null unless grouped).',
  fields: (t) => ({
    region: t.field({
      type: Region,
      nullable: true,
      description: 'The region, when grouped by REGION.',
      resolve: (k, _a, ctx) => (k.REGION == null ? null : ctx.loaders.region.load(Number(k.REGION))),
    }),
    hub: t.field({
      type: Hub,
      nullable: true,
      description: 'The hub, when grouped by HUB (null also for national runs).',
      resolve: (k, _a, ctx) => (k.HUB == null ? null : ctx.loaders.hub.load(Number(k.HUB))),
    }),
    programme: t.field({
      type: Programme,
      nullable: true,
      description: 'The programme, when grouped by PROGRAMME.',
      resolve: (k, _a, ctx) => (k.PROGRAMME == null ? null : ctx.loaders.programme.load(Number(k.PROGRAMME))),
    }),
    programmeFamily: t.field({
      type: ProgrammeFamily,
      nullable: true,
      description: 'When grouped by PROGRAMME_FAMILY.',
      resolve: (k) => (k.PROGRAMME_FAMILY as never) ?? null,
    }),
    masteryPhase: t.field({
      type: MasteryPhase,
      nullable: true,
      description: 'When grouped by MASTERY_PHASE.',
      resolve: (k) => (k.MASTERY_PHASE as never) ?? null,
    }),
    academicYear: t.field({
      type: 'AcademicYear',
      nullable: true,
      description: 'When grouped by ACADEMIC_YEAR.',
      resolve: (k) => (k.ACADEMIC_YEAR as string) ?? null,
    }),
    role: t.field({
      type: EnrolmentRole,
      nullable: true,
      description: 'When grouped by ROLE.',
      resolve: (k) => (k.ROLE as never) ?? null,
    }),
    schoolPhase: t.field({
      type: SchoolPhase,
      nullable: true,
      description: 'When grouped by SCHOOL_PHASE.',
      resolve: (k) => (k.SCHOOL_PHASE as never) ?? null,
    }),
    localAuthority: t.string({
      nullable: true,
      description: 'When grouped by LOCAL_AUTHORITY.',
      resolve: (k) => (k.LOCAL_AUTHORITY as string) ?? null,
    }),
    enrolmentStatus: t.field({
      type: EnrolmentStatus,
      nullable: true,
      description: 'When grouped by ENROLMENT_STATUS.',
      resolve: (k) => (k.ENROLMENT_STATUS as never) ?? null,
    }),
  }),
});

type Row = Suppressible<StatsKeyValues>;

/** Rates are given to this many decimal places (a proportion: 0.857 is 85.7%). */
export const RATE_DECIMALS = 3;
const roundRate = (rate: number | null) => (rate === null ? null : Number(rate.toFixed(RATE_DECIMALS)));

const MEASURE_ENUM: Record<Measure, string> = {
  cohorts: 'COHORTS',
  schools: 'SCHOOLS',
  participants: 'PARTICIPANTS',
  enrolments: 'ENROLMENTS',
  completed: 'COMPLETED',
  withdrawn: 'WITHDRAWN',
  completionRate: 'COMPLETION_RATE',
  attendanceRate: 'ATTENDANCE_RATE',
  placesOffered: 'PLACES_OFFERED',
  placesFilled: 'PLACES_FILLED',
  fundingPence: 'FUNDING_PENCE',
};

export const StatsMeasure = builder.enumType('StatsMeasure', {
  description: 'A measure of a statistics row, as named in `withheld` and `notApplicable`.',
  values: Object.fromEntries(
    MEASURES.map((m) => [MEASURE_ENUM[m], { value: m, description: `The \`${m}\` field.` }]),
  ) as Record<string, { value: Measure; description: string }>,
});

const CohortStatsRow = builder.objectRef<Row>('CohortStatsRow').implement({
  description:
    'Statistics for one group (or the total). For everyone but national admins, every figure that counts people, schools or accepted places (schools, participants, enrolments, completed, withdrawn, their rates, placesFilled and its funding) is withheld as null when it is from 1 to 4 (by default: the server’s operator sets the upper bound with STATS_SUPPRESSION_THRESHOLD), and so is whatever would let one be worked out again. `cohorts` and `placesOffered` are public catalogue facts and are never withheld. `withheld` and `notApplicable` say why a figure is null.',
  fields: (t) => {
    const measure = (name: keyof StatsValues, description: string) =>
      t.int({ nullable: true, description, resolve: (r) => r.values[name] as number | null });
    return {
      key: t.field({ type: StatsKey, description: 'What the row is about.', resolve: (r) => r.key }),
      cohorts: measure('cohorts', 'Cohorts (cancelled ones excluded). Public: never withheld.'),
      schools: measure('schools', 'Different schools with enrolments. Withheld from 1 to 4.'),
      participants: measure('participants', 'Different people enrolled. Withheld from 1 to 4.'),
      enrolments: measure('enrolments', 'Enrolments. Withheld from 1 to 4.'),
      completed: measure('completed', 'Enrolments completed. Withheld from 1 to 4.'),
      withdrawn: measure('withdrawn', 'Enrolments withdrawn. Withheld from 1 to 4.'),
      completionRate: t.float({
        nullable: true,
        description: `Completed ÷ (completed + withdrawn): of the enrolments with an outcome, the share completed, to ${RATE_DECIMALS} decimal places. Withheld with its counts.`,
        resolve: (r) => roundRate(r.values.completionRate),
      }),
      attendanceRate: t.float({
        nullable: true,
        description: `Share of recorded session attendances that were PRESENT, to ${RATE_DECIMALS} decimal places. Withheld with the row’s people counts.`,
        resolve: (r) => roundRate(r.values.attendanceRate),
      }),
      placesOffered: measure(
        'placesOffered',
        'Places offered (cohort capacity); public, never withheld; null (not applicable) when grouped or filtered by an enrolment dimension.',
      ),
      placesFilled: measure(
        'placesFilled',
        'Places taken by accepted applications (schools accepted). Withheld from 1 to 4; null (not applicable) when grouped or filtered by an enrolment dimension.',
      ),
      fundingPence: t.field({
        type: 'Float',
        nullable: true,
        description:
          'Funding committed in pence: places filled × the programme’s per-department amount. Withheld with placesFilled, which it would reveal.',
        resolve: (r) => r.values.fundingPence,
      }),
      fundingPounds: t.field({
        type: 'Float',
        nullable: true,
        description: 'fundingPence in pounds (two decimal places).',
        resolve: (r) => (r.values.fundingPence === null ? null : r.values.fundingPence / 100),
      }),
      suppressed: t.boolean({
        description: 'True when any figure in this row was withheld.',
        resolve: (r) => r.suppressed,
      }),
      withheld: t.field({
        type: [StatsMeasure],
        description:
          'The measures withheld in this row to protect people (shown as [c] in the CSV); empty for national admins.',
        resolve: (r) => r.withheld ?? [],
      }),
      notApplicable: t.field({
        type: [StatsMeasure],
        description:
          'The measures that do not apply to this row (shown as [z] in the CSV): places and funding by an enrolment dimension, a completion rate with no outcomes yet, an attendance rate with nothing recorded.',
        resolve: (r) => r.notApplicable ?? [],
      }),
      final: t.boolean({
        description:
          'True when every cohort counted in this row has finished (by its status and end date), so no enrolment can still be in progress: then enrolments = completed + withdrawn.',
        resolve: (r) => r.final ?? false,
      }),
    };
  },
});

const CohortStats = builder.objectRef<{ rows: Row[]; total: Row }>('CohortStats').implement({
  description: 'Aggregated cohort statistics: one row per group, and the total.',
  fields: (t) => ({
    rows: t.field({
      type: [CohortStatsRow],
      description: 'One row per group, ordered by its keys.',
      resolve: (s) => s.rows,
    }),
    total: t.field({ type: CohortStatsRow, description: 'All groups together.', resolve: (s) => s.total }),
  }),
});

/** Grouping or filtering by these needs a key: they describe schools’ enrolments in detail. */
export const KEYED_DIMENSIONS: ReadonlySet<Dimension> = new Set(['SCHOOL_PHASE', 'LOCAL_AUTHORITY']);

function checkAccess(ctx: Context, groupBy: Dimension[], filter: StatsFilterValues) {
  if (ctx.viewer.role !== 'ANONYMOUS') return;
  const used = groupBy.filter((d) => KEYED_DIMENSIONS.has(d));
  if (filter.schoolPhases?.length) used.push('SCHOOL_PHASE');
  if (filter.localAuthorities?.length) used.push('LOCAL_AUTHORITY');
  if (used.length > 0)
    throw new GraphQLError(
      `Statistics by ${[...new Set(used)].join(' and ')} need an API key (analyst, hub staff or national admin): send "Authorization: Bearer <key>".`,
      { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } },
    );
}

/** Runs the aggregate and, for everyone below national admin, withholds what could identify people. */
export async function statsFor(ctx: Context, groupBy: Dimension[], filter: StatsFilterValues) {
  checkAccess(ctx, groupBy, filter);
  return protect(ctx, await cohortStats(ctx.prisma, groupBy, filter, ctx.now));
}

/** Withholds what could identify people from one table, for everyone below national admin. */
function protect(ctx: Context, table: StatsResult) {
  const toRow = (r: StatsResult['total']): Row => ({
    key: r.key,
    values: r.values,
    suppressed: false,
    final: r.final,
    status: r.status,
  });
  const rows = table.rows.map(toRow);
  const total = toRow(table.total);
  return ctx.viewer.role === 'NATIONAL_ADMIN'
    ? unsuppressed(rows, total)
    : suppress(rows, total, ctx.suppressionThreshold);
}

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
  total: { key: {}, values: emptyRow().values, final: true, status: null },
  subtotals: new Map(),
});

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

builder.queryFields((t) => ({
  cohortStats: t.field({
    type: CohortStats,
    description:
      'Aggregated statistics of cohorts and enrolments, grouped by any combination of dimensions and computed in the database. Anonymised for everyone but national admins.',
    args: {
      groupBy: t.arg({
        type: [StatsDimension],
        required: true,
        description: 'Dimensions to group by; [] for the total only.',
      }),
      filter: t.arg({ type: StatsFilter, description: 'Which cohorts and enrolments to count.' }),
    },
    resolve: (_root, { groupBy, filter }, ctx) => {
      return statsFor(ctx, groupBy, {
        ...filter,
        families: filter?.families,
        masteryPhases: filter?.masteryPhases,
      });
    },
  }),
}));

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
      const row = exactRow(table.yearTotals.get(academicYear));
      if (ctx.viewer.role === 'NATIONAL_ADMIN') return unsuppressed([], row).total;
      return partOfTable(
        row,
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
      const row = exactRow(academicYear ? table.subtotals.get(academicYear) : table.total);
      if (ctx.viewer.role === 'NATIONAL_ADMIN') return unsuppressed([], row).total;
      const cohorts = table.rows
        .filter((r) => !academicYear || r.key.ACADEMIC_YEAR === academicYear)
        .map((r) => ({ id: Number(r.key.COHORT), hubId: r.key.HUB == null ? null : Number(r.key.HUB) }));
      return partOfTable(row, await cohortCells(ctx, cohorts));
    },
  }),
);

// ───────────── progression ─────────────

interface ProgressionShape {
  fromYear: string;
  toYear: string;
  schools: number | null;
  schoolsProgressed: number | null;
  participants: number | null;
  participantsProgressed: number | null;
  suppressed: boolean;
}

const Progression = builder.objectRef<ProgressionShape>('Progression').implement({
  description: 'How many schools (and people) went on from one programme to another the following year.',
  fields: (t) => ({
    fromYear: t.field({
      type: 'AcademicYear',
      description: 'The year of the first programme.',
      resolve: (p) => p.fromYear,
    }),
    toYear: t.field({ type: 'AcademicYear', description: 'The following year.', resolve: (p) => p.toYear }),
    schools: t.int({
      nullable: true,
      description: 'Schools that took part in the first programme.',
      resolve: (p) => p.schools,
    }),
    schoolsProgressed: t.int({
      nullable: true,
      description: 'Of those, schools in the second programme the following year.',
      resolve: (p) => p.schoolsProgressed,
    }),
    schoolRate: t.float({
      nullable: true,
      description: 'schoolsProgressed ÷ schools.',
      resolve: (p) => (p.schools && p.schoolsProgressed !== null ? p.schoolsProgressed / p.schools : null),
    }),
    participants: t.int({
      nullable: true,
      description: 'People who took part in the first programme.',
      resolve: (p) => p.participants,
    }),
    participantsProgressed: t.int({
      nullable: true,
      description: 'Of those, people in the second programme the following year.',
      resolve: (p) => p.participantsProgressed,
    }),
    participantRate: t.float({
      nullable: true,
      description: 'participantsProgressed ÷ participants.',
      resolve: (p) =>
        p.participants && p.participantsProgressed !== null
          ? p.participantsProgressed / p.participants
          : null,
    }),
    suppressed: t.boolean({ description: 'True when any count was withheld.', resolve: (p) => p.suppressed }),
  }),
});

builder.queryField('progression', (t) =>
  t.field({
    type: Progression,
    description:
      'Progression between programmes, e.g. Development → Embedding or ECT Phase 1 → Phase 2: who took part in `fromProgramme` in `fromYear`, and how many of them are in `toProgramme` the following year. Needs an API key; anonymised like cohortStats (those who went on and those who did not are one table with the total).',
    args: {
      fromProgramme: t.arg.string({ required: true, description: 'Slug of the earlier programme.' }),
      toProgramme: t.arg.string({ required: true, description: 'Slug of the later programme.' }),
      fromYear: t.arg({
        type: 'AcademicYear',
        required: true,
        description: 'The academic year of the earlier programme.',
      }),
    },
    resolve: async (_root, { fromProgramme, toProgramme, fromYear }, ctx) => {
      if (ctx.viewer.role === 'ANONYMOUS')
        throw new GraphQLError(
          'Progression tables follow schools and people between programmes: they need an API key (analyst, hub staff or national admin).',
          { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } },
        );
      const toYear = shiftAcademicYear(fromYear, 1);
      const [row] = await ctx.prisma.$queryRaw<
        { schools: bigint; schools_on: bigint; people: bigint; people_on: bigint }[]
      >(Prisma.sql`
        WITH took AS (
          SELECT e.school_id, e.participant_id, p.slug, c.academic_year
            FROM enrolment e JOIN cohort c ON c.id = e.cohort_id JOIN programme p ON p.id = c.programme_id
           WHERE e.status IN ('ACCEPTED', 'ACTIVE', 'COMPLETED', 'WITHDRAWN') AND c.status <> 'CANCELLED'
             AND ((p.slug = ${fromProgramme} AND c.academic_year = ${fromYear}) OR (p.slug = ${toProgramme} AND c.academic_year = ${toYear}))
        ), before AS (SELECT * FROM took WHERE slug = ${fromProgramme} AND academic_year = ${fromYear}),
           after AS (SELECT * FROM took WHERE slug = ${toProgramme} AND academic_year = ${toYear})
        SELECT count(DISTINCT b.school_id) AS schools,
               count(DISTINCT b.school_id) FILTER (WHERE b.school_id IN (SELECT school_id FROM after)) AS schools_on,
               count(DISTINCT b.participant_id) AS people,
               count(DISTINCT b.participant_id) FILTER (WHERE b.participant_id IN (SELECT participant_id FROM after)) AS people_on
          FROM before b`);
      const exact: ProgressionShape = {
        fromYear,
        toYear,
        schools: Number(row?.schools ?? 0),
        schoolsProgressed: Number(row?.schools_on ?? 0),
        participants: Number(row?.people ?? 0),
        participantsProgressed: Number(row?.people_on ?? 0),
        suppressed: false,
      };
      if (ctx.viewer.role === 'NATIONAL_ADMIN') return exact;
      // The two groups (went on / did not) partition the total: suppress them as a table.
      const blank = {
        cohorts: null,
        enrolments: null,
        completed: null,
        withdrawn: null,
        completionRate: null,
        attendanceRate: null,
        placesOffered: null,
        placesFilled: null,
        fundingPence: null,
      };
      const part = (schools: number, participants: number): Suppressible<null> => ({
        key: null,
        suppressed: false,
        values: { ...blank, schools, participants },
      });
      const { rows, total } = suppress(
        [
          part(exact.schoolsProgressed!, exact.participantsProgressed!),
          part(
            exact.schools! - exact.schoolsProgressed!,
            exact.participants! - exact.participantsProgressed!,
          ),
        ],
        part(exact.schools!, exact.participants!),
        ctx.suppressionThreshold,
      );
      return {
        fromYear,
        toYear,
        schools: total.values.schools,
        schoolsProgressed: rows[0]!.values.schools,
        participants: total.values.participants,
        participantsProgressed: rows[0]!.values.participants,
        suppressed: total.suppressed || rows.some((r) => r.suppressed),
      };
    },
  }),
);
