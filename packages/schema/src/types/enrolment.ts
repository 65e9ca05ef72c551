// Enrolment: a participant in a cohort, in a role, for a school. Visible to the cohort's hub staff
// and national admins.
import { canSeeCohortRecord, visibleEnrolments } from '../access.ts';
import { audit } from '../audit.ts';
import { builder, namedConnection } from '../builder.ts';
import type { Context } from '../context.ts';
import { loadManaged, payloadType, rejected } from '../mutations.ts';
import { checkTransition, ENROLMENT_TRANSITIONS } from '../rules/lifecycle.ts';
import { invalid } from '../rules/user-errors.ts';
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

/** The enrolments a person's or a school's list shows this viewer, in a stable order. */
export const visibleEnrolmentsQuery = (_args: unknown, ctx: Context) => ({
  where: visibleEnrolments(ctx),
  orderBy: { id: 'asc' as const },
});

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

const UpdateEnrolmentStatusPayload = payloadType<'enrolment', EnrolmentRow>(
  'UpdateEnrolmentStatusPayload',
  'The result of updateEnrolmentStatus.',
  'enrolment',
  { type: Enrolment, description: 'The enrolment.' },
);

builder.mutationField('updateEnrolmentStatus', (t) =>
  t.field({
    type: UpdateEnrolmentStatusPayload,
    description: 'Moves an enrolment along its lifecycle (staff of the cohort’s hub, or a national admin).',
    args: { input: t.arg({ type: UpdateEnrolmentStatusInput, required: true, description: 'The change.' }) },
    resolve: async (_root, { input }, ctx) => {
      const found = await loadManaged(ctx, {
        type: 'Enrolment',
        globalId: input.enrolmentId,
        path: ['enrolmentId'],
        action: 'change its enrolments',
        load: (id) => ctx.prisma.enrolment.findUnique({ where: { id }, include: { cohort: true } }),
        hubOf: (enrolment) => enrolment.cohort.hubId,
      });
      if (found.userErrors) return rejected(found.userErrors);
      const before = found.row;
      if (before.status === input.status) return { enrolment: before, userErrors: [] };
      const errors = checkTransition('enrolment', ENROLMENT_TRANSITIONS, before.status, input.status);
      if (errors.length > 0) return rejected(errors);
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
      if (!enrolment)
        return rejected([
          invalid(['enrolmentId'], 'The enrolment changed meanwhile; read it again and retry.'),
        ]);
      return { enrolment, userErrors: [] };
    },
  }),
);
