// Participant: a teacher, leader or teaching assistant. Personal data: national admins see
// everyone, hub staff see their own hub's people, nobody else sees people — on every path.
import type { Prisma } from '@maths-hubs/db/client';
import { canSeeParticipant, visibleParticipants } from '../access.ts';
import { builder, namedConnection } from '../builder.ts';
import { EnrolmentConnection, visibleEnrolmentsQuery } from './enrolment.ts';
import { EnrolmentRole } from './enums.ts';

export const Participant = builder.prismaNode('Participant', {
  id: { field: 'id' },
  nullable: true, // node(id:) answers null for an unknown id
  description:
    'A teacher, leader or teaching assistant. Visible to staff of their hub and to national admins only.',
  authScopes: async (participant, ctx) => canSeeParticipant(participant.id, ctx),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Their name.' }),
    email: t.exposeString('email', {
      nullable: true,
      description: 'Their email address. Never shown to anonymous callers or analysts.',
      authScopes: { nationalAdmin: true, hubStaff: true },
    }),
    trn: t.exposeString('trn', {
      nullable: true,
      description:
        'Teacher Reference Number (seven digits), or UQT if unqualified. Never shown to anonymous callers or analysts.',
      authScopes: { nationalAdmin: true, hubStaff: true },
    }),
    qts: t.exposeBoolean('qts', {
      nullable: true,
      description: 'True if they hold Qualified Teacher Status.',
    }),
    yearsTeaching: t.exposeInt('yearsTeaching', {
      nullable: true,
      description: 'Years of teaching experience.',
    }),
    school: t.relation('school', { nullable: true, description: 'The school they work at.' }),
    enrolments: t.relatedConnection(
      'enrolments',
      {
        description: 'The cohorts they take part in (for hub staff: their own hub’s cohorts).',
        cursor: 'id',
        totalCount: true,
        query: visibleEnrolmentsQuery,
      },
      EnrolmentConnection,
    ),
  }),
});

const ParticipantFilter = builder.inputType('ParticipantFilter', {
  description: 'Narrows the participants list. All given conditions must hold.',
  fields: (t) => ({
    hubCode: t.string({
      description: 'Only people of this hub (school in its area, or in one of its cohorts).',
    }),
    cohortCode: t.string({ description: 'Only people enrolled in this cohort.' }),
    schoolUrn: t.string({ description: 'Only people at this school.' }),
    role: t.field({ type: EnrolmentRole, description: 'Only people enrolled in this role.' }),
    search: t.string({ description: 'Only people whose name contains this text (case-insensitive).' }),
  }),
});

function participantWhere(
  filter: (typeof ParticipantFilter)['$inferInput'] | null | undefined,
): Prisma.ParticipantWhereInput {
  const and: Prisma.ParticipantWhereInput[] = [];
  if (filter?.hubCode) {
    const code = filter.hubCode.trim().toUpperCase();
    and.push({
      OR: [{ school: { hub: { code } } }, { enrolments: { some: { cohort: { hub: { code } } } } }],
    });
  }
  if (filter?.cohortCode)
    and.push({ enrolments: { some: { cohort: { code: filter.cohortCode.trim().toUpperCase() } } } });
  if (filter?.schoolUrn) and.push({ school: { urn: filter.schoolUrn.trim() } });
  if (filter?.role) and.push({ enrolments: { some: { role: filter.role } } });
  const search = filter?.search?.trim();
  if (search) and.push({ name: { contains: search, mode: 'insensitive' } });
  return { AND: and };
}

const ParticipantConnection = namedConnection(Participant, 'Participant', 'participants');

builder.queryFields((t) => ({
  participants: t.prismaConnection(
    {
      type: Participant,
      cursor: 'id',
      description:
        'People taking part, by name. National admins see everyone; hub staff see their own hub’s people.',
      authScopes: { nationalAdmin: true, hubStaff: true },
      args: { filter: t.arg({ type: ParticipantFilter, description: 'Conditions the people must meet.' }) },
      totalCount: (_parent, { filter }, ctx) =>
        ctx.prisma.participant.count({
          where: { AND: [participantWhere(filter), visibleParticipants(ctx)] },
        }),
      resolve: (query, _root, { filter }, ctx) =>
        ctx.prisma.participant.findMany({
          ...query,
          where: { AND: [participantWhere(filter), visibleParticipants(ctx)] },
          orderBy: [{ name: 'asc' }, { id: 'asc' }],
        }),
    },
    ParticipantConnection,
  ),
}));
