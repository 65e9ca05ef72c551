import { GraphQLError } from 'graphql';
import { builder } from '../builder.ts';
import { dependsOn, statsFilterTags, UNCACHEABLE } from '../cache-tags.ts';
import type { Context, StatsProtection } from '../context.ts';
import { perturbTable, roundingBase } from '../reporting/cell-key.ts';
import {
  cohortStats,
  DIMENSIONS,
  type Dimension,
  type PublicDimension,
  type StatsFilterValues,
  type StatsKeyValues,
  type StatsResult,
} from '../reporting/cohort-stats.ts';
import {
  MEASURES,
  type Measure,
  type StatsValues,
  type Suppressible,
  suppress,
  unsuppressed,
} from '../reporting/suppression.ts';
import { EnrolmentRole, EnrolmentStatus, MasteryPhase, ProgrammeFamily, SchoolPhase } from './enums.ts';

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
    // findUnique calls of one tick are batched by Prisma into one statement per type.
    region: t.prismaField({
      type: 'Region',
      nullable: true,
      description: 'The region, when grouped by REGION.',
      resolve: (query, k, _a, ctx) =>
        k.REGION == null ? null : ctx.prisma.region.findUnique({ ...query, where: { id: Number(k.REGION) } }),
    }),
    hub: t.prismaField({
      type: 'Hub',
      nullable: true,
      description: 'The hub, when grouped by HUB (null also for national runs).',
      resolve: (query, k, _a, ctx) =>
        k.HUB == null ? null : ctx.prisma.hub.findUnique({ ...query, where: { id: Number(k.HUB) } }),
    }),
    programme: t.prismaField({
      type: 'Programme',
      nullable: true,
      description: 'The programme, when grouped by PROGRAMME.',
      resolve: (query, k, _a, ctx) =>
        k.PROGRAMME == null
          ? null
          : ctx.prisma.programme.findUnique({ ...query, where: { id: Number(k.PROGRAMME) } }),
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

export type Row = Suppressible<StatsKeyValues>;

const ProtectionMethod = builder.enumType('StatsProtectionMethod', {
  description: 'How a statistics answer was protected (docs/statistics-protection.md).',
  values: {
    EXACT: { description: 'Exact figures, for national admins.' },
    CELL_KEY: {
      description:
        'The cell key method: each count rounded to a multiple of `roundingBase`, up or down as the cell’s key decides, the same way every time; totals are rounded on their own, so they may differ from the sum of their rows.',
    },
    SUPPRESSION: {
      description: 'Per-table suppression: counts from 1 to `threshold` withheld, with partners.',
    },
  } as const,
});

export const StatsProtectionInfo = builder
  .objectRef<{ method: 'EXACT' | StatsProtection; threshold: number }>('StatsProtection')
  .implement({
    description: 'How the figures of a statistics answer were protected, and with what parameters.',
    fields: (t) => ({
      method: t.field({ type: ProtectionMethod, description: 'The method.', resolve: (p) => p.method }),
      threshold: t.int({
        description: 'Counts from 1 to this are never published exactly (below national admin).',
        resolve: (p) => p.threshold,
      }),
      roundingBase: t.int({
        nullable: true,
        description: 'CELL_KEY: every published count is a multiple of this; null otherwise.',
        resolve: (p) => (p.method === 'CELL_KEY' ? roundingBase(p.threshold) : null),
      }),
    }),
  });

/** The protection of this caller's statistics, as answers report it. */
export const protectionInfo = (ctx: Context) => ({
  method: protectionOf(ctx),
  threshold: ctx.suppressionThreshold,
});

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

export const CohortStatsRow = builder.objectRef<Row>('CohortStatsRow').implement({
  description:
    'Statistics for one group (or the total). For everyone but national admins, the counts of people, enrolments and schools (schools, participants, enrolments, completed, withdrawn) are protected by the cell key method: each is rounded to a multiple of 5 (the threshold + 1; STATS_SUPPRESSION_THRESHOLD sets the threshold, 4 by default), up or down as the cell’s key decides, the same way every time and for every route that shows the same cell. Totals are rounded on their own, so they may differ from the sum of their rows. Zero is shown as zero. `cohorts`, `placesOffered`, `placesFilled` and `fundingPence` are public catalogue facts (every cohort’s places are published) and are exact. `protection` says which method applied; `withheld` and `notApplicable` say why a figure is null.',
  fields: (t) => {
    const measure = (name: keyof StatsValues, description: string) =>
      t.int({ nullable: true, description, resolve: (r) => r.values[name] as number | null });
    return {
      key: t.field({ type: StatsKey, description: 'What the row is about.', resolve: (r) => r.key }),
      cohorts: measure('cohorts', 'Cohorts (cancelled ones excluded). Public: never withheld.'),
      protection: t.field({
        type: StatsProtectionInfo,
        description: 'How this row’s figures were protected (exact for national admins).',
        resolve: (_r, _a, ctx) => protectionInfo(ctx),
      }),
      schools: measure('schools', 'Different schools with enrolments. Rounded (see the type).'),
      participants: measure('participants', 'Different people enrolled. Rounded (see the type).'),
      enrolments: measure('enrolments', 'Enrolments. Rounded (see the type).'),
      completed: measure('completed', 'Enrolments completed. Rounded (see the type).'),
      withdrawn: measure('withdrawn', 'Enrolments withdrawn. Rounded (see the type).'),
      completionRate: t.float({
        nullable: true,
        description: `Completed ÷ (completed + withdrawn): of the enrolments with an outcome, the share completed, to ${RATE_DECIMALS} decimal places; made from the published counts.`,
        resolve: (r) => roundRate(r.values.completionRate),
      }),
      attendanceRate: t.float({
        nullable: true,
        description: `Share of recorded session attendances that were PRESENT, to ${RATE_DECIMALS} decimal places. Below national admin, withheld while the published enrolments are fewer than twice the rounding base (10), so that it never describes a handful of people.`,
        resolve: (r) => roundRate(r.values.attendanceRate),
      }),
      placesOffered: measure(
        'placesOffered',
        'Places offered (cohort capacity); public, never withheld; null (not applicable) when grouped or filtered by an enrolment dimension.',
      ),
      placesFilled: measure(
        'placesFilled',
        'Places taken by accepted applications (schools accepted): public (each cohort’s places are), exact; null (not applicable) when grouped or filtered by an enrolment dimension.',
      ),
      fundingPence: t.field({
        type: 'Float',
        nullable: true,
        description:
          'Funding committed in pence: places filled × the programme’s published per-department amount. Public, exact.',
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
          'The measures withheld in this row to protect people (shown as [c] in the CSV): with the cell key method, only an attendance rate over too few people; empty for national admins.',
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

const CohortStats = builder.objectRef<{ rows: Row[]; total: Row; asOf: Date }>('CohortStats').implement({
  description: 'Aggregated cohort statistics: one row per group, and the total.',
  fields: (t) => ({
    protection: t.field({
      type: StatsProtectionInfo,
      description: 'How these figures were protected (exact for national admins).',
      resolve: (_s, _a, ctx) => protectionInfo(ctx),
    }),
    asOf: t.field({
      type: 'DateTime',
      description:
        'When these figures were read from the database. The standard national views (by region, hub × year, programme × year, role, and the total) are kept in memory and refreshed within 5 s of a write, so they may be up to 5 s old; any other statistics are as of the request.',
      resolve: (s) => s.asOf,
    }),
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
  dependsOn(ctx, ...statsFilterTags(filter));
  const view = await ctx.statsViews?.read(groupBy, filter);
  if (view) {
    // Up to 5 s behind a write: served, but not cached past its refresh.
    if (!view.current) dependsOn(ctx, UNCACHEABLE);
    return { ...protect(ctx, view.table), asOf: view.asOf };
  }
  const asOf = new Date();
  return { ...protect(ctx, await cohortStats(ctx.prisma, groupBy, filter, ctx.now)), asOf };
}

/** How this caller's statistics are protected: exact for national admins. */
export const protectionOf = (ctx: Context): 'EXACT' | StatsProtection =>
  ctx.viewer.role === 'NATIONAL_ADMIN' ? 'EXACT' : (ctx.statsProtection ?? 'CELL_KEY');

/** Protects one table for this caller: exact for national admins, else as `protectionOf` says. */
export function protect(ctx: Context, table: StatsResult) {
  const method = protectionOf(ctx);
  if (method === 'CELL_KEY') return perturbTable(table.rows, table.total, ctx.suppressionThreshold);
  const toRow = (r: StatsResult['total']): Row => ({
    key: r.key,
    values: r.values,
    suppressed: false,
    final: r.final,
    status: r.status,
  });
  const rows = table.rows.map(toRow);
  const total = toRow(table.total);
  return method === 'EXACT' ? unsuppressed(rows, total) : suppress(rows, total, ctx.suppressionThreshold);
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
