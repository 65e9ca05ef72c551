// Submitting an application: the 2024/25 Work Group form as input types, and submitApplication,
// open to anyone (a hub website's form). The form's own rules: ../rules/application-form.ts.
import type { Prisma } from '@maths-hubs/db/client';
import { canManageHub } from '../access.ts';
import { audit } from '../audit.ts';
import { builder, type Types } from '../builder.ts';
import type { Context } from '../context.ts';
import { rejected, unlessDuplicate } from '../mutations.ts';
import { checkApplicationForm } from '../rules/application-form.ts';
import { checkEligibility, checkPeopleEligibility } from '../rules/eligibility.ts';
import { duplicate, invalid, notFound, type UserErrorShape, userError } from '../rules/user-errors.ts';
import { controlCharacterErrors, URN } from '../rules/validation.ts';
import { startOfDay } from '../scalars.ts';
import { applicationPayload } from './application.ts';

type InputFields = PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>;

/** Every person on the form has these; teachers also a TRN. */
const person = (t: InputFields) => ({
  name: t.string({ required: true, description: 'Their name.' }),
  email: t.string({ required: true, description: 'Their email address.' }),
});
const teacher = (t: InputFields) => ({
  ...person(t),
  trn: t.string({
    required: true,
    description: 'Teacher Reference Number: 7 digits (RP12/34567 accepted), or UQT.',
  }),
});

const PersonInput = builder.inputType('ApplicationPersonInput', {
  description: 'A person named on the form.',
  fields: person,
});

const HeadOfDepartmentInput = builder.inputType('HeadOfDepartmentInput', {
  description: 'The head of the maths department.',
  fields: teacher,
});

const AdvocateInput = builder.inputType('AdvocateInput', {
  description: 'A Mastery Advocate (participating teacher).',
  fields: (t) => ({
    ...teacher(t),
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

const SubmitApplicationPayload = applicationPayload(
  'SubmitApplicationPayload',
  'The result of submitApplication.',
);

/** "slug|2023/24" for each programme year the school took part in (an accepted place). */
async function schoolProgrammeYears(ctx: Context, schoolId: number) {
  const places = await ctx.prisma.application.findMany({
    where: { schoolId, status: 'ACCEPTED' },
    select: { cohort: { select: { academicYear: true, programme: { select: { slug: true } } } } },
  });
  return new Set(places.map((a) => `${a.cohort.programme.slug}|${a.cohort.academicYear}`));
}

/** The programme slugs each named person (by email) has completed or is taking. */
async function peopleProgrammes(ctx: Context, emails: string[]) {
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
  return peopleProgrammes;
}

type CohortWithRules = NonNullable<Awaited<ReturnType<typeof findCohort>>>;

const rulesOf = (cohort: CohortWithRules) =>
  cohort.programme.eligibility.map((r) => ({
    kind: r.kind,
    description: r.description,
    schoolPhases: r.schoolPhases,
    requiredProgrammeSlug: r.requiredProgramme?.slug ?? null,
  }));

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
  cohort: CohortWithRules,
  school: Prisma.SchoolGetPayload<object>,
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
  errors.push(
    ...checkEligibility(rulesOf(cohort), {
      school,
      cohort,
      schoolProgrammeYears: await schoolProgrammeYears(ctx, school.id),
    }),
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
      // Anonymous failures are counted per client and per cohort, so that guessing is slow.
      const attempts = ctx.viewer.role === 'ANONYMOUS' ? ctx.attempts : undefined;
      const target = `submitApplication:${cohort?.code ?? 'unknown cohort'}`;
      const wait = (await attempts?.waitBefore(target)) ?? 0;
      if (wait > 0) {
        return rejected([
          userError(
            'TOO_MANY_ATTEMPTS',
            ['cohortCode'],
            `Too many applications to this cohort failed lately. Try again in ${Math.ceil(wait / 60)} minutes, or ask the hub running it for help.`,
          ),
        ]);
      }
      const refuse = async (errors: UserErrorShape[]) => {
        await attempts?.failed(target);
        return rejected(errors);
      };
      const urn = input.schoolUrn.trim();
      const school = URN.test(urn) ? await ctx.prisma.school.findUnique({ where: { urn } }) : null;
      const errors: UserErrorShape[] = [];
      if (!cohort) errors.push(notFound(['cohortCode'], `There is no cohort "${input.cohortCode}".`));
      if (!URN.test(urn))
        errors.push(invalid(['schoolUrn'], `"${input.schoolUrn}" is not a URN: a URN is six digits.`));
      else if (!school) errors.push(notFound(['schoolUrn'], `No school has the URN ${urn}.`));
      else if (school.status === 'CLOSED')
        errors.push(
          invalid(
            ['schoolUrn'],
            `${school.name} (URN ${urn}) closed${school.closedOn ? ` on ${school.closedOn.toISOString().slice(0, 10)}` : ''} and cannot apply. If it became an academy or merged, apply under its new URN (see School.successors).`,
          ),
        );
      const { value: form, errors: formErrors } = checkApplicationForm(input, cohort?.programme ?? null);
      errors.push(...formErrors);
      if (cohort && school && school.status !== 'CLOSED')
        errors.push(...(await checkCohortAndSchool(ctx, cohort, school)));
      // Last, and only for a form that is otherwise good: rules that read other people's records.
      if (errors.length === 0 && cohort && form) {
        const emails = form.advocates.map((a) => a.email);
        const detail = canManageHub(ctx, cohort.hubId);
        errors.push(...checkPeopleEligibility(rulesOf(cohort), await peopleProgrammes(ctx, emails), detail));
      }
      if (errors.length > 0 || !cohort || !school || !form) return refuse(errors);

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
      if (twice) return refuse([twice]);
      ctx.grants.add(`Application:${application.id}`); // the submitter may read back what they sent
      return { application, userErrors: [] };
    },
  }),
}));
