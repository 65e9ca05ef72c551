// Hub: a Maths Hub, its lead organisations, earlier names, and the hubs connection.
import type { Prisma } from '@maths-hubs/db/client';
import { builder, namedConnection } from '../builder.ts';
import {
  CohortConnection,
  cohortListArgs,
  cohortListQuery,
  cohortOrderBy,
  recruitingWhere,
} from './cohort.ts';
import { SuccessionEvidence } from './enums.ts';
import { SchoolConnection, SchoolFilter, schoolWhere } from './school.ts';

export const HubLeadOrganisation = builder.prismaObject('HubLeadOrganisation', {
  description: 'A school or college that leads a hub, as named for an academic year.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The organisation’s name.' }),
    town: t.exposeString('town', { nullable: true, description: 'Its town, where the documents give one.' }),
    academicYear: t.expose('academicYear', {
      type: 'AcademicYear',
      description: 'The academic year the documents name this lead for.',
    }),
    inferred: t.exposeBoolean('inferred', {
      description: 'True when the link for that year is our inference rather than stated in a document.',
    }),
  }),
});

export const HubPredecessor = builder.prismaObject('HubPredecessor', {
  description: 'A hub as listed in an earlier year (e.g. the 2019 list of 35 hubs).',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The hub’s name in that list.' }),
    listedIn: t.expose('listedIn', { type: 'AcademicYear', description: 'The academic year of that list.' }),
    leadOrganisations: t.exposeStringList('leadOrganisations', {
      description: 'The lead schools or colleges named in that list.',
    }),
    town: t.exposeString('town', { nullable: true, description: 'The town named in that list, if any.' }),
    evidence: t.expose('evidence', {
      type: SuccessionEvidence,
      description: 'How sure the link to the current hub is.',
    }),
  }),
});

export const Hub = builder.prismaNode('Hub', {
  id: { field: 'id' },
  nullable: true, // node(id:) answers null for an unknown id
  description: 'A Maths Hub: a partnership, led by a school or college, that runs programmes for its area.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'The hub’s code: region prefix and number, e.g. WM1.' }),
    name: t.exposeString('name', { description: 'The hub’s name, e.g. Central Maths Hub.' }),
    shortName: t.exposeString('shortName', { description: 'The name without “Maths Hub”, e.g. Central.' }),
    altNames: t.exposeStringList('altNames', { description: 'Other spellings seen in programme documents.' }),
    region: t.relation('region', { description: 'The region the hub belongs to.' }),
    leadOrganisations: t.relation('leadOrganisations', {
      description: 'The schools or colleges that lead the hub, by academic year.',
      query: { orderBy: [{ academicYear: 'desc' }, { name: 'asc' }] },
    }),
    areasServed: t.exposeStringList('areasServed', {
      description: 'Local authority areas the hub serves, where the documents name them.',
    }),
    contactEmail: t.exposeString('contactEmail', {
      nullable: true,
      description: 'The hub’s organisational contact address, where published.',
    }),
    predecessors: t.relation('predecessors', {
      description: 'Earlier hubs this one continues, with how sure the link is.',
      query: { orderBy: { name: 'asc' } },
    }),
    cohorts: t.relatedConnection(
      'cohorts',
      {
        description:
          'The cohorts this hub runs, filtered and ordered as asked (by code unless told otherwise).',
        args: cohortListArgs,
        cursor: 'id',
        totalCount: true,
        query: cohortListQuery,
      },
      CohortConnection,
    ),
    recruitingCohorts: t.relatedConnection(
      'cohorts',
      {
        description:
          'Cohorts a school can apply to today, soonest deadline first: what a hub’s website shows.',
        cursor: 'id',
        totalCount: true,
        query: (_args, ctx) => ({
          where: recruitingWhere(ctx.now),
          orderBy: cohortOrderBy('APPLICATION_DEADLINE'),
        }),
      },
      CohortConnection,
    ),
    schools: t.relatedConnection(
      'schools',
      {
        description: 'The schools in this hub’s area, by name.',
        args: { filter: t.arg({ type: SchoolFilter, description: 'Conditions the schools must meet.' }) },
        cursor: 'id',
        totalCount: true,
        query: ({ filter }) => ({ where: schoolWhere(filter), orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
      },
      SchoolConnection,
    ),
  }),
});

const HubOrder = builder.enumType('HubOrder', {
  description: 'How to order hubs.',
  values: {
    CODE: { description: 'By code: EE1, EE2, … YH4 (the default).' },
    NAME: { description: 'By name, A to Z.' },
  } as const,
});

const HubFilter = builder.inputType('HubFilter', {
  description: 'Narrows the hubs list. All given conditions must hold.',
  fields: (t) => ({
    regionCode: t.string({ description: 'Only hubs in this region, e.g. "WM".' }),
    search: t.string({ description: 'Only hubs whose name or code contains this text (case-insensitive).' }),
  }),
});

function hubWhere(filter: { regionCode?: string | null; search?: string | null } | null | undefined) {
  const where: Prisma.HubWhereInput = {};
  if (filter?.regionCode) where.region = { code: filter.regionCode.trim().toUpperCase() };
  const search = filter?.search?.trim();
  if (search) {
    where.OR = [
      { name: { contains: search, mode: 'insensitive' } },
      { code: { equals: search.toUpperCase() } },
    ];
  }
  return where;
}

const HubConnection = namedConnection(Hub, 'Hub', 'hubs');

builder.queryFields((t) => ({
  hubs: t.prismaConnection(
    {
      type: Hub,
      cursor: 'code',
      description: 'The Maths Hubs. `first` defaults to 20 and is capped at 100.',
      args: {
        filter: t.arg({ type: HubFilter, description: 'Conditions the hubs must meet.' }),
        orderBy: t.arg({ type: HubOrder, description: 'How to order them. Default: CODE.' }),
      },
      totalCount: (_parent, { filter }, ctx) => ctx.prisma.hub.count({ where: hubWhere(filter) }),
      resolve: (query, _root, { filter, orderBy }, ctx) =>
        ctx.prisma.hub.findMany({
          ...query,
          where: hubWhere(filter),
          orderBy: orderBy === 'NAME' ? [{ name: 'asc' }, { code: 'asc' }] : { code: 'asc' },
        }),
    },
    HubConnection,
  ),
  hub: t.prismaField({
    type: Hub,
    nullable: true,
    description: 'A hub by its code (case-insensitive); null if there is none.',
    args: { code: t.arg.string({ required: true, description: 'Hub code, e.g. "WM1".' }) },
    resolve: (query, _root, { code }, ctx) =>
      ctx.prisma.hub.findUnique({ ...query, where: { code: code.trim().toUpperCase() } }),
  }),
}));
