// Reporting: aggregated cohort statistics, computed in the database and anonymised for everyone
// below national admin (small counts withheld, with secondary suppression). Also the single-object
// `stats` fields and school progression between programmes.
import { Prisma } from '@maths-hubs/db/client';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import {
  cohortStats,
  DIMENSIONS,
  type Dimension,
  type StatsFilterValues,
  type StatsKeyValues,
} from '../reporting/cohort-stats.ts';
import { type StatsValues, type Suppressible, suppress } from '../reporting/suppression.ts';
import { academicYearProblem, shiftAcademicYear } from '../scalars.ts';
import { Cohort } from './cohort.ts';
import { EnrolmentRole, EnrolmentStatus, MasteryPhase, ProgrammeFamily, SchoolPhase } from './enums.ts';
import { Hub } from './hub.ts';
import { Programme } from './programme.ts';
import { Region } from './region.ts';

const DIMENSION_DESCRIPTIONS: Record<Dimension, string> = {
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
  ) as Record<Dimension, { description: string }>,
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

const CohortStatsRow = builder.objectRef<Row>('CohortStatsRow').implement({
  description:
    'Statistics for one group (or the total). For everyone but national admins, counts from 1 to 4 are withheld as null, and so is anything that would let one be worked out.',
  fields: (t) => {
    const measure = (name: keyof StatsValues, description: string) =>
      t.int({ nullable: true, description, resolve: (r) => r.values[name] as number | null });
    return {
      key: t.field({ type: StatsKey, description: 'What the row is about.', resolve: (r) => r.key }),
      cohorts: measure('cohorts', 'Cohorts (cancelled ones excluded).'),
      schools: measure('schools', 'Different schools with enrolments.'),
      participants: measure('participants', 'Different people enrolled.'),
      enrolments: measure('enrolments', 'Enrolments.'),
      completed: measure('completed', 'Enrolments completed.'),
      withdrawn: measure('withdrawn', 'Enrolments withdrawn.'),
      completionRate: t.float({
        nullable: true,
        description:
          'Completed ÷ (completed + withdrawn): of the enrolments with an outcome, the share completed.',
        resolve: (r) => r.values.completionRate,
      }),
      attendanceRate: t.float({
        nullable: true,
        description: 'Share of recorded session attendances that were PRESENT.',
        resolve: (r) => r.values.attendanceRate,
      }),
      placesOffered: measure(
        'placesOffered',
        'Places offered (cohort capacity); null when grouped or filtered by an enrolment dimension.',
      ),
      placesFilled: measure(
        'placesFilled',
        'Places taken by accepted applications; null when grouped or filtered by an enrolment dimension.',
      ),
      fundingPence: t.field({
        type: 'Float',
        nullable: true,
        description: 'Funding committed in pence: places filled × the programme’s per-department amount.',
        resolve: (r) => r.values.fundingPence,
      }),
      suppressed: t.boolean({
        description: 'True when any count in this row was withheld.',
        resolve: (r) => r.suppressed,
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

/** Runs the aggregate and, for everyone below national admin, withholds what could identify people. */
export async function statsFor(ctx: Context, groupBy: Dimension[], filter: StatsFilterValues) {
  const result = await cohortStats(ctx.prisma, groupBy, filter);
  const rows: Row[] = result.rows.map((r) => ({ ...r, suppressed: false }));
  const total: Row = { ...result.total, suppressed: false };
  return ctx.viewer.role === 'NATIONAL_ADMIN'
    ? { rows, total }
    : suppress(rows, total, ctx.suppressionThreshold);
}

function checkYears(filter: StatsFilterValues | null | undefined) {
  for (const year of [filter?.academicYearFrom, filter?.academicYearTo]) {
    const problem = year ? academicYearProblem(year) : null;
    if (problem) throw new Error(problem);
  }
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
      checkYears(filter);
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
    description: 'This cohort’s statistics (anonymised for everyone but national admins).',
    resolve: async (cohort, _args, ctx) => (await statsFor(ctx, [], { cohortIds: [cohort.id] })).total,
  }),
);
builder.objectField(Hub, 'stats', (t) =>
  t.field({
    type: CohortStatsRow,
    description:
      'This hub’s statistics for an academic year, or all years (anonymised for everyone but national admins).',
    args: { academicYear: t.arg({ type: 'AcademicYear', description: 'Only this academic year.' }) },
    resolve: async (hub, { academicYear }, ctx) =>
      (
        await statsFor(ctx, [], {
          hubCodes: [hub.code],
          academicYearFrom: academicYear,
          academicYearTo: academicYear,
        })
      ).total,
  }),
);
builder.objectField(Programme, 'stats', (t) =>
  t.field({
    type: CohortStatsRow,
    description:
      'This programme’s statistics for an academic year, or all years (anonymised for everyone but national admins).',
    args: { academicYear: t.arg({ type: 'AcademicYear', description: 'Only this academic year.' }) },
    resolve: async (programme, { academicYear }, ctx) =>
      (
        await statsFor(ctx, [], {
          programmeSlugs: [programme.slug],
          academicYearFrom: academicYear,
          academicYearTo: academicYear,
        })
      ).total,
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
      'Progression between programmes, e.g. Development → Embedding or ECT Phase 1 → Phase 2: who took part in `fromProgramme` in `fromYear`, and how many of them are in `toProgramme` the following year. Anonymised like cohortStats.',
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
