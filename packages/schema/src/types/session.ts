// Session: a scheduled meeting of a cohort, and who attended.

import { canManageHub } from '../access.ts';
import { audit, decodeId } from '../audit.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { controlCharacterErrors } from '../rules/validation.ts';
import { AttendanceStatus, SessionKind, SessionMode } from './enums.ts';
import { forbidden, UserError, type UserErrorShape, unlessDuplicate } from './user-error.ts';

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

// ───────────── mutations ─────────────
// Session mutations: scheduleSession (within the cohort's dates) and recordAttendance (idempotent).
// Hub staff for their own hub's cohorts; national admins for any.
type SessionRow = NonNullable<Awaited<ReturnType<Context['prisma']['session']['findUnique']>>>;
const day = (d: Date) => d.toISOString().slice(0, 10);

const ScheduleSessionInput = builder.inputType('ScheduleSessionInput', {
  description: 'A session to add to a cohort.',
  fields: (t) => ({
    cohortId: t.id({ required: true, description: 'The cohort’s global ID.' }),
    kind: t.field({ type: SessionKind, required: true, description: 'What kind of session.' }),
    title: t.string({ required: true, description: 'Its title.' }),
    startsAt: t.field({
      type: 'DateTime',
      required: true,
      description: 'When it starts (within the cohort’s dates).',
    }),
    durationMinutes: t.int({ required: true, description: 'How long, in minutes (15 to 1440).' }),
    mode: t.field({ type: SessionMode, required: true, description: 'In person or online.' }),
  }),
});

const ScheduleSessionPayload = builder
  .objectRef<{ session: SessionRow | null; userErrors: UserErrorShape[] }>('ScheduleSessionPayload')
  .implement({
    description: 'The result of scheduleSession.',
    fields: (t) => ({
      session: t.expose('session', { type: Session, nullable: true, description: 'The new session.' }),
      userErrors: t.expose('userErrors', {
        type: [UserError],
        description: 'What was wrong with the input, if anything.',
      }),
    }),
  });

const AttendanceRecordInput = builder.inputType('AttendanceRecordInput', {
  description: 'One participant’s attendance.',
  fields: (t) => ({
    enrolmentId: t.id({
      required: true,
      description: 'The enrolment’s global ID (in the session’s cohort).',
    }),
    status: t.field({ type: AttendanceStatus, required: true, description: 'Present, absent or excused.' }),
  }),
});

const RecordAttendanceInput = builder.inputType('RecordAttendanceInput', {
  description: 'Attendance at a session. Recording again replaces what was recorded.',
  fields: (t) => ({
    sessionId: t.id({ required: true, description: 'The session’s global ID.' }),
    records: t.field({
      type: [AttendanceRecordInput],
      required: true,
      description: 'One record per participant (at most 500).',
    }),
  }),
});

const RecordAttendancePayload = builder
  .objectRef<{ session: SessionRow | null; recorded: number; userErrors: UserErrorShape[] }>(
    'RecordAttendancePayload',
  )
  .implement({
    description: 'The result of recordAttendance.',
    fields: (t) => ({
      session: t.expose('session', { type: Session, nullable: true, description: 'The session.' }),
      recorded: t.exposeInt('recorded', { description: 'How many records were written.' }),
      userErrors: t.expose('userErrors', {
        type: [UserError],
        description: 'What was wrong with the input, if anything.',
      }),
    }),
  });

const FORBIDDEN_MESSAGE = 'Only staff of the cohort’s hub, or a national admin, may do this.';

builder.mutationFields((t) => ({
  scheduleSession: t.field({
    type: ScheduleSessionPayload,
    description: 'Adds a session to a cohort, within its dates.',
    args: { input: t.arg({ type: ScheduleSessionInput, required: true, description: 'The session.' }) },
    resolve: async (_root, { input }, ctx) => {
      const unprintable = controlCharacterErrors(input);
      if (unprintable.length > 0) return { session: null, userErrors: unprintable };
      const cohortId = decodeId(String(input.cohortId), 'Cohort');
      const cohort =
        cohortId === null ? null : await ctx.prisma.cohort.findUnique({ where: { id: cohortId } });
      if (!cohort)
        return {
          session: null,
          userErrors: [
            {
              field: ['input', 'cohortId'],
              message: 'There is no cohort with this ID.',
              code: 'NOT_FOUND' as const,
            },
          ],
        };
      if (!canManageHub(ctx, cohort.hubId))
        return { session: null, userErrors: [forbidden(ctx, FORBIDDEN_MESSAGE)] };
      const errors: UserErrorShape[] = [];
      if (cohort.status === 'CANCELLED' || cohort.status === 'COMPLETED') {
        errors.push({
          field: ['input', 'cohortId'],
          message: `${cohort.code} is ${cohort.status.toLowerCase()}: no more sessions.`,
          code: 'INVALID' as const,
        });
      }
      const title = input.title.trim();
      if (title === '' || title.length > 200)
        errors.push({
          field: ['input', 'title'],
          message: 'Give a title of 1 to 200 characters.',
          code: 'INVALID' as const,
        });
      if (input.durationMinutes < 15 || input.durationMinutes > 1440) {
        errors.push({
          field: ['input', 'durationMinutes'],
          message: 'A session lasts between 15 minutes and a day (1440).',
          code: 'INVALID' as const,
        });
      }
      const startDay = day(input.startsAt);
      if (
        (cohort.startsOn && startDay < day(cohort.startsOn)) ||
        (cohort.endsOn && startDay > day(cohort.endsOn))
      ) {
        errors.push({
          field: ['input', 'startsAt'],
          message: `${startDay} is outside the cohort’s dates (${cohort.startsOn ? day(cohort.startsOn) : '…'} to ${cohort.endsOn ? day(cohort.endsOn) : '…'}).`,
          code: 'INVALID' as const,
        });
      }
      const clashing = {
        field: ['input', 'startsAt'],
        message: `The cohort already has a session at ${input.startsAt.toISOString()}.`,
      };
      const clash = await ctx.prisma.session.findUnique({
        where: { cohortId_startsAt: { cohortId: cohort.id, startsAt: input.startsAt } },
      });
      if (clash) errors.push({ ...clashing, code: 'DUPLICATE' as const });
      if (errors.length > 0) return { session: null, userErrors: errors };
      const { value: session, userError } = await unlessDuplicate(
        () =>
          ctx.prisma.$transaction(async (tx) => {
            const created = await tx.session.create({
              data: {
                cohortId: cohort.id,
                kind: input.kind,
                title,
                startsAt: input.startsAt,
                durationMinutes: input.durationMinutes,
                mode: input.mode,
              },
            });
            await audit(tx, ctx, 'scheduleSession', 'Session', created.id, null, {
              cohortId: cohort.id,
              startsAt: created.startsAt.toISOString(),
              kind: created.kind,
            });
            return created;
          }),
        // Scheduled by another request since the check above.
        { session_cohort_id_starts_at_key: clashing },
      );
      return userError ? { session: null, userErrors: [userError] } : { session, userErrors: [] };
    },
  }),

  recordAttendance: t.field({
    type: RecordAttendancePayload,
    description:
      'Records who attended a session that has started. Idempotent: recording again replaces the earlier record.',
    args: { input: t.arg({ type: RecordAttendanceInput, required: true, description: 'The attendance.' }) },
    resolve: async (_root, { input }, ctx) => {
      const sessionId = decodeId(String(input.sessionId), 'Session');
      const session =
        sessionId === null
          ? null
          : await ctx.prisma.session.findUnique({ where: { id: sessionId }, include: { cohort: true } });
      if (!session)
        return {
          session: null,
          recorded: 0,
          userErrors: [
            {
              field: ['input', 'sessionId'],
              message: 'There is no session with this ID.',
              code: 'NOT_FOUND' as const,
            },
          ],
        };
      if (!canManageHub(ctx, session.cohort.hubId))
        return { session: null, recorded: 0, userErrors: [forbidden(ctx, FORBIDDEN_MESSAGE)] };
      const errors: UserErrorShape[] = [];
      if (session.startsAt > ctx.now) {
        errors.push({
          field: ['input', 'sessionId'],
          message: `The session starts at ${session.startsAt.toISOString()}: record attendance once it has started.`,
          code: 'INVALID' as const,
        });
      }
      if (input.records.length > 500)
        errors.push({
          field: ['input', 'records'],
          message: 'Record at most 500 people at once.',
          code: 'INVALID' as const,
        });
      const ids = input.records.map((r) => decodeId(String(r.enrolmentId), 'Enrolment'));
      const enrolments = await ctx.prisma.enrolment.findMany({
        where: { id: { in: ids.filter((i): i is number => i !== null) }, cohortId: session.cohortId },
      });
      const known = new Set(enrolments.map((e) => e.id));
      ids.forEach((id, i) => {
        if (id === null || !known.has(id)) {
          errors.push({
            field: ['input', 'records', String(i), 'enrolmentId'],
            message: 'No enrolment in this session’s cohort has this ID.',
            code: 'NOT_FOUND' as const,
          });
        }
      });
      if (new Set(ids).size !== ids.length)
        errors.push({
          field: ['input', 'records'],
          message: 'Each enrolment may appear once.',
          code: 'INVALID' as const,
        });
      if (errors.length > 0) return { session: null, recorded: 0, userErrors: errors };
      // One statement for the whole register (Prisma has no bulk upsert), in enrolment order: the
      // attendance trigger updates each enrolment's counts, and writers that lock rows in one
      // order cannot deadlock.
      const records = input.records
        .map((record, i) => ({ status: String(record.status), enrolmentId: ids[i]! }))
        .sort((a, b) => a.enrolmentId - b.enrolmentId);
      await ctx.prisma.$transaction(async (tx) => {
        await tx.$executeRaw`
          INSERT INTO attendance (session_id, enrolment_id, status, recorded_at)
          SELECT ${session.id}, r.enrolment_id, r.status::"AttendanceStatus", ${ctx.now}
            FROM unnest(${records.map((r) => r.enrolmentId)}::int[], ${records.map((r) => r.status)}::text[])
                 WITH ORDINALITY AS r(enrolment_id, status, position)
           ORDER BY r.position
          ON CONFLICT (session_id, enrolment_id)
          DO UPDATE SET status = EXCLUDED.status, recorded_at = EXCLUDED.recorded_at`;
        await audit(tx, ctx, 'recordAttendance', 'Session', session.id, null, {
          records: input.records.map((r, i) => ({ enrolmentId: ids[i], status: r.status })),
        });
      });
      return { session, recorded: input.records.length, userErrors: [] };
    },
  }),
}));
