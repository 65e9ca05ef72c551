// Session: a scheduled meeting of a cohort, and who attended.
import { builder } from '../builder.ts';
import { AttendanceStatus, SessionKind, SessionMode } from './enums.ts';

const Attendance = builder.prismaObject('Attendance', {
  description: 'One participant’s attendance at one session.',
  fields: (t) => ({
    enrolment: t.relation('enrolment', { description: 'Whose attendance.' }),
    status: t.expose('status', { type: AttendanceStatus, description: 'Present, absent or excused.' }),
    recordedAt: t.expose('recordedAt', { type: 'DateTime', description: 'When it was recorded.' }),
  }),
});

export const Session = builder.prismaNode('Session', {
  id: { field: 'id' },
  nullable: true, // node(id:) answers null for an unknown id
  description: 'A scheduled meeting of a cohort.',
  fields: (t) => ({
    cohort: t.relation('cohort', { description: 'The cohort meeting.' }),
    kind: t.expose('kind', { type: SessionKind, description: 'What kind of session.' }),
    title: t.exposeString('title', { description: 'Its title.' }),
    startsAt: t.expose('startsAt', { type: 'DateTime', description: 'When it starts.' }),
    durationMinutes: t.exposeInt('durationMinutes', { description: 'How long it lasts, in minutes.' }),
    mode: t.expose('mode', { type: SessionMode, description: 'In person or online.' }),
    attendance: t.relation('attendance', {
      nullable: true,
      description:
        'Who attended. Visible to staff of the cohort’s hub and national admins (null for others).',
      authScopes: async (session, _args, ctx) => ({
        hub: await ctx.loaders.cohortHubId.load(session.cohortId),
      }),
      unauthorizedResolver: () => null,
      query: { orderBy: { enrolmentId: 'asc' } },
    }),
  }),
});
void Attendance;
