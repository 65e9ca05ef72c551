// Programme: a national programme definition and its per-year rows.
// (Issue "Public read API" adds the full field set, filters and the programmes connection.)
import { builder } from '../builder.ts';

export const ProgrammeYearStatus = builder.enumType('ProgrammeYearStatus', {
  description: 'How a programme is offered in one academic year.',
  values: {
    RECRUITING: { description: 'Taking applications.' },
    AVAILABLE: { description: 'Offered nationally; apply through your local hub.' },
    EXPRESSION_OF_INTEREST: { description: 'Registering interest for the following year.' },
    CLOSED: { description: 'Applications have closed for the year.' },
    NOT_LISTED: { description: 'Not shown on that year’s hub page; whether it ran is unknown.' },
  } as const,
});

export const ProgrammeYear = builder.prismaObject('ProgrammeYear', {
  description: 'A programme in one academic year: its project code, status and deadline.',
  fields: (t) => ({
    academicYear: t.expose('academicYear', { type: 'AcademicYear', description: 'The academic year.' }),
    projectCode: t.exposeString('projectCode', {
      nullable: true,
      description: 'The Network Collaborative Project code for that year, e.g. NCP23-12.',
    }),
    status: t.expose('status', { type: ProgrammeYearStatus, description: 'How the programme was offered.' }),
  }),
});

export const Programme = builder.prismaNode('Programme', {
  id: { field: 'id' },
  description: 'A national professional development programme, run by hubs as cohorts.',
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'Stable identifier, e.g. secondary-tfm-development.' }),
    name: t.exposeString('name', { description: 'The programme’s name.' }),
    summary: t.exposeString('summary', { description: 'What the programme is, in a few sentences.' }),
    years: t.relation('years', {
      description: 'The programme year by year, oldest first.',
      query: { orderBy: { academicYear: 'asc' } },
    }),
  }),
});

builder.queryFields((t) => ({
  programme: t.prismaField({
    type: Programme,
    nullable: true,
    description: 'A programme by its slug; null if there is none.',
    args: { slug: t.arg.string({ required: true, description: 'e.g. "secondary-tfm-development".' }) },
    resolve: (query, _root, { slug }, ctx) =>
      ctx.prisma.programme.findUnique({ ...query, where: { slug: slug.trim().toLowerCase() } }),
  }),
}));
