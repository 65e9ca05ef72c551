// Enrolment: a participant in a cohort, in a role, for a school. Visible to the cohort's hub staff
// and national admins.
import { canManageHub, canSeeCohortRecord } from '../access.ts';
import { audit, decodeId } from '../audit.ts';
import { builder, namedConnection } from '../builder.ts';
import type { Context } from '../context.ts';
import { canMove, ENROLMENT_TRANSITIONS } from '../rules/lifecycle.ts';
import { EnrolmentRole, EnrolmentStatus } from './enums.ts';
import { forbidden, UserError, type UserErrorShape } from './user-error.ts';

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
      resolve: (enrolment) =>
        enrolment.sessionsRecorded > 0 ? enrolment.sessionsPresent / enrolment.sessionsRecorded : null,
    }),
    application: t.relation('application', {
      nullable: true,
      description: 'The application that brought them in.',
    }),
  }),
});

export const EnrolmentConnection = namedConnection(Enrolment, 'Enrolment', 'enrolments');

// ───────────── mutation: updateEnrolmentStatus ─────────────

type EnrolmentRow = NonNullable<Awaited<ReturnType<Context['prisma']['enrolment']['findUnique']>>>;

const UpdateEnrolmentStatusInput = builder.inputType('UpdateEnrolmentStatusInput', {
  description: 'A change of an enrolment’s status.',
  fields: (t) => ({
    enrolmentId: t.id({ required: true, description: 'The enrolment’s global ID.' }),
    status: t.field({
      type: EnrolmentStatus,
      required: true,
      description: 'The new status: APPLIED → ACCEPTED → ACTIVE → COMPLETED, or WITHDRAWN/DECLINED.',
    }),
  }),
});

const UpdateEnrolmentStatusPayload = builder
  .objectRef<{ enrolment: EnrolmentRow | null; userErrors: UserErrorShape[] }>('UpdateEnrolmentStatusPayload')
  .implement({
    description: 'The result of updateEnrolmentStatus.',
    fields: (t) => ({
      enrolment: t.expose('enrolment', { type: Enrolment, nullable: true, description: 'The enrolment.' }),
      userErrors: t.expose('userErrors', {
        type: [UserError],
        description: 'What was wrong with the input, if anything.',
      }),
    }),
  });

builder.mutationField('updateEnrolmentStatus', (t) =>
  t.field({
    type: UpdateEnrolmentStatusPayload,
    description: 'Moves an enrolment along its lifecycle (staff of the cohort’s hub, or a national admin).',
    args: { input: t.arg({ type: UpdateEnrolmentStatusInput, required: true, description: 'The change.' }) },
    resolve: async (_root, { input }, ctx) => {
      const id = decodeId(String(input.enrolmentId), 'Enrolment');
      const before =
        id === null
          ? null
          : await ctx.prisma.enrolment.findUnique({ where: { id }, include: { cohort: true } });
      if (!before)
        return {
          enrolment: null,
          userErrors: [
            {
              field: ['input', 'enrolmentId'],
              message: 'There is no enrolment with this ID.',
              code: 'NOT_FOUND' as const,
            },
          ],
        };
      if (!canManageHub(ctx, before.cohort.hubId)) {
        return {
          enrolment: null,
          userErrors: [
            forbidden(ctx, 'Only staff of the cohort’s hub, or a national admin, may change enrolments.'),
          ],
        };
      }
      if (before.status === input.status) return { enrolment: before, userErrors: [] };
      if (!canMove(ENROLMENT_TRANSITIONS, before.status, input.status)) {
        const next = ENROLMENT_TRANSITIONS[before.status]!;
        return {
          enrolment: null,
          userErrors: [
            {
              field: ['input', 'status'],
              message: `A ${before.status.toLowerCase()} enrolment cannot become ${input.status.toLowerCase()}${next.length ? `: it can become ${next.map((s) => s.toLowerCase()).join(' or ')}` : ''}.`,
              code: 'INVALID' as const,
            },
          ],
        };
      }
      const enrolment = await ctx.prisma.$transaction(async (tx) => {
        // Conditional on the status read above, so two concurrent changes cannot both apply.
        const { count } = await tx.enrolment.updateMany({
          where: { id: before.id, status: before.status },
          data: { status: input.status },
        });
        if (count === 0) return null;
        await audit(
          tx,
          ctx,
          'updateEnrolmentStatus',
          'Enrolment',
          before.id,
          { status: before.status },
          { status: input.status },
        );
        return tx.enrolment.findUniqueOrThrow({ where: { id: before.id } });
      });
      if (!enrolment) {
        return {
          enrolment: null,
          userErrors: [
            {
              field: ['input', 'enrolmentId'],
              message: 'The enrolment changed meanwhile; read it again and retry.',
              code: 'INVALID' as const,
            },
          ],
        };
      }
      return { enrolment, userErrors: [] };
    },
  }),
);
