// Application: a school's application to a cohort (the 2024/25 Work Group form). Visible to the
// cohort's hub staff and national admins. (Submitting and deciding: issue "Applications".)

import { Prisma } from '@maths-hubs/db/client';
import { canManageHub, canSeeCohortRecord } from '../access.ts';
import { audit, decodeId } from '../audit.ts';
import { builder, namedConnection } from '../builder.ts';
import type { Context } from '../context.ts';
import { checkEligibility } from '../rules/eligibility.ts';
import {
  checkEmail,
  checkName,
  checkStatement,
  checkTelephone,
  checkTrn,
  controlCharacterErrors,
  normaliseTrn,
  URN,
} from '../rules/validation.ts';
import { startOfDay } from '../scalars.ts';
import { ApplicationStatus } from './enums.ts';
import { forbidden, UserError, type UserErrorShape } from './user-error.ts';

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

// ───────────── mutations: submit, decide, withdraw ─────────────

const PersonInput = builder.inputType('ApplicationPersonInput', {
  description: 'A person named on the form.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Their name.' }),
    email: t.string({ required: true, description: 'Their email address.' }),
  }),
});

const HeadOfDepartmentInput = builder.inputType('HeadOfDepartmentInput', {
  description: 'The head of the maths department.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Their name.' }),
    email: t.string({ required: true, description: 'Their email address.' }),
    trn: t.string({
      required: true,
      description: 'Teacher Reference Number: 7 digits (RP12/34567 accepted), or UQT.',
    }),
  }),
});

const AdvocateInput = builder.inputType('AdvocateInput', {
  description: 'A Mastery Advocate (participating teacher).',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Their name.' }),
    email: t.string({ required: true, description: 'Their email address.' }),
    trn: t.string({
      required: true,
      description: 'Teacher Reference Number: 7 digits (RP12/34567 accepted), or UQT.',
    }),
    yearGroupsTaught: t.string({
      required: true,
      description: 'Year groups they teach, e.g. "Years 7, 8 and 10".',
    }),
    responsibility: t.string({ required: true, description: 'Their role in the maths department.' }),
  }),
});

const SubmitApplicationInput = builder.inputType('SubmitApplicationInput', {
  description: 'A school’s application to a cohort, as on the 2024/25 Work Group form.',
  fields: (t) => ({
    cohortCode: t.string({
      required: true,
      description: 'The cohort applied to, e.g. "WM1-SEC-TFM-DEV-2024-25".',
    }),
    schoolUrn: t.string({ required: true, description: 'The school’s six-digit URN.' }),
    contactTelephone: t.string({ required: true, description: 'The school’s contact telephone number.' }),
    headteacher: t.field({
      type: PersonInput,
      required: true,
      description: 'The headteacher or senior leader.',
    }),
    headOfDepartment: t.field({
      type: HeadOfDepartmentInput,
      required: true,
      description: 'The head of department.',
    }),
    advocates: t.field({
      type: [AdvocateInput],
      required: true,
      description: 'The Mastery Advocates (exactly two for Teaching for Mastery Work Groups).',
    }),
    priorSpecialistWork: t.string({
      description: 'Work with a Mastery Specialist so far (name and nature); leave out for none.',
    }),
    statement: t.string({
      required: true,
      description: 'The head of department’s statement: about 150 words (at most 165).',
    }),
    commitmentsConfirmed: t.boolean({
      required: true,
      description: 'The school confirms the commitments on the form.',
    }),
  }),
});

interface ApplicationPayloadShape {
  application: Prisma.ApplicationGetPayload<object> | null;
  userErrors: UserErrorShape[];
}

const payload = (name: string, description: string) =>
  builder.objectRef<ApplicationPayloadShape>(name).implement({
    description,
    fields: (t) => ({
      application: t.field({
        type: Application,
        nullable: true,
        description: 'The application; null when the input was not accepted (see userErrors).',
        resolve: (p) => p.application as never,
      }),
      userErrors: t.expose('userErrors', {
        type: [UserError],
        description: 'What was wrong with the input, if anything.',
      }),
    }),
  });

const SubmitApplicationPayload = payload('SubmitApplicationPayload', 'The result of submitApplication.');
const DecideApplicationPayload = payload('DecideApplicationPayload', 'The result of decideApplication.');
const WithdrawApplicationPayload = payload(
  'WithdrawApplicationPayload',
  'The result of withdrawApplication.',
);

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

const TEACHING_FOR_MASTERY_WORK_GROUP = (p: { family: string; kind: string }) =>
  p.family === 'TEACHING_FOR_MASTERY' && p.kind === 'WORK_GROUP';

async function eligibilityFacts(ctx: Context, schoolId: number, emails: string[]) {
  const places = await ctx.prisma.application.findMany({
    where: { schoolId, status: 'ACCEPTED' },
    select: { cohort: { select: { academicYear: true, programme: { select: { slug: true } } } } },
  });
  const people = await ctx.prisma.participant.findMany({
    where: { email: { in: emails.map((e) => e.trim().toLowerCase()) } },
    select: {
      email: true,
      enrolments: {
        where: { status: { in: ['ACTIVE', 'COMPLETED'] } },
        select: { cohort: { select: { programme: { select: { slug: true } } } } },
      },
    },
  });
  const peopleProgrammes = new Map(emails.map((e) => [e.trim().toLowerCase(), new Set<string>()]));
  for (const p of people)
    for (const e of p.enrolments) peopleProgrammes.get(p.email!)?.add(e.cohort.programme.slug);
  return {
    schoolProgrammeYears: new Set(places.map((a) => `${a.cohort.programme.slug}|${a.cohort.academicYear}`)),
    peopleProgrammes,
  };
}

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
 * on one row, and waiting for it is simpler and cheaper than re-running whole decisions.
 */
async function withLockedCohort(
  ctx: Context,
  applicationGlobalId: string,
  action: string,
  fn: (tx: Prisma.TransactionClient, id: number, cohort: LockedCohort) => Promise<ApplicationPayloadShape>,
): Promise<ApplicationPayloadShape> {
  const notFound: ApplicationPayloadShape = {
    application: null,
    userErrors: [
      {
        field: ['input', 'applicationId'],
        message: 'There is no application with this ID.',
        code: 'NOT_FOUND',
      },
    ],
  };
  const id = decodeId(applicationGlobalId, 'Application');
  if (id === null) return notFound;
  return ctx.prisma.$transaction(
    async (tx) => {
      const [row] = await tx.$queryRaw<
        { cohort_id: number }[]
      >`SELECT cohort_id FROM application WHERE id = ${id}`;
      if (!row) return notFound;
      const [cohort] = await tx.$queryRaw<LockedCohort[]>`
        SELECT id, hub_id, capacity, places_taken, code FROM cohort WHERE id = ${row.cohort_id} FOR UPDATE`;
      if (!canManageHub(ctx, cohort!.hub_id)) {
        return {
          application: null,
          userErrors: [
            forbidden(
              ctx,
              `Only staff of the cohort’s hub, or a national admin, may ${action} applications.`,
            ),
          ],
        };
      }
      return fn(tx, id, cohort!);
    },
    { maxWait: 60_000, timeout: 60_000 },
  );
}

builder.mutationFields((t) => ({
  submitApplication: t.field({
    type: SubmitApplicationPayload,
    description:
      'Submits a school’s application to a recruiting cohort. Open to anyone (a hub website’s form).',
    args: {
      input: t.arg({ type: SubmitApplicationInput, required: true, description: 'The application form.' }),
    },
    resolve: async (_root, { input }, ctx) => {
      const at = (...path: (string | number)[]) => ['input', ...path.map(String)];
      // Refused before anything reaches the database (PostgreSQL rejects NUL in text).
      const unprintable = controlCharacterErrors(input);
      if (unprintable.length > 0) return { application: null, userErrors: unprintable };
      const errors: UserErrorShape[] = [];
      const cohort = await ctx.prisma.cohort.findUnique({
        where: { code: input.cohortCode.trim().toUpperCase() },
        include: {
          programme: {
            include: { eligibility: { include: { requiredProgramme: true }, orderBy: { position: 'asc' } } },
          },
        },
      });
      if (!cohort)
        errors.push({
          field: at('cohortCode'),
          message: `There is no cohort "${input.cohortCode}".`,
          code: 'NOT_FOUND',
        });
      const urn = input.schoolUrn.trim();
      const school = URN.test(urn) ? await ctx.prisma.school.findUnique({ where: { urn } }) : null;
      if (!URN.test(urn))
        errors.push({
          field: at('schoolUrn'),
          message: `"${input.schoolUrn}" is not a URN: a URN is six digits.`,
          code: 'INVALID',
        });
      else if (!school)
        errors.push({ field: at('schoolUrn'), message: `No school has the URN ${urn}.`, code: 'NOT_FOUND' });

      errors.push(...checkTelephone(input.contactTelephone, at('contactTelephone')));
      errors.push(...checkName(input.headteacher.name, at('headteacher', 'name'), 'headteacher'));
      errors.push(...checkEmail(input.headteacher.email, at('headteacher', 'email'), 'headteacher'));
      errors.push(
        ...checkName(input.headOfDepartment.name, at('headOfDepartment', 'name'), 'head of department'),
      );
      errors.push(
        ...checkEmail(input.headOfDepartment.email, at('headOfDepartment', 'email'), 'head of department'),
      );
      errors.push(
        ...checkTrn(input.headOfDepartment.trn, at('headOfDepartment', 'trn'), 'head of department'),
      );
      input.advocates.forEach((a, i) => {
        errors.push(...checkName(a.name, at('advocates', i, 'name'), 'advocate'));
        errors.push(...checkEmail(a.email, at('advocates', i, 'email'), 'advocate'));
        errors.push(...checkTrn(a.trn, at('advocates', i, 'trn'), 'advocate'));
        if (a.yearGroupsTaught.trim() === '')
          errors.push({
            field: at('advocates', i, 'yearGroupsTaught'),
            message: 'Say which year groups this teacher teaches.',
            code: 'INVALID',
          });
        if (a.responsibility.trim() === '')
          errors.push({
            field: at('advocates', i, 'responsibility'),
            message: 'Give this teacher’s role in the department.',
            code: 'INVALID',
          });
      });
      const emails = input.advocates.map((a) => a.email.trim().toLowerCase());
      if (new Set(emails).size !== emails.length)
        errors.push({ field: at('advocates'), message: 'Name two different teachers.', code: 'INVALID' });
      if (cohort && TEACHING_FOR_MASTERY_WORK_GROUP(cohort.programme) && input.advocates.length !== 2) {
        errors.push({
          field: at('advocates'),
          message: `A Teaching for Mastery Work Group takes exactly two Mastery Advocates per school; ${input.advocates.length} given.`,
          code: 'INVALID',
        });
      } else if (input.advocates.length === 0 || input.advocates.length > 4) {
        errors.push({
          field: at('advocates'),
          message: 'Name between one and four participating teachers.',
          code: 'INVALID',
        });
      }
      errors.push(...checkStatement(input.statement, at('statement')));
      if (input.priorSpecialistWork && input.priorSpecialistWork.length > 2000) {
        errors.push({
          field: at('priorSpecialistWork'),
          message: 'Keep this under 2,000 characters.',
          code: 'INVALID',
        });
      }
      if (!input.commitmentsConfirmed) {
        errors.push({
          field: at('commitmentsConfirmed'),
          message: 'The school must confirm the commitments to apply.',
          code: 'INVALID',
        });
      }
      if (cohort) {
        if (cohort.applicationDeadline && cohort.applicationDeadline < startOfDay(ctx.now)) {
          errors.push({
            field: at('cohortCode'),
            message: `Applications to ${cohort.code} closed on ${cohort.applicationDeadline.toISOString().slice(0, 10)}.`,
            code: 'DEADLINE_PASSED',
          });
        } else if (cohort.status !== 'RECRUITING') {
          errors.push({
            field: at('cohortCode'),
            message: `${cohort.code} is not taking applications (it is ${cohort.status.toLowerCase()}).`,
            code: 'INVALID',
          });
        }
      }
      if (cohort && school) {
        const facts = await eligibilityFacts(ctx, school.id, emails);
        errors.push(
          ...checkEligibility(
            cohort.programme.eligibility.map((r) => ({
              kind: r.kind,
              description: r.description,
              schoolPhases: r.schoolPhases,
              requiredProgrammeSlug: r.requiredProgramme?.slug ?? null,
            })),
            { school, cohort, ...facts },
          ),
        );
        const live = await ctx.prisma.application.findFirst({
          where: { cohortId: cohort.id, schoolId: school.id, live: true },
        });
        if (live)
          errors.push({
            field: at('schoolUrn'),
            message: `This school already has an application to ${cohort.code} (${live.status.toLowerCase()}).`,
            code: 'DUPLICATE',
          });
      }
      if (errors.length > 0 || !cohort || !school) return { application: null, userErrors: errors };

      try {
        const application = await ctx.prisma.$transaction(async (tx) => {
          const created = await tx.application.create({
            data: {
              cohortId: cohort.id,
              schoolId: school.id,
              contactTelephone: input.contactTelephone.trim(),
              headteacherName: input.headteacher.name.trim(),
              headteacherEmail: input.headteacher.email.trim().toLowerCase(),
              headOfDepartmentName: input.headOfDepartment.name.trim(),
              headOfDepartmentEmail: input.headOfDepartment.email.trim().toLowerCase(),
              headOfDepartmentTrn: normaliseTrn(input.headOfDepartment.trn)!,
              priorSpecialistWork: input.priorSpecialistWork?.trim() || null,
              statement: input.statement.trim(),
              commitmentsConfirmed: true,
              advocates: {
                create: input.advocates.map((a, position) => ({
                  position,
                  name: a.name.trim(),
                  email: a.email.trim().toLowerCase(),
                  trn: normaliseTrn(a.trn)!,
                  yearGroupsTaught: a.yearGroupsTaught.trim(),
                  responsibility: a.responsibility.trim(),
                })),
              },
            },
          });
          await audit(tx, ctx, 'submitApplication', 'Application', created.id, null, {
            cohortCode: cohort.code,
            schoolUrn: school.urn,
            status: created.status,
          });
          return created;
        });
        ctx.grants.add(`Application:${application.id}`); // the submitter may read back what they sent
        return { application, userErrors: [] };
      } catch (error) {
        // Two submissions at once: the database's unique key lets only one through.
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
          return {
            application: null,
            userErrors: [
              {
                field: at('schoolUrn'),
                message: `This school already has an application to ${cohort.code}.`,
                code: 'DUPLICATE' as const,
              },
            ],
          };
        }
        throw error;
      }
    },
  }),

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
        if (!['SUBMITTED', 'WAITLISTED'].includes(application.status)) {
          return {
            application,
            userErrors: [
              {
                field: ['input', 'applicationId'],
                message: `This application was already ${application.status.toLowerCase()}.`,
                code: 'INVALID',
              },
            ],
          };
        }
        const now = ctx.now;
        const note = input.note?.trim() || null;
        if (input.decision !== 'ACCEPT') {
          const status = input.decision === 'DECLINE' ? 'DECLINED' : 'WAITLISTED';
          const updated = await tx.application.update({
            where: { id },
            data: { status, live: status === 'DECLINED' ? null : true, decidedAt: now, decisionNote: note },
          });
          await audit(
            tx,
            ctx,
            'decideApplication',
            'Application',
            id,
            { status: application.status },
            { status },
          );
          return { application: updated, userErrors: [] };
        }
        if (cohort.places_taken >= cohort.capacity) {
          return {
            application,
            userErrors: [
              {
                field: ['input', 'applicationId'],
                message: `${cohort.code} is full: all ${cohort.capacity} places are taken.`,
                code: 'COHORT_FULL',
              },
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
        await audit(
          tx,
          ctx,
          'decideApplication',
          'Application',
          id,
          { status: application.status },
          { status: 'ACCEPTED', placesTaken: cohort.places_taken + 1 },
        );
        return { application: updated, userErrors: [] };
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
        if (application.status === 'WITHDRAWN' || application.status === 'DECLINED') {
          return {
            application,
            userErrors: [
              {
                field: ['input', 'applicationId'],
                message: `This application was already ${application.status.toLowerCase()}.`,
                code: 'INVALID',
              },
            ],
          };
        }
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
        return { application: updated, userErrors: [] };
      }),
  }),
}));
