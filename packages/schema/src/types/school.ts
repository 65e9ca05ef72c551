// School: a school or college by its DfE URN; the schools connection, search and filters.
import type { Prisma } from '@maths-hubs/db/client';
import { URN } from '@maths-hubs/db/domain';
import { GraphQLError } from 'graphql';
import { builder, namedConnection } from '../builder.ts';
import { EnrolmentConnection, visibleEnrolmentsQuery } from './enrolment.ts';
import { SchoolPhase, SchoolStatus, SchoolType } from './enums.ts';

export const SchoolFilter = builder.inputType('SchoolFilter', {
  description: 'Narrows a list of schools. All given conditions must hold.',
  fields: (t) => ({
    search: t.string({
      description: 'A six-digit URN, or text the school’s name contains (case-insensitive).',
    }),
    hubCode: t.string({ description: 'Only schools in this hub’s area, e.g. "WM1".' }),
    localAuthority: t.string({
      description: 'Only schools in this local authority, e.g. "Dudley" (exact, case-insensitive).',
    }),
    localAuthorityCode: t.string({
      description: 'Only schools in the local authority with this three-digit register code, e.g. "332".',
    }),
    phase: t.field({ type: [SchoolPhase], description: 'Only schools of one of these phases.' }),
    status: t.field({
      type: [SchoolStatus],
      description:
        'Only schools with one of these statuses. Left out, every status but CLOSED: closed schools appear only when asked for.',
    }),
    stateFunded: t.boolean({
      description: 'Only state-funded schools (true) or only independent ones (false).',
    }),
  }),
});

export function schoolWhere(
  filter: (typeof SchoolFilter)['$inferInput'] | null | undefined,
): Prisma.SchoolWhereInput {
  const and: Prisma.SchoolWhereInput[] = [];
  const search = filter?.search?.trim();
  if (search)
    and.push(URN.test(search) ? { urn: search } : { name: { contains: search, mode: 'insensitive' } });
  if (filter?.hubCode) and.push({ hub: { code: filter.hubCode.trim().toUpperCase() } });
  if (filter?.localAuthority)
    and.push({ localAuthority: { equals: filter.localAuthority.trim(), mode: 'insensitive' } });
  if (filter?.localAuthorityCode) and.push({ localAuthorityCode: filter.localAuthorityCode.trim() });
  if (filter?.phase?.length) and.push({ phase: { in: filter.phase } });
  and.push(filter?.status?.length ? { status: { in: filter.status } } : { status: { not: 'CLOSED' } });
  if (typeof filter?.stateFunded === 'boolean') and.push({ stateFunded: filter.stateFunded });
  return { AND: and };
}

export const School = builder.prismaNode('School', {
  id: { field: 'id' },
  nullable: true, // node(id:) answers null for an unknown id
  description: 'A school or college, identified by its DfE Unique Reference Number (URN).',
  fields: (t) => ({
    urn: t.exposeString('urn', { description: 'Six-digit DfE Unique Reference Number.' }),
    name: t.exposeString('name', { description: 'The school’s name.' }),
    phase: t.expose('phase', { type: SchoolPhase, description: 'Phase of education.' }),
    type: t.expose('type', { type: SchoolType, description: 'Kind of establishment (coarse).' }),
    establishmentType: t.exposeString('establishmentType', {
      nullable: true,
      description:
        'The register’s own name for its type, e.g. "Academy converter" or "Pupil referral unit"; null for demo schools.',
    }),
    stateFunded: t.exposeBoolean('stateFunded', {
      description:
        'True for state-funded schools, decided by type as DfE statistics do (colleges count as state-funded here).',
    }),
    localAuthority: t.exposeString('localAuthority', { description: 'The local authority area it is in.' }),
    localAuthorityCode: t.exposeString('localAuthorityCode', {
      nullable: true,
      description:
        'The register’s three-digit code for its local authority, e.g. "330"; null for demo schools.',
    }),
    postcode: t.exposeString('postcode', {
      nullable: true,
      description: 'Its postcode; null where the register has none (about 1,400 establishments).',
    }),
    status: t.expose('status', {
      type: SchoolStatus,
      description: 'Open, closed, or about to open or close.',
    }),
    openedOn: t.expose('openedOn', {
      type: 'Date',
      nullable: true,
      description: 'The day it opened (or will open); null when the register has no real date.',
    }),
    closedOn: t.expose('closedOn', {
      type: 'Date',
      nullable: true,
      description: 'The day it closed (or will close).',
    }),
    // By model name, as the object cannot name itself; the loader batches the links.
    predecessors: t.prismaField({
      type: ['School'],
      description:
        'The schools it replaced: the URN before an academy conversion, or the schools merged or amalgamated into it (from the register’s links file). Oldest link first.',
      resolve: (_query, school, _args, ctx) => ctx.loaders.schoolPredecessors.load(school.urn),
    }),
    successors: t.prismaField({
      type: ['School'],
      description:
        'The schools that replaced it: the academy it converted to, or the schools it was merged, amalgamated or split into.',
      resolve: (_query, school, _args, ctx) => ctx.loaders.schoolSuccessors.load(school.urn),
    }),
    trust: t.exposeString('trust', {
      nullable: true,
      description: 'The multi-academy trust it belongs to, if any.',
    }),
    synthetic: t.exposeBoolean('synthetic', { description: 'True for made-up demo or benchmark data.' }),
    hub: t.relation('hub', { nullable: true, description: 'The hub whose area it is in.' }),
    enrolments: t.relatedConnection(
      'enrolments',
      {
        nullable: true,
        description:
          'Its staff’s enrolments. National admins see all; staff of a hub see those in their hub’s cohorts; null for others.',
        authScopes: { nationalAdmin: true, hubStaff: true },
        unauthorizedResolver: () => null,
        cursor: 'id',
        totalCount: true,
        query: visibleEnrolmentsQuery,
      },
      EnrolmentConnection,
    ),
  }),
});

export const SchoolConnection = namedConnection(School, 'School', 'schools');

builder.queryFields((t) => ({
  schools: t.prismaConnection(
    {
      type: School,
      cursor: 'id',
      description: 'Schools and colleges, by name. Closed ones only when the filter asks for them.',
      args: { filter: t.arg({ type: SchoolFilter, description: 'Conditions the schools must meet.' }) },
      totalCount: (_parent, { filter }, ctx) => ctx.prisma.school.count({ where: schoolWhere(filter) }),
      resolve: (query, _root, { filter }, ctx) =>
        ctx.prisma.school.findMany({
          ...query,
          where: schoolWhere(filter),
          orderBy: [{ name: 'asc' }, { id: 'asc' }],
        }),
    },
    SchoolConnection,
  ),
  school: t.prismaField({
    type: School,
    nullable: true,
    description: 'A school by its six-digit URN; null if there is none.',
    args: { urn: t.arg.string({ required: true, description: 'e.g. "103504".' }) },
    resolve: (query, _root, { urn }, ctx) => {
      const value = urn.trim();
      if (!URN.test(value)) {
        throw new GraphQLError(`"${urn}" is not a URN: a URN is six digits, e.g. "103504".`, {
          extensions: { code: 'BAD_USER_INPUT', argument: 'urn' },
        });
      }
      return ctx.prisma.school.findUnique({ ...query, where: { urn: value } });
    },
  }),
}));
