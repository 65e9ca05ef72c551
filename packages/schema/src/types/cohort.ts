// Cohort: one programme run by a hub (or regionally or nationally) in one academic year, with its
// places, recruitment, sessions, enrolments and applications; the cohorts connection and filters.
import type { Prisma } from '@maths-hubs/db/client';
import { canManageHub } from '../access.ts';
import { audit } from '../audit.ts';
import { builder, namedConnection } from '../builder.ts';
import type { Context } from '../context.ts';
import { brokenUniqueConstraint, forbidden, loadManaged, payloadType, rejected } from '../mutations.ts';
import { checkCohortChange, checkNewCohort } from '../rules/cohort.ts';
import { invalid, notFound } from '../rules/user-errors.ts';
import { controlCharacterErrors } from '../rules/validation.ts';
import { startOfDay } from '../scalars.ts';
import { ApplicationConnection } from './application.ts';
import { announceCohortChange } from './cohort-updates.ts';
import { EnrolmentConnection } from './enrolment.ts';
import { CohortStatus } from './enums.ts';

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

/** The arguments of every list of cohorts: the query's, a hub's and a programme's. */
export const cohortListArgs = builder.args((t) => ({
  filter: t.field({ type: CohortFilter, description: 'Conditions the cohorts must meet.' }),
  orderBy: t.field({ type: CohortOrder, description: 'How to order them. Default: CODE.' }),
}));

/** Those arguments as a Prisma query. */
export const cohortListQuery = (
  { filter, orderBy }: { filter?: CohortFilterShape | null; orderBy?: string | null },
  ctx: Context,
) => ({ where: cohortWhere(filter, ctx), orderBy: cohortOrderBy(orderBy) });

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
      args: cohortListArgs,
      totalCount: (_parent, { filter }, ctx) => ctx.prisma.cohort.count({ where: cohortWhere(filter, ctx) }),
      resolve: (query, _root, args, ctx) =>
        ctx.prisma.cohort.findMany({ ...query, ...cohortListQuery(args, ctx) }),
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

// ───────────── mutations ─────────────
// createCohort and updateCohort, with the lifecycle PLANNED → RECRUITING → RUNNING → COMPLETED (or
// CANCELLED). Hub staff for their own hub; national admins for any.
type CohortRow = NonNullable<Awaited<ReturnType<Context['prisma']['cohort']['findUnique']>>>;

const payload = (name: string, description: string) =>
  payloadType<'cohort', CohortRow>(name, description, 'cohort', {
    type: Cohort,
    description: 'The cohort; null when the input was not accepted.',
  });

const CreateCohortInput = builder.inputType('CreateCohortInput', {
  description: 'A new cohort. It is RECRUITING until its deadline.',
  fields: (t) => ({
    programmeSlug: t.string({ required: true, description: 'The programme it runs.' }),
    hubCode: t.string({ required: true, description: 'The hub running it.' }),
    academicYear: t.field({
      type: 'AcademicYear',
      required: true,
      description: 'The academic year it runs in.',
    }),
    name: t.string({ required: true, description: 'Its name.' }),
    capacity: t.int({ required: true, description: 'Places offered (1 to 500).' }),
    applicationDeadline: t.field({
      type: 'Date',
      required: true,
      description: 'The last day to apply (not in the past).',
    }),
    startsOn: t.field({ type: 'Date', required: true, description: 'The first day (after the deadline).' }),
    endsOn: t.field({ type: 'Date', required: true, description: 'The last day.' }),
    areasServed: t.stringList({
      description: 'Local authority areas it takes schools from; leave out for the whole hub.',
    }),
  }),
});

const UpdateCohortInput = builder.inputType('UpdateCohortInput', {
  description: 'Changes to a cohort; fields left out stay as they are.',
  fields: (t) => ({
    cohortId: t.id({ required: true, description: 'The cohort’s global ID.' }),
    name: t.string({ description: 'A new name.' }),
    capacity: t.int({ description: 'A new number of places (not below the places taken).' }),
    applicationDeadline: t.field({ type: 'Date', description: 'A new deadline.' }),
    startsOn: t.field({ type: 'Date', description: 'A new first day.' }),
    endsOn: t.field({ type: 'Date', description: 'A new last day.' }),
    areasServed: t.stringList({ description: 'New areas served ([] for the whole hub).' }),
    status: t.field({
      type: CohortStatus,
      description: 'A new status: only the next step of the lifecycle, or CANCELLED.',
    }),
  }),
});

const areas = (list: string[]) => list.map((a) => a.trim()).filter(Boolean);

/** The first free code for a hub's run of a programme in a year: WM1-SEC-TFM-DEV-2024-25, then -2, -3… */
async function freeCohortCode(ctx: Context, base: string) {
  const taken = new Set(
    (await ctx.prisma.cohort.findMany({ where: { code: { startsWith: base } }, select: { code: true } })).map(
      (c) => c.code,
    ),
  );
  let code = base;
  for (let n = 2; taken.has(code); n++) code = `${base}-${n}`;
  return code;
}

builder.mutationFields((t) => ({
  createCohort: t.field({
    type: payload('CreateCohortPayload', 'The result of createCohort.'),
    description: 'Opens a new cohort for applications (hub staff for their own hub, or a national admin).',
    args: { input: t.arg({ type: CreateCohortInput, required: true, description: 'The new cohort.' }) },
    resolve: async (_root, { input }, ctx) => {
      const unprintable = controlCharacterErrors(input);
      if (unprintable.length > 0) return rejected(unprintable);
      const hub = await ctx.prisma.hub.findUnique({ where: { code: input.hubCode.trim().toUpperCase() } });
      if (!hub) return rejected([notFound(['hubCode'], `There is no hub "${input.hubCode}".`)]);
      if (!canManageHub(ctx, hub.id))
        return rejected([
          forbidden(ctx, `Only staff of ${hub.code}, or a national admin, may open its cohorts.`),
        ]);
      const programme = await ctx.prisma.programme.findUnique({
        where: { slug: input.programmeSlug.trim().toLowerCase() },
      });
      const errors = checkNewCohort(input, ctx.now);
      if (!programme)
        errors.unshift(notFound(['programmeSlug'], `There is no programme "${input.programmeSlug}".`));
      else if (programme.status !== 'OFFERED')
        errors.unshift(invalid(['programmeSlug'], `${programme.name} is no longer offered.`));
      if (errors.length > 0 || !programme) return rejected(errors);

      const base = `${hub.code}-${programme.shortCode}-${input.academicYear.replace('/', '-')}`;
      // Another request may take the free code first (the unique code breaks): then the next one.
      for (let attempt = 1; ; attempt++) {
        const code = await freeCohortCode(ctx, base);
        try {
          const cohort = await ctx.prisma.$transaction(async (tx) => {
            const created = await tx.cohort.create({
              data: {
                code,
                name: input.name.trim(),
                programmeId: programme.id,
                hubId: hub.id,
                regionId: hub.regionId,
                academicYear: input.academicYear,
                status: 'RECRUITING',
                capacity: input.capacity,
                applicationDeadline: input.applicationDeadline,
                startsOn: input.startsOn,
                endsOn: input.endsOn,
                areasServed: areas(input.areasServed ?? []),
              },
            });
            await audit(tx, ctx, 'createCohort', 'Cohort', created.id, null, {
              code,
              capacity: created.capacity,
              status: created.status,
            });
            return created;
          });
          announceCohortChange(ctx, cohort);
          return { cohort, userErrors: [] };
        } catch (error) {
          if (brokenUniqueConstraint(error) !== 'cohort_code_key' || attempt >= 10) throw error;
        }
      }
    },
  }),

  updateCohort: t.field({
    type: payload('UpdateCohortPayload', 'The result of updateCohort.'),
    description:
      'Changes a cohort: its details, or its status along the lifecycle (hub staff for their own hub, or a national admin).',
    args: { input: t.arg({ type: UpdateCohortInput, required: true, description: 'The changes.' }) },
    resolve: async (_root, { input }, ctx) => {
      const unprintable = controlCharacterErrors(input);
      if (unprintable.length > 0) return rejected(unprintable);
      const payload = await ctx.prisma.$transaction(async (tx) => {
        // Locked, so that a change and a decision on the same cohort see each other's places.
        const found = await loadManaged(ctx, {
          type: 'Cohort',
          globalId: input.cohortId,
          path: ['cohortId'],
          action: 'change it',
          load: async (id) => {
            await tx.$queryRaw`SELECT id FROM cohort WHERE id = ${id} FOR UPDATE`;
            return tx.cohort.findUnique({ where: { id } });
          },
          hubOf: (cohort) => cohort.hubId,
        });
        if (found.userErrors) return rejected(found.userErrors);
        const before = found.row;
        const errors = checkCohortChange(before, input);
        if (errors.length > 0) return rejected(errors);
        const data = {
          ...(input.name ? { name: input.name.trim() } : {}),
          ...(input.capacity !== null && input.capacity !== undefined ? { capacity: input.capacity } : {}),
          ...(input.applicationDeadline ? { applicationDeadline: input.applicationDeadline } : {}),
          ...(input.startsOn ? { startsOn: input.startsOn } : {}),
          ...(input.endsOn ? { endsOn: input.endsOn } : {}),
          ...(input.areasServed ? { areasServed: areas(input.areasServed) } : {}),
          ...(input.status ? { status: input.status } : {}),
        };
        const cohort = await tx.cohort.update({ where: { id: before.id }, data });
        const changed = Object.keys(data) as (keyof typeof data)[];
        const pick = (row: Record<string, unknown>) =>
          Object.fromEntries(
            changed.map((k) => [
              k,
              row[k] instanceof Date ? (row[k] as Date).toISOString().slice(0, 10) : row[k],
            ]),
          );
        await audit(
          tx,
          ctx,
          'updateCohort',
          'Cohort',
          before.id,
          pick(before) as never,
          pick(cohort) as never,
        );
        return { cohort, userErrors: [] };
      });
      // Committed: now subscribers may hear of it.
      if ('cohort' in payload) announceCohortChange(ctx, payload.cohort);
      return payload;
    },
  }),
}));
