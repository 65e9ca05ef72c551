// Session: a scheduled meeting of a cohort, and who attended.

import { audit, decodeId } from '../audit.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { loadManaged, payloadType, rejected, unlessDuplicate } from '../mutations.ts';
import { checkNewSession, checkRegister } from '../rules/session.ts';
import { duplicate, userError } from '../rules/user-errors.ts';
import { controlCharacterErrors } from '../rules/validation.ts';
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

// ───────────── mutations ─────────────
// scheduleSession (within the cohort's dates) and recordAttendance (idempotent). Hub staff for
// their own hub's cohorts; national admins for any.
type SessionRow = NonNullable<Awaited<ReturnType<Context['prisma']['session']['findUnique']>>>;

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

const ScheduleSessionPayload = payloadType<'session', SessionRow>(
  'ScheduleSessionPayload',
  'The result of scheduleSession.',
  'session',
  { type: Session, description: 'The new session.' },
);

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

const RecordAttendancePayload = payloadType<'session', SessionRow, { recorded?: number }>(
  'RecordAttendancePayload',
  'The result of recordAttendance.',
  'session',
  { type: Session, description: 'The session.' },
  (t) => ({
    recorded: t.int({
      description: 'How many records were written.',
      resolve: (payload) => payload.recorded ?? 0,
    }),
  }),
);

builder.mutationFields((t) => ({
  scheduleSession: t.field({
    type: ScheduleSessionPayload,
    description: 'Adds a session to a cohort, within its dates.',
    args: { input: t.arg({ type: ScheduleSessionInput, required: true, description: 'The session.' }) },
    resolve: async (_root, { input }, ctx) => {
      const unprintable = controlCharacterErrors(input);
      if (unprintable.length > 0) return rejected(unprintable);
      const found = await loadManaged(ctx, {
        type: 'Cohort',
        globalId: input.cohortId,
        path: ['cohortId'],
        load: (id) => ctx.prisma.cohort.findUnique({ where: { id } }),
        hubOf: (cohort) => cohort.hubId,
      });
      if (found.userErrors) return rejected(found.userErrors);
      const cohort = found.row;
      const errors = checkNewSession(input, cohort);
      const clashing = duplicate(
        ['startsAt'],
        `The cohort already has a session at ${input.startsAt.toISOString()}.`,
      );
      const clash = await ctx.prisma.session.findUnique({
        where: { cohortId_startsAt: { cohortId: cohort.id, startsAt: input.startsAt } },
      });
      if (clash) errors.push(clashing);
      if (errors.length > 0) return rejected(errors);
      const { value: session, userError: duplicated } = await unlessDuplicate(
        () =>
          ctx.prisma.$transaction(async (tx) => {
            const created = await tx.session.create({
              data: {
                cohortId: cohort.id,
                kind: input.kind,
                title: input.title.trim(),
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
      return duplicated ? rejected([duplicated]) : { session, userErrors: [] };
    },
  }),

  recordAttendance: t.field({
    type: RecordAttendancePayload,
    description:
      'Records who attended a session that has started. Idempotent: recording again replaces the earlier record.',
    args: { input: t.arg({ type: RecordAttendanceInput, required: true, description: 'The attendance.' }) },
    resolve: async (_root, { input }, ctx) => {
      const found = await loadManaged(ctx, {
        type: 'Session',
        globalId: input.sessionId,
        path: ['sessionId'],
        load: (id) => ctx.prisma.session.findUnique({ where: { id }, include: { cohort: true } }),
        hubOf: (session) => session.cohort.hubId,
      });
      if (found.userErrors) return rejected(found.userErrors);
      const session = found.row;
      const ids = input.records.map((r) => decodeId(String(r.enrolmentId), 'Enrolment'));
      const errors = checkRegister(session.startsAt, ctx.now, ids);
      const known = new Set(
        (
          await ctx.prisma.enrolment.findMany({
            where: { id: { in: ids.filter((i): i is number => i !== null) }, cohortId: session.cohortId },
            select: { id: true },
          })
        ).map((e) => e.id),
      );
      ids.forEach((id, i) => {
        if (id === null || !known.has(id))
          errors.push(
            userError(
              'NOT_FOUND',
              ['records', i, 'enrolmentId'],
              'No enrolment in this session’s cohort has this ID.',
            ),
          );
      });
      if (errors.length > 0) return rejected(errors);
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
