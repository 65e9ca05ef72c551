// Programme: a national programme definition — rules, outcomes, funding, progression, its years
// and its cohorts; the programmes connection and filters.
import type { Prisma } from '@maths-hubs/db/client';
import { builder, namedConnection } from '../builder.ts';
import type { Context } from '../context.ts';
import { academicYearOf } from '../scalars.ts';
import { CohortConnection, cohortListArgs, cohortListQuery, recruitingWhere } from './cohort.ts';
import {
  EligibilityCheck,
  FundingPayer,
  FundingUnit,
  MasteryPhase,
  ProgrammeFamily,
  ProgrammeKind,
  ProgrammePhase,
  ProgrammeStatus,
  ProgrammeYearStatus,
  SchoolPhase,
} from './enums.ts';

export const ProgrammeYear = builder.prismaObject('ProgrammeYear', {
  description: 'A programme in one academic year: its project code, status and deadline.',
  fields: (t) => ({
    academicYear: t.expose('academicYear', { type: 'AcademicYear', description: 'The academic year.' }),
    projectCode: t.exposeString('projectCode', {
      nullable: true,
      description: 'The Network Collaborative Project code for that year, e.g. NCP23-12.',
    }),
    status: t.expose('status', { type: ProgrammeYearStatus, description: 'How the programme was offered.' }),
    applicationDeadline: t.expose('applicationDeadline', {
      type: 'Date',
      nullable: true,
      description: 'A national application deadline, where there is one (hub cohorts have their own).',
    }),
  }),
});

builder.prismaObject('EligibilityRule', {
  description: 'One eligibility rule of a programme, in words and, where it can be, as a check.',
  fields: (t) => ({
    description: t.exposeString('description', { description: 'The rule in plain words.' }),
    check: t.expose('kind', {
      type: EligibilityCheck,
      description: 'What is checked (TEXT_ONLY: not checked).',
    }),
    schoolPhases: t.expose('schoolPhases', {
      type: [SchoolPhase],
      description: 'For SCHOOL_PHASE: the phases admitted.',
    }),
    requiredProgramme: t.relation('requiredProgramme', {
      nullable: true,
      description: 'For the programme checks: the programme required.',
    }),
  }),
});

builder.prismaObject('FundingLine', {
  description: 'Money attached to a programme.',
  fields: (t) => ({
    payer: t.expose('payer', { type: FundingPayer, description: 'Who pays.' }),
    amountPence: t.exposeInt('amountPence', {
      nullable: true,
      description: 'The amount in pence (200000 is £2,000); null when no figure is given, e.g. travel costs.',
    }),
    unit: t.expose('unit', { type: FundingUnit, description: 'What the amount is counted per.' }),
    description: t.exposeString('description', { description: 'What the money is for.' }),
    academicYear: t.expose('academicYear', {
      type: 'AcademicYear',
      nullable: true,
      description: 'The year the figure is stated for, if any.',
    }),
  }),
});

builder.prismaObject('ProgrammeLink', {
  description: 'A step between two programmes: `from` leads to `to`.',
  fields: (t) => ({
    from: t.relation('from', { description: 'The earlier programme.' }),
    to: t.relation('to', { description: 'The later programme.' }),
    required: t.exposeBoolean('required', { description: 'True when `to` requires `from` first.' }),
    rule: t.exposeString('rule', { description: 'The rule in plain words.' }),
  }),
});

export const ProgrammeFilter = builder.inputType('ProgrammeFilter', {
  description: 'Narrows the programmes list. All given conditions must hold.',
  fields: (t) => ({
    phase: t.field({ type: ProgrammePhase, description: 'Only programmes for this phase.' }),
    kind: t.field({ type: ProgrammeKind, description: 'Only programmes of this format.' }),
    family: t.field({ type: ProgrammeFamily, description: 'Only programmes of this strand.' }),
    masteryPhase: t.field({ type: MasteryPhase, description: 'Only this Teaching for Mastery phase.' }),
    academicYear: t.field({
      type: 'AcademicYear',
      description: 'Only programmes offered that year (listed for it, or with a cohort in it).',
    }),
    recruiting: t.boolean({
      description: 'true: only programmes with a cohort recruiting today; false: only the others.',
    }),
    status: t.field({ type: ProgrammeStatus, description: 'Only programmes with this status.' }),
  }),
});

function programmeWhere(filter: (typeof ProgrammeFilter)['$inferInput'] | null | undefined, ctx: Context) {
  const and: Prisma.ProgrammeWhereInput[] = [];
  if (filter?.phase) and.push({ phase: filter.phase });
  if (filter?.kind) and.push({ kind: filter.kind });
  if (filter?.family) and.push({ family: filter.family });
  if (filter?.masteryPhase) and.push({ masteryPhase: filter.masteryPhase });
  if (filter?.status) and.push({ status: filter.status });
  if (filter?.academicYear) {
    const academicYear = filter.academicYear;
    and.push({
      OR: [
        { years: { some: { academicYear, status: { not: 'NOT_LISTED' } } } },
        { cohorts: { some: { academicYear } } },
      ],
    });
  }
  if (filter?.recruiting === true) and.push({ cohorts: { some: recruitingWhere(ctx.now) } });
  if (filter?.recruiting === false) and.push({ cohorts: { none: recruitingWhere(ctx.now) } });
  return { AND: and };
}

export const Programme = builder.prismaNode('Programme', {
  id: { field: 'id' },
  nullable: true, // node(id:) answers null for an unknown id
  description: 'A national professional development programme, run by hubs as cohorts.',
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'Stable identifier, e.g. secondary-tfm-development.' }),
    name: t.exposeString('name', { description: 'The programme’s name.' }),
    family: t.expose('family', { type: ProgrammeFamily, description: 'The strand it belongs to.' }),
    phase: t.expose('phase', { type: ProgrammePhase, description: 'The phase of education it is for.' }),
    kind: t.expose('kind', { type: ProgrammeKind, description: 'Its format.' }),
    masteryPhase: t.expose('masteryPhase', {
      type: MasteryPhase,
      nullable: true,
      description: 'For Teaching for Mastery: Development, Embedding or Sustaining.',
    }),
    status: t.expose('status', {
      type: ProgrammeStatus,
      description: 'Whether it is part of the current offer.',
    }),
    summary: t.exposeString('summary', { description: 'What the programme is, in a few sentences.' }),
    audience: t.exposeStringList('audience', { description: 'Who it is for.' }),
    eligibility: t.relation('eligibility', {
      description: 'Who may take part, rule by rule.',
      query: { orderBy: { position: 'asc' } },
    }),
    outcomes: t.exposeStringList('outcomes', { description: 'What participants and schools gain.' }),
    timeCommitment: t.exposeStringList('timeCommitment', {
      description: 'The time it asks of participants.',
    }),
    fullyFunded: t.exposeBoolean('fullyFunded', {
      nullable: true,
      description: 'True when free to schools; null when the documents do not say.',
    }),
    funding: t.relation('funding', {
      description: 'Money attached to it.',
      query: { orderBy: { position: 'asc' } },
    }),
    progression: t.relation('prerequisiteLinks', {
      description: 'The steps into this programme, with their rules.',
      query: { orderBy: { fromId: 'asc' } },
    }),
    replacedBy: t.relation('replacedBy', {
      nullable: true,
      description: 'The programme that replaced this one.',
    }),
    years: t.relation('years', {
      description: 'The programme year by year, oldest first.',
      query: { orderBy: { academicYear: 'asc' } },
    }),
    currentYear: t.field({
      type: ProgrammeYear,
      nullable: true,
      description: 'The programme this academic year, or the latest year on record before it.',
      select: (_args, ctx, nested) => ({
        years: {
          ...nested(true),
          where: { academicYear: { lte: academicYearOf(ctx.now) } },
          orderBy: { academicYear: 'desc' },
          take: 1,
        },
      }),
      resolve: (programme) => programme.years[0] ?? null,
    }),
    cohorts: t.relatedConnection(
      'cohorts',
      {
        description: 'Cohorts of this programme, filtered and ordered as asked.',
        args: cohortListArgs,
        cursor: 'id',
        totalCount: true,
        query: cohortListQuery,
      },
      CohortConnection,
    ),
  }),
});

// Defined after the type, because they return the type itself.
builder.prismaObjectFields(Programme, (t) => ({
  prerequisites: t.field({
    type: [Programme],
    description: 'Programmes that come before this one (see `progression` for whether each is required).',
    select: (_args, _ctx, nested) => ({
      prerequisiteLinks: { select: { from: nested(true) }, orderBy: { fromId: 'asc' } },
    }),
    resolve: (programme) => programme.prerequisiteLinks.map((link) => link.from),
  }),
  leadsTo: t.field({
    type: [Programme],
    description: 'Programmes that follow on from this one.',
    select: (_args, _ctx, nested) => ({
      leadsToLinks: { select: { to: nested(true) }, orderBy: { toId: 'asc' } },
    }),
    resolve: (programme) => programme.leadsToLinks.map((link) => link.to),
  }),
}));

const ProgrammeConnection = namedConnection(Programme, 'Programme', 'programmes');

builder.queryFields((t) => ({
  programmes: t.prismaConnection(
    {
      type: Programme,
      cursor: 'id',
      description: 'The national programmes, by name.',
      args: { filter: t.arg({ type: ProgrammeFilter, description: 'Conditions the programmes must meet.' }) },
      totalCount: (_parent, { filter }, ctx) =>
        ctx.prisma.programme.count({ where: programmeWhere(filter, ctx) }),
      resolve: (query, _root, { filter }, ctx) =>
        ctx.prisma.programme.findMany({
          ...query,
          where: programmeWhere(filter, ctx),
          orderBy: [{ name: 'asc' }, { id: 'asc' }],
        }),
    },
    ProgrammeConnection,
  ),
  programme: t.prismaField({
    type: Programme,
    nullable: true,
    description: 'A programme by its slug; null if there is none.',
    args: { slug: t.arg.string({ required: true, description: 'e.g. "secondary-tfm-development".' }) },
    resolve: (query, _root, { slug }, ctx) =>
      ctx.prisma.programme.findUnique({ ...query, where: { slug: slug.trim().toLowerCase() } }),
  }),
}));
