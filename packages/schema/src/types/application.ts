// Application: a school's application to a cohort (the 2024/25 Work Group form). Visible to the
// cohort's hub staff and national admins. (Submitting and deciding: issue "Applications".)

import { canSeeCohortRecord } from '../access.ts';
import { builder, namedConnection } from '../builder.ts';
import { ApplicationStatus } from './enums.ts';

interface Person {
  name: string;
  email: string;
  trn?: string;
}

const Contact = builder.objectRef<Person>('ApplicationContact').implement({
  description: 'A person named on an application form.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Their name.' }),
    email: t.exposeString('email', { description: 'Their email address.' }),
    trn: t.string({
      nullable: true,
      description: 'Their Teacher Reference Number, or UQT (head of department only).',
      resolve: (p) => p.trn ?? null,
    }),
  }),
});

const Advocate = builder.prismaObject('ApplicationAdvocate', {
  description: 'A Mastery Advocate named on an application.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Their name.' }),
    email: t.exposeString('email', { description: 'Their email address.' }),
    trn: t.exposeString('trn', { description: 'Teacher Reference Number, or UQT.' }),
    yearGroupsTaught: t.exposeString('yearGroupsTaught', { description: 'Year groups they teach.' }),
    responsibility: t.exposeString('responsibility', { description: 'Their role in the maths department.' }),
  }),
});

export const Application = builder.prismaNode('Application', {
  id: { field: 'id' },
  nullable: true, // node(id:) answers null for an unknown id
  description: 'A school’s application to a cohort, following the 2024/25 Work Group form.',
  authScopes: async (application, ctx) => canSeeCohortRecord(application.cohortId, ctx),
  fields: (t) => ({
    cohort: t.relation('cohort', { description: 'The cohort applied to.' }),
    school: t.relation('school', { description: 'The school applying.' }),
    status: t.expose('status', { type: ApplicationStatus, description: 'Where it stands.' }),
    submittedAt: t.expose('submittedAt', { type: 'DateTime', description: 'When it was submitted.' }),
    decidedAt: t.expose('decidedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the hub decided.',
    }),
    decisionNote: t.exposeString('decisionNote', {
      nullable: true,
      description: 'The hub’s note on its decision.',
    }),
    contactTelephone: t.exposeString('contactTelephone', {
      description: 'The school’s contact telephone number.',
    }),
    headteacher: t.field({
      type: Contact,
      description: 'The headteacher or senior leader supporting the application.',
      select: { headteacherName: true, headteacherEmail: true },
      resolve: (a) => ({ name: a.headteacherName, email: a.headteacherEmail }),
    }),
    headOfDepartment: t.field({
      type: Contact,
      description: 'The head of the maths department.',
      select: { headOfDepartmentName: true, headOfDepartmentEmail: true, headOfDepartmentTrn: true },
      resolve: (a) => ({
        name: a.headOfDepartmentName,
        email: a.headOfDepartmentEmail,
        trn: a.headOfDepartmentTrn,
      }),
    }),
    advocates: t.relation('advocates', {
      description: 'The Mastery Advocates the school nominates.',
      query: { orderBy: { position: 'asc' } },
    }),
    priorSpecialistWork: t.exposeString('priorSpecialistWork', {
      nullable: true,
      description: 'Work with a Mastery Specialist so far; null for none.',
    }),
    statement: t.exposeString('statement', { description: 'The head of department’s statement.' }),
    commitmentsConfirmed: t.exposeBoolean('commitmentsConfirmed', {
      description: 'The school confirmed the commitments.',
    }),
  }),
});
void Advocate;

export const ApplicationConnection = namedConnection(Application, 'Application', 'applications');
