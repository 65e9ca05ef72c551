// Cohort: one programme run by a hub (or regionally or nationally) in one academic year.
// (Issue "Public read API" adds places, recruitment, enrolments and the cohorts connection.)
import { builder } from '../builder.ts';

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

export const Cohort = builder.prismaNode('Cohort', {
  id: { field: 'id' },
  description: 'One programme run by a hub (or regionally or nationally) in one academic year.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Readable unique code, e.g. WM1-SEC-TFM-DEV-2024-25.' }),
    name: t.exposeString('name', { description: 'The cohort’s name.' }),
    programme: t.relation('programme', { description: 'The programme this cohort runs.' }),
    hub: t.relation('hub', { nullable: true, description: 'The hub running it; null for national runs.' }),
    academicYear: t.expose('academicYear', {
      type: 'AcademicYear',
      description: 'The academic year it runs in.',
    }),
    status: t.expose('status', { type: CohortStatus, description: 'Where the cohort is in its lifecycle.' }),
    capacity: t.exposeInt('capacity', { description: 'Places offered: one per accepted school department.' }),
    areasServed: t.exposeStringList('areasServed', {
      description: 'Local authority areas it recruits from; empty means the hub’s whole area.',
    }),
  }),
});

builder.queryFields((t) => ({
  cohort: t.prismaField({
    type: Cohort,
    nullable: true,
    description: 'A cohort by its code (case-insensitive); null if there is none.',
    args: { code: t.arg.string({ required: true, description: 'e.g. "WM1-SEC-TFM-DEV-2024-25".' }) },
    resolve: (query, _root, { code }, ctx) =>
      ctx.prisma.cohort.findUnique({ ...query, where: { code: code.trim().toUpperCase() } }),
  }),
}));
