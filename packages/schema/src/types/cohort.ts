// Cohort: one programme run by a hub (or regionally or nationally) in one academic year, with its
// places, recruitment, sessions, enrolments and applications; the cohorts connection and filters.
import type { Prisma } from '@maths-hubs/db/client';
import { builder, namedConnection } from '../builder.ts';
import type { Context } from '../context.ts';
import { startOfDay } from '../scalars.ts';
import { ApplicationConnection } from './application.ts';
import { EnrolmentConnection } from './enrolment.ts';

export const CohortStatus = builder.enumType('CohortStatus', {
  description:
    'Where a cohort is in its lifecycle: PLANNED → RECRUITING → RUNNING → COMPLETED, or CANCELLED.',
  values: {
    PLANNED: { description: 'Announced, not yet taking applications.' },
    RECRUITING: { description: 'Taking applications until its deadline.' },
    RUNNING: { description: 'Under way.' },
    COMPLETED: { description: 'Finished.' },
    CANCELLED: { description: 'Will not run.' },
  } as const,
});

/** Cohorts a school can apply to today: recruiting, and the deadline (a date) not yet passed. */
export function recruitingWhere(now: Date): Prisma.CohortWhereInput {
  return {
    status: 'RECRUITING',
    OR: [{ applicationDeadline: null }, { applicationDeadline: { gte: startOfDay(now) } }],
  };
}

export const CohortFilter = builder.inputType('CohortFilter', {
  description: 'Narrows a list of cohorts. All given conditions must hold.',
  fields: (t) => ({
    hubCode: t.string({ description: 'Only cohorts run by this hub, e.g. "WM1".' }),
    regionCode: t.string({
      description: 'Only cohorts in this region, e.g. "WM" (hub cohorts and regional runs).',
    }),
    programmeSlug: t.string({
      description: 'Only cohorts of this programme, e.g. "secondary-tfm-development".',
    }),
    academicYear: t.field({
      type: 'AcademicYear',
      description: 'Only cohorts in this academic year, e.g. "2024/25".',
    }),
    status: t.field({ type: [CohortStatus], description: 'Only cohorts in one of these states.' }),
    recruiting: t.boolean({
      description:
        'true: only cohorts a school can apply to today (recruiting, deadline not passed); false: only the others.',
    }),
  }),
});

export type CohortFilterShape = (typeof CohortFilter)['$inferInput'];

export function cohortWhere(
  filter: CohortFilterShape | null | undefined,
  ctx: Context,
): Prisma.CohortWhereInput {
  const and: Prisma.CohortWhereInput[] = [];
  if (filter?.hubCode) and.push({ hub: { code: filter.hubCode.trim().toUpperCase() } });
  if (filter?.regionCode) {
    const code = filter.regionCode.trim().toUpperCase();
    and.push({ OR: [{ hub: { region: { code } } }, { region: { code } }] });
  }
  if (filter?.programmeSlug) and.push({ programme: { slug: filter.programmeSlug.trim().toLowerCase() } });
  if (filter?.academicYear) and.push({ academicYear: filter.academicYear });
  if (filter?.status?.length) and.push({ status: { in: filter.status } });
  if (filter?.recruiting === true) and.push(recruitingWhere(ctx.now));
  if (filter?.recruiting === false) and.push({ NOT: recruitingWhere(ctx.now) });
  return { AND: and };
}

export const CohortOrder = builder.enumType('CohortOrder', {
  description: 'How to order a list of cohorts. Ties are broken by code, so pages are stable.',
  values: {
    APPLICATION_DEADLINE: { description: 'Soonest application deadline first; cohorts without one last.' },
    ACADEMIC_YEAR_DESC: { description: 'Newest academic year first.' },
    CODE: { description: 'By code, A to Z.' },
  } as const,
});

export function cohortOrderBy(order: string | null | undefined): Prisma.CohortOrderByWithRelationInput[] {
  switch (order) {
    case 'APPLICATION_DEADLINE':
      return [{ applicationDeadline: { sort: 'asc', nulls: 'last' } }, { code: 'asc' }];
    case 'ACADEMIC_YEAR_DESC':
      return [{ academicYear: 'desc' }, { code: 'asc' }];
    default:
      return [{ code: 'asc' }];
  }
}

export const Cohort = builder.prismaNode('Cohort', {
  id: { field: 'id' },
  nullable: true, // node(id:) answers null for an unknown id
  description: 'One programme run by a hub (or regionally or nationally) in one academic year.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Readable unique code, e.g. WM1-SEC-TFM-DEV-2024-25.' }),
    name: t.exposeString('name', { description: 'The cohort’s name.' }),
    programme: t.relation('programme', { description: 'The programme this cohort runs.' }),
    hub: t.relation('hub', {
      nullable: true,
      description: 'The hub running it; null for regional and national runs.',
    }),
    region: t.relation('region', {
      nullable: true,
      description: 'The region it belongs to; null for national runs.',
    }),
    academicYear: t.expose('academicYear', {
      type: 'AcademicYear',
      description: 'The academic year it runs in.',
    }),
    status: t.expose('status', { type: CohortStatus, description: 'Where the cohort is in its lifecycle.' }),
    capacity: t.exposeInt('capacity', { description: 'Places offered: one per accepted school department.' }),
    placesTaken: t.exposeInt('placesTaken', { description: 'Places taken by accepted applications.' }),
    placesRemaining: t.int({
      description: 'Places still free: capacity minus places taken.',
      select: { capacity: true, placesTaken: true },
      resolve: (cohort) => Math.max(0, cohort.capacity - cohort.placesTaken),
    }),
    isRecruiting: t.boolean({
      description:
        'True when a school can apply today: the cohort is recruiting and its deadline has not passed.',
      select: { status: true, applicationDeadline: true },
      resolve: (cohort, _args, ctx) =>
        cohort.status === 'RECRUITING' &&
        (cohort.applicationDeadline === null || cohort.applicationDeadline >= startOfDay(ctx.now)),
    }),
    applicationDeadline: t.expose('applicationDeadline', {
      type: 'Date',
      nullable: true,
      description: 'The last day applications are accepted.',
    }),
    startsOn: t.expose('startsOn', {
      type: 'Date',
      nullable: true,
      description: 'The first day of the cohort.',
    }),
    endsOn: t.expose('endsOn', { type: 'Date', nullable: true, description: 'The last day of the cohort.' }),
    areasServed: t.exposeStringList('areasServed', {
      description: 'Local authority areas it recruits from; empty means the hub’s whole area.',
    }),
    lead: t.relation('lead', {
      nullable: true,
      description:
        'The person leading the cohort, usually a Mastery Specialist. Visible to its hub’s staff and national admins.',
      authScopes: (cohort) => ({ hub: cohort.hubId }),
      unauthorizedResolver: () => null,
    }),
    sessions: t.relation('sessions', {
      description: 'The cohort’s sessions, in date order.',
      query: { orderBy: [{ startsAt: 'asc' }, { id: 'asc' }] },
    }),
    enrolments: t.relatedConnection(
      'enrolments',
      {
        nullable: true,
        description:
          'Who takes part. Visible to staff of the cohort’s hub and national admins (null for others).',
        authScopes: (cohort) => ({ hub: cohort.hubId }),
        unauthorizedResolver: () => null,
        cursor: 'id',
        totalCount: true,
        query: { orderBy: { id: 'asc' } },
      },
      EnrolmentConnection,
    ),
    applications: t.relatedConnection(
      'applications',
      {
        nullable: true,
        description:
          'Schools’ applications. Visible to staff of the cohort’s hub and national admins (null for others).',
        authScopes: (cohort) => ({ hub: cohort.hubId }),
        unauthorizedResolver: () => null,
        cursor: 'id',
        totalCount: true,
        query: { orderBy: { id: 'asc' } },
      },
      ApplicationConnection,
    ),
  }),
});

export const CohortConnection = namedConnection(Cohort, 'Cohort', 'cohorts');

builder.queryFields((t) => ({
  cohorts: t.prismaConnection(
    {
      type: Cohort,
      cursor: 'id',
      description: 'Cohorts, filtered and ordered as asked (by code unless `orderBy` says otherwise).',
      args: {
        filter: t.arg({ type: CohortFilter, description: 'Conditions the cohorts must meet.' }),
        orderBy: t.arg({ type: CohortOrder, description: 'How to order them. Default: CODE.' }),
      },
      totalCount: (_parent, { filter }, ctx) => ctx.prisma.cohort.count({ where: cohortWhere(filter, ctx) }),
      resolve: (query, _root, { filter, orderBy }, ctx) =>
        ctx.prisma.cohort.findMany({
          ...query,
          where: cohortWhere(filter, ctx),
          orderBy: cohortOrderBy(orderBy),
        }),
    },
    CohortConnection,
  ),
  cohort: t.prismaField({
    type: Cohort,
    nullable: true,
    description: 'A cohort by its code (case-insensitive); null if there is none.',
    args: { code: t.arg.string({ required: true, description: 'e.g. "WM1-SEC-TFM-DEV-2024-25".' }) },
    resolve: (query, _root, { code }, ctx) =>
      ctx.prisma.cohort.findUnique({ ...query, where: { code: code.trim().toUpperCase() } }),
  }),
}));
