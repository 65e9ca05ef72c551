// Enrolment: a participant in a cohort, in a role, for a school. Visible to the cohort's hub staff
// and national admins.

import { canSeeCohortRecord } from '../access.ts';
import { builder, namedConnection } from '../builder.ts';
import { EnrolmentRole, EnrolmentStatus } from './enums.ts';

export const Enrolment = builder.prismaNode('Enrolment', {
  id: { field: 'id' },
  nullable: true, // node(id:) answers null for an unknown id
  description: 'A participant taking part in a cohort, in a role, for a school.',
  authScopes: async (enrolment, ctx) => canSeeCohortRecord(enrolment.cohortId, ctx),
  fields: (t) => ({
    participant: t.relation('participant', { description: 'Who.' }),
    cohort: t.relation('cohort', { description: 'In which cohort.' }),
    school: t.relation('school', { nullable: true, description: 'For which school.' }),
    role: t.expose('role', { type: EnrolmentRole, description: 'In what role.' }),
    status: t.expose('status', { type: EnrolmentStatus, description: 'Where they stand.' }),
    attendanceRate: t.float({
      nullable: true,
      description: 'Share of recorded sessions attended (0 to 1); null until attendance is recorded.',
      resolve: (enrolment, _args, ctx) => ctx.loaders.attendanceRate.load(enrolment.id),
    }),
    application: t.relation('application', {
      nullable: true,
      description: 'The application that brought them in.',
    }),
  }),
});

export const EnrolmentConnection = namedConnection(Enrolment, 'Enrolment', 'enrolments');
