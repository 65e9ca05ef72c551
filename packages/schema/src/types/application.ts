// Application: a school's application to a cohort (the 2024/25 Work Group form), visible to the
// cohort's hub staff and national admins; and the hub's decisions on it (decide, withdraw).

import type { Prisma } from '@maths-hubs/db/client';
import { canSeeCohortRecord } from '../access.ts';
import { audit } from '../audit.ts';
import { builder, namedConnection } from '../builder.ts';
import type { Context } from '../context.ts';
import { loadManaged, type Payload, payloadType, rejected } from '../mutations.ts';
import { invalid, userError } from '../rules/user-errors.ts';
import { announceCohortChange } from './cohort-updates.ts';
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
  authScopes: async (application, ctx) =>
    ctx.grants.has(`Application:${application.id}`) || canSeeCohortRecord(application.cohortId, ctx),
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

// ───────────── mutations: decide, withdraw (submitting: application-submission.ts) ─────────────

type ApplicationRow = Prisma.ApplicationGetPayload<object>;

export const applicationPayload = (name: string, description: string) =>
  payloadType<'application', ApplicationRow>(name, description, 'application', {
    type: Application,
    description: 'The application; null when the input was not accepted (see userErrors).',
  });

const DecideApplicationPayload = applicationPayload(
  'DecideApplicationPayload',
  'The result of decideApplication.',
);
const WithdrawApplicationPayload = applicationPayload(
  'WithdrawApplicationPayload',
  'The result of withdrawApplication.',
);
type ApplicationPayload = Payload<'application', ApplicationRow>;

const Decision = builder.enumType('ApplicationDecision', {
  description: 'A hub’s decision on an application.',
  values: {
    ACCEPT: { description: 'Give the school a place and enrol its advocates.' },
    DECLINE: { description: 'Turn the application down.' },
    WAITLIST: { description: 'Put it on the waiting list.' },
  } as const,
});

const DecideApplicationInput = builder.inputType('DecideApplicationInput', {
  description: 'A decision on an application.',
  fields: (t) => ({
    applicationId: t.id({ required: true, description: 'The application’s global ID.' }),
    decision: t.field({ type: Decision, required: true, description: 'Accept, decline or waitlist.' }),
    note: t.string({ description: 'A note on the decision, kept with the application.' }),
  }),
});

const WithdrawApplicationInput = builder.inputType('WithdrawApplicationInput', {
  description: 'An application to withdraw.',
  fields: (t) => ({
    applicationId: t.id({ required: true, description: 'The application’s global ID.' }),
    reason: t.string({ description: 'Why it is withdrawn.' }),
  }),
});

/** What the eligibility rules need to know about the school and the people it names. */
interface LockedCohort {
  id: number;
  hub_id: number | null;
  capacity: number;
  places_taken: number;
  code: string;
}

/**
 * Runs `fn` in a transaction holding a row lock on the application's cohort, once the caller is
 * known to manage that cohort's hub. The lock serialises every decision and withdrawal on one
 * cohort, so each sees the places taken by the one before it (the CHECK on places_taken is the
 * last line of defence). A lock rather than a serialisable transaction with retries: contention is
 * on one row, and waiting for it is simpler and cheaper than re-running whole decisions. When
 * `fn` says it changed the cohort's places, subscribers hear of it once the transaction commits.
 */
async function withLockedCohort(
  ctx: Context,
  applicationGlobalId: string | number,
  action: string,
  fn: (
    tx: Prisma.TransactionClient,
    id: number,
    cohort: LockedCohort,
  ) => Promise<ApplicationPayload & { placesChanged?: boolean }>,
): Promise<ApplicationPayload> {
  let changed: LockedCohort | null = null;
  const { placesChanged: _, ...payload }: ApplicationPayload & { placesChanged?: boolean } =
    await ctx.prisma.$transaction(
      async (tx) => {
        const found = await loadManaged(ctx, {
          type: 'Application',
          globalId: applicationGlobalId,
          path: ['applicationId'],
          action: `${action} its applications`,
          load: async (id) => {
            const [cohort] = await tx.$queryRaw<LockedCohort[]>`
            SELECT c.id, c.hub_id, c.capacity, c.places_taken, c.code
              FROM cohort c JOIN application a ON a.cohort_id = c.id
             WHERE a.id = ${id}
               FOR UPDATE OF c`;
            return cohort ? { id, cohort } : null;
          },
          hubOf: ({ cohort }) => cohort.hub_id,
        });
        if (found.userErrors) return rejected(found.userErrors);
        const outcome = await fn(tx, found.row.id, found.row.cohort);
        if (outcome.placesChanged) changed = found.row.cohort;
        return outcome;
      },
      { maxWait: 60_000, timeout: 60_000 },
    );
  const cohort = changed as LockedCohort | null; // assigned inside the transaction
  if (cohort) announceCohortChange(ctx, { id: cohort.id, code: cohort.code, hubId: cohort.hub_id });
  return payload;
}

const alreadyDecided = (status: string) =>
  invalid(['applicationId'], `This application was already ${status.toLowerCase()}.`);

builder.mutationFields((t) => ({
  decideApplication: t.field({
    type: DecideApplicationPayload,
    description:
      'Accepts, declines or waitlists an application (staff of the cohort’s hub, or a national admin). Accepting takes one place and enrols the advocates; a full cohort answers COHORT_FULL, however many decisions arrive at once.',
    args: { input: t.arg({ type: DecideApplicationInput, required: true, description: 'The decision.' }) },
    resolve: (_root, { input }, ctx) =>
      withLockedCohort(ctx, String(input.applicationId), 'decide', async (tx, id, cohort) => {
        const application = await tx.application.findUniqueOrThrow({
          where: { id },
          include: { advocates: true },
        });
        if (!['SUBMITTED', 'WAITLISTED'].includes(application.status))
          return { application, userErrors: [alreadyDecided(application.status)] };
        const now = ctx.now;
        const note = input.note?.trim() || null;
        const recorded = (after: { status: string; placesTaken?: number }) =>
          audit(tx, ctx, 'decideApplication', 'Application', id, { status: application.status }, after);
        if (input.decision !== 'ACCEPT') {
          const status = input.decision === 'DECLINE' ? 'DECLINED' : 'WAITLISTED';
          const updated = await tx.application.update({
            where: { id },
            data: { status, live: status === 'DECLINED' ? null : true, decidedAt: now, decisionNote: note },
          });
          await recorded({ status });
          return { application: updated, userErrors: [] };
        }
        if (cohort.places_taken >= cohort.capacity) {
          return {
            application,
            userErrors: [
              userError(
                'COHORT_FULL',
                ['applicationId'],
                `${cohort.code} is full: all ${cohort.capacity} places are taken.`,
              ),
            ],
          };
        }
        await tx.cohort.update({ where: { id: cohort.id }, data: { placesTaken: { increment: 1 } } });
        const updated = await tx.application.update({
          where: { id },
          data: { status: 'ACCEPTED', decidedAt: now, decisionNote: note },
        });
        for (const advocate of application.advocates) {
          const participant = await tx.participant.upsert({
            where: { email: advocate.email },
            create: {
              name: advocate.name,
              email: advocate.email,
              trn: advocate.trn,
              qts: advocate.trn !== 'UQT',
              schoolId: application.schoolId,
            },
            update: {},
          });
          await tx.enrolment.upsert({
            where: { cohortId_participantId: { cohortId: cohort.id, participantId: participant.id } },
            create: {
              cohortId: cohort.id,
              participantId: participant.id,
              schoolId: application.schoolId,
              applicationId: id,
              role: 'MASTERY_ADVOCATE',
              status: 'ACCEPTED',
            },
            update: { status: 'ACCEPTED', applicationId: id },
          });
        }
        await recorded({ status: 'ACCEPTED', placesTaken: cohort.places_taken + 1 });
        return { application: updated, userErrors: [], placesChanged: true };
      }),
  }),

  withdrawApplication: t.field({
    type: WithdrawApplicationPayload,
    description:
      'Withdraws an application (staff of the cohort’s hub, or a national admin). Withdrawing an accepted one frees its place and withdraws its enrolments.',
    args: {
      input: t.arg({
        type: WithdrawApplicationInput,
        required: true,
        description: 'The application to withdraw.',
      }),
    },
    resolve: (_root, { input }, ctx) =>
      withLockedCohort(ctx, String(input.applicationId), 'withdraw', async (tx, id, cohort) => {
        const application = await tx.application.findUniqueOrThrow({ where: { id } });
        if (application.status === 'WITHDRAWN' || application.status === 'DECLINED')
          return { application, userErrors: [alreadyDecided(application.status)] };
        if (application.status === 'ACCEPTED') {
          await tx.cohort.update({ where: { id: cohort.id }, data: { placesTaken: { decrement: 1 } } });
          await tx.enrolment.updateMany({
            where: { applicationId: id, status: { in: ['ACCEPTED', 'ACTIVE', 'APPLIED'] } },
            data: { status: 'WITHDRAWN' },
          });
        }
        const updated = await tx.application.update({
          where: { id },
          data: {
            status: 'WITHDRAWN',
            live: null,
            decisionNote: input.reason?.trim() || application.decisionNote,
          },
        });
        await audit(
          tx,
          ctx,
          'withdrawApplication',
          'Application',
          id,
          { status: application.status },
          { status: 'WITHDRAWN' },
        );
        return { application: updated, userErrors: [], placesChanged: application.status === 'ACCEPTED' };
      }),
  }),
}));
