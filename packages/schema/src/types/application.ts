// Application: a school's application to a cohort (the 2024/25 Work Group form). Visible to the
// cohort's hub staff and national admins. (Submitting and deciding: issue "Applications".)

import type { Prisma } from '@maths-hubs/db/client';
import { canSeeCohortRecord } from '../access.ts';
import { audit } from '../audit.ts';
import { builder, namedConnection } from '../builder.ts';
import type { Context } from '../context.ts';
import { loadManaged, type Payload, payloadType, rejected, unlessDuplicate } from '../mutations.ts';
import { checkApplicationForm } from '../rules/application-form.ts';
import { checkEligibility } from '../rules/eligibility.ts';
import { duplicate, invalid, notFound, type UserErrorShape, userError } from '../rules/user-errors.ts';
import { controlCharacterErrors, URN } from '../rules/validation.ts';
import { startOfDay } from '../scalars.ts';
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

type ApplicationRow = Prisma.ApplicationGetPayload<object>;

const payload = (name: string, description: string) =>
  payloadType<'application', ApplicationRow>(name, description, 'application', {
    type: Application,
    description: 'The application; null when the input was not accepted (see userErrors).',
  });

const SubmitApplicationPayload = payload('SubmitApplicationPayload', 'The result of submitApplication.');
const DecideApplicationPayload = payload('DecideApplicationPayload', 'The result of decideApplication.');
const WithdrawApplicationPayload = payload(
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
async function eligibilityFacts(ctx: Context, schoolId: number, emails: string[]) {
  const places = await ctx.prisma.application.findMany({
    where: { schoolId, status: 'ACCEPTED' },
    select: { cohort: { select: { academicYear: true, programme: { select: { slug: true } } } } },
  });
  const people = await ctx.prisma.participant.findMany({
    where: { email: { in: emails } },
    select: {
      email: true,
      enrolments: {
        where: { status: { in: ['ACTIVE', 'COMPLETED'] } },
        select: { cohort: { select: { programme: { select: { slug: true } } } } },
      },
    },
  });
  const peopleProgrammes = new Map(emails.map((e) => [e, new Set<string>()]));
  for (const p of people)
    for (const e of p.enrolments) peopleProgrammes.get(p.email!)?.add(e.cohort.programme.slug);
  return {
    schoolProgrammeYears: new Set(places.map((a) => `${a.cohort.programme.slug}|${a.cohort.academicYear}`)),
    peopleProgrammes,
  };
}

/** The cohort applied to, with what deciding on an application needs: its programme's rules. */
function findCohort(ctx: Context, code: string) {
  return ctx.prisma.cohort.findUnique({
    where: { code: code.trim().toUpperCase() },
    include: {
      programme: {
        include: { eligibility: { include: { requiredProgramme: true }, orderBy: { position: 'asc' } } },
      },
    },
  });
}

/** Whether the school may apply to the cohort now: open, eligible, and not applying twice. */
async function checkCohortAndSchool(
  ctx: Context,
  cohort: NonNullable<Awaited<ReturnType<typeof findCohort>>>,
  school: Prisma.SchoolGetPayload<object>,
  emails: string[],
) {
  const errors: UserErrorShape[] = [];
  if (cohort.applicationDeadline && cohort.applicationDeadline < startOfDay(ctx.now)) {
    errors.push(
      userError(
        'DEADLINE_PASSED',
        ['cohortCode'],
        `Applications to ${cohort.code} closed on ${cohort.applicationDeadline.toISOString().slice(0, 10)}.`,
      ),
    );
  } else if (cohort.status !== 'RECRUITING') {
    errors.push(
      invalid(
        ['cohortCode'],
        `${cohort.code} is not taking applications (it is ${cohort.status.toLowerCase()}).`,
      ),
    );
  }
  const rules = cohort.programme.eligibility.map((r) => ({
    kind: r.kind,
    description: r.description,
    schoolPhases: r.schoolPhases,
    requiredProgrammeSlug: r.requiredProgramme?.slug ?? null,
  }));
  errors.push(
    ...checkEligibility(rules, { school, cohort, ...(await eligibilityFacts(ctx, school.id, emails)) }),
  );
  const live = await ctx.prisma.application.findFirst({
    where: { cohortId: cohort.id, schoolId: school.id, live: true },
  });
  if (live) {
    errors.push(
      duplicate(
        ['schoolUrn'],
        `This school already has an application to ${cohort.code} (${live.status.toLowerCase()}).`,
      ),
    );
  }
  return errors;
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
function withLockedCohort(
  ctx: Context,
  applicationGlobalId: string | number,
  action: string,
  fn: (tx: Prisma.TransactionClient, id: number, cohort: LockedCohort) => Promise<ApplicationPayload>,
): Promise<ApplicationPayload> {
  return ctx.prisma.$transaction(
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
      return found.userErrors ? rejected(found.userErrors) : fn(tx, found.row.id, found.row.cohort);
    },
    { maxWait: 60_000, timeout: 60_000 },
  );
}

const alreadyDecided = (status: string) =>
  invalid(['applicationId'], `This application was already ${status.toLowerCase()}.`);

builder.mutationFields((t) => ({
  submitApplication: t.field({
    type: SubmitApplicationPayload,
    description:
      'Submits a school’s application to a recruiting cohort. Open to anyone (a hub website’s form).',
    args: {
      input: t.arg({ type: SubmitApplicationInput, required: true, description: 'The application form.' }),
    },
    resolve: async (_root, { input }, ctx) => {
      // Refused before anything reaches the database (PostgreSQL rejects NUL in text).
      const unprintable = controlCharacterErrors(input);
      if (unprintable.length > 0) return rejected(unprintable);
      const cohort = await findCohort(ctx, input.cohortCode);
      const urn = input.schoolUrn.trim();
      const school = URN.test(urn) ? await ctx.prisma.school.findUnique({ where: { urn } }) : null;
      const errors: UserErrorShape[] = [];
      if (!cohort) errors.push(notFound(['cohortCode'], `There is no cohort "${input.cohortCode}".`));
      if (!URN.test(urn))
        errors.push(invalid(['schoolUrn'], `"${input.schoolUrn}" is not a URN: a URN is six digits.`));
      else if (!school) errors.push(notFound(['schoolUrn'], `No school has the URN ${urn}.`));
      const { value: form, errors: formErrors } = checkApplicationForm(input, cohort?.programme ?? null);
      errors.push(...formErrors);
      const emails = input.advocates.map((a) => a.email.trim().toLowerCase());
      if (cohort && school) errors.push(...(await checkCohortAndSchool(ctx, cohort, school, emails)));
      if (errors.length > 0 || !cohort || !school || !form) return rejected(errors);

      const { value: application, userError: twice } = await unlessDuplicate(
        () =>
          ctx.prisma.$transaction(async (tx) => {
            const created = await tx.application.create({
              data: {
                cohortId: cohort.id,
                schoolId: school.id,
                contactTelephone: form.contactTelephone,
                headteacherName: form.headteacher.name,
                headteacherEmail: form.headteacher.email,
                headOfDepartmentName: form.headOfDepartment.name,
                headOfDepartmentEmail: form.headOfDepartment.email,
                headOfDepartmentTrn: form.headOfDepartment.trn,
                priorSpecialistWork: form.priorSpecialistWork,
                statement: form.statement,
                commitmentsConfirmed: true,
                advocates: {
                  create: form.advocates.map((advocate, position) => ({ position, ...advocate })),
                },
              },
            });
            await audit(tx, ctx, 'submitApplication', 'Application', created.id, null, {
              cohortCode: cohort.code,
              schoolUrn: school.urn,
              status: created.status,
            });
            return created;
          }),
        // Two submissions at once: the database's unique key lets only one through.
        {
          application_cohort_id_school_id_live_key: duplicate(
            ['schoolUrn'],
            `This school already has an application to ${cohort.code}.`,
          ),
        },
      );
      if (twice) return rejected([twice]);
      ctx.grants.add(`Application:${application.id}`); // the submitter may read back what they sent
      return { application, userErrors: [] };
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
        if (!['SUBMITTED', 'WAITLISTED'].includes(application.status))
          return { application, userErrors: [alreadyDecided(application.status)] };
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
        return { application: updated, userErrors: [] };
      }),
  }),
}));
