// Cohort mutations: createCohort and updateCohort, with the lifecycle PLANNED → RECRUITING →
// RUNNING → COMPLETED (or CANCELLED). Hub staff for their own hub; national admins for any.
import { canManageHub } from '../access.ts';
import { audit, decodeId } from '../audit.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { COHORT_TRANSITIONS, canMove } from '../rules/lifecycle.ts';
import { controlCharacterErrors } from '../rules/validation.ts';
import { academicYearOf, startOfDay } from '../scalars.ts';
import { Cohort, CohortStatus } from './cohort.ts';
import { UserError, type UserErrorShape } from './user-error.ts';

type CohortRow = NonNullable<Awaited<ReturnType<Context['prisma']['cohort']['findUnique']>>>;

const payload = (name: string, description: string) =>
  builder.objectRef<{ cohort: CohortRow | null; userErrors: UserErrorShape[] }>(name).implement({
    description,
    fields: (t) => ({
      cohort: t.expose('cohort', {
        type: Cohort,
        nullable: true,
        description: 'The cohort; null when the input was not accepted.',
      }),
      userErrors: t.expose('userErrors', {
        type: [UserError],
        description: 'What was wrong with the input, if anything.',
      }),
    }),
  });

const CreateCohortInput = builder.inputType('CreateCohortInput', {
  description: 'A new cohort. It is RECRUITING until its deadline.',
  fields: (t) => ({
    programmeSlug: t.string({ required: true, description: 'The programme it runs.' }),
    hubCode: t.string({ required: true, description: 'The hub running it.' }),
    academicYear: t.field({
      type: 'AcademicYear',
      required: true,
      description: 'The academic year it runs in.',
    }),
    name: t.string({ required: true, description: 'Its name.' }),
    capacity: t.int({ required: true, description: 'Places offered (1 to 500).' }),
    applicationDeadline: t.field({
      type: 'Date',
      required: true,
      description: 'The last day to apply (not in the past).',
    }),
    startsOn: t.field({ type: 'Date', required: true, description: 'The first day (after the deadline).' }),
    endsOn: t.field({ type: 'Date', required: true, description: 'The last day.' }),
    areasServed: t.stringList({
      description: 'Local authority areas it takes schools from; leave out for the whole hub.',
    }),
  }),
});

const UpdateCohortInput = builder.inputType('UpdateCohortInput', {
  description: 'Changes to a cohort; fields left out stay as they are.',
  fields: (t) => ({
    cohortId: t.id({ required: true, description: 'The cohort’s global ID.' }),
    name: t.string({ description: 'A new name.' }),
    capacity: t.int({ description: 'A new number of places (not below the places taken).' }),
    applicationDeadline: t.field({ type: 'Date', description: 'A new deadline.' }),
    startsOn: t.field({ type: 'Date', description: 'A new first day.' }),
    endsOn: t.field({ type: 'Date', description: 'A new last day.' }),
    areasServed: t.stringList({ description: 'New areas served ([] for the whole hub).' }),
    status: t.field({
      type: CohortStatus,
      description: 'A new status: only the next step of the lifecycle, or CANCELLED.',
    }),
  }),
});

const day = (d: Date) => d.toISOString().slice(0, 10);

function checkDates(
  errors: UserErrorShape[],
  values: {
    academicYear: string;
    applicationDeadline: Date | null;
    startsOn: Date | null;
    endsOn: Date | null;
  },
) {
  const { academicYear, applicationDeadline, startsOn, endsOn } = values;
  if (startsOn && endsOn && endsOn < startsOn) {
    errors.push({
      field: ['input', 'endsOn'],
      message: `The cohort ends (${day(endsOn)}) before it starts (${day(startsOn)}).`,
      code: 'INVALID' as const,
    });
  }
  if (applicationDeadline && startsOn && applicationDeadline > startsOn) {
    errors.push({
      field: ['input', 'applicationDeadline'],
      message: `The deadline (${day(applicationDeadline)}) is after the start (${day(startsOn)}).`,
      code: 'INVALID' as const,
    });
  }
  if (startsOn && academicYearOf(startsOn) !== academicYear) {
    errors.push({
      field: ['input', 'startsOn'],
      message: `${day(startsOn)} is not in the academic year ${academicYear} (September to August).`,
      code: 'INVALID' as const,
    });
  }
}

builder.mutationFields((t) => ({
  createCohort: t.field({
    type: payload('CreateCohortPayload', 'The result of createCohort.'),
    description: 'Opens a new cohort for applications (hub staff for their own hub, or a national admin).',
    args: { input: t.arg({ type: CreateCohortInput, required: true, description: 'The new cohort.' }) },
    resolve: async (_root, { input }, ctx) => {
      const errors: UserErrorShape[] = controlCharacterErrors(input);
      if (errors.length > 0) return { cohort: null, userErrors: errors };
      const hub = await ctx.prisma.hub.findUnique({ where: { code: input.hubCode.trim().toUpperCase() } });
      if (!hub)
        return {
          cohort: null,
          userErrors: [
            {
              field: ['input', 'hubCode'],
              message: `There is no hub "${input.hubCode}".`,
              code: 'NOT_FOUND' as const,
            },
          ],
        };
      if (!canManageHub(ctx, hub.id)) {
        return {
          cohort: null,
          userErrors: [
            {
              field: null,
              message: `Only staff of ${hub.code}, or a national admin, may open its cohorts.`,
              code: 'FORBIDDEN' as const,
            },
          ],
        };
      }
      const programme = await ctx.prisma.programme.findUnique({
        where: { slug: input.programmeSlug.trim().toLowerCase() },
      });
      if (!programme)
        errors.push({
          field: ['input', 'programmeSlug'],
          message: `There is no programme "${input.programmeSlug}".`,
          code: 'NOT_FOUND' as const,
        });
      else if (programme.status !== 'OFFERED') {
        errors.push({
          field: ['input', 'programmeSlug'],
          message: `${programme.name} is no longer offered.`,
          code: 'INVALID' as const,
        });
      }
      const name = input.name.trim();
      if (name.length === 0 || name.length > 200)
        errors.push({
          field: ['input', 'name'],
          message: 'Give a name of 1 to 200 characters.',
          code: 'INVALID' as const,
        });
      if (input.capacity < 1 || input.capacity > 500)
        errors.push({
          field: ['input', 'capacity'],
          message: 'Offer between 1 and 500 places.',
          code: 'INVALID' as const,
        });
      if (input.applicationDeadline < startOfDay(ctx.now)) {
        errors.push({
          field: ['input', 'applicationDeadline'],
          message: `The deadline ${day(input.applicationDeadline)} has passed.`,
          code: 'INVALID' as const,
        });
      }
      checkDates(errors, input);
      if (errors.length > 0 || !programme) return { cohort: null, userErrors: errors };

      const base = `${hub.code}-${programme.shortCode}-${input.academicYear.replace('/', '-')}`;
      const taken = new Set(
        (
          await ctx.prisma.cohort.findMany({ where: { code: { startsWith: base } }, select: { code: true } })
        ).map((c) => c.code),
      );
      let code = base;
      for (let n = 2; taken.has(code); n++) code = `${base}-${n}`;
      const cohort = await ctx.prisma.$transaction(async (tx) => {
        const created = await tx.cohort.create({
          data: {
            code,
            name,
            programmeId: programme.id,
            hubId: hub.id,
            regionId: hub.regionId,
            academicYear: input.academicYear,
            status: 'RECRUITING',
            capacity: input.capacity,
            applicationDeadline: input.applicationDeadline,
            startsOn: input.startsOn,
            endsOn: input.endsOn,
            areasServed: (input.areasServed ?? []).map((a) => a.trim()).filter(Boolean),
          },
        });
        await audit(tx, ctx, 'createCohort', 'Cohort', created.id, null, {
          code,
          capacity: created.capacity,
          status: created.status,
        });
        return created;
      });
      return { cohort, userErrors: [] };
    },
  }),

  updateCohort: t.field({
    type: payload('UpdateCohortPayload', 'The result of updateCohort.'),
    description:
      'Changes a cohort: its details, or its status along the lifecycle (hub staff for their own hub, or a national admin).',
    args: { input: t.arg({ type: UpdateCohortInput, required: true, description: 'The changes.' }) },
    resolve: async (_root, { input }, ctx) => {
      const id = decodeId(String(input.cohortId), 'Cohort');
      const notFound = {
        cohort: null,
        userErrors: [
          {
            field: ['input', 'cohortId'],
            message: 'There is no cohort with this ID.',
            code: 'NOT_FOUND' as const,
          },
        ],
      };
      if (id === null) return notFound;
      const unprintable = controlCharacterErrors(input);
      if (unprintable.length > 0) return { cohort: null, userErrors: unprintable };
      return ctx.prisma.$transaction(async (tx) => {
        const [locked] = await tx.$queryRaw<
          { id: number }[]
        >`SELECT id FROM cohort WHERE id = ${id} FOR UPDATE`;
        if (!locked) return notFound;
        const before = await tx.cohort.findUniqueOrThrow({ where: { id } });
        if (!canManageHub(ctx, before.hubId)) {
          return {
            cohort: null,
            userErrors: [
              {
                field: null,
                message: 'Only staff of the cohort’s hub, or a national admin, may change it.',
                code: 'FORBIDDEN' as const,
              },
            ],
          };
        }
        const errors: UserErrorShape[] = [];
        if (
          input.status &&
          input.status !== before.status &&
          !canMove(COHORT_TRANSITIONS, before.status, input.status)
        ) {
          const next = COHORT_TRANSITIONS[before.status]!;
          errors.push({
            field: ['input', 'status'],
            message: `A ${before.status.toLowerCase()} cohort cannot become ${input.status.toLowerCase()}${next.length ? `: it can become ${next.map((s) => s.toLowerCase()).join(' or ')}` : ''}.`,
            code: 'INVALID' as const,
          });
        }
        if (
          input.capacity !== null &&
          input.capacity !== undefined &&
          (input.capacity < before.placesTaken || input.capacity > 500)
        ) {
          errors.push({
            field: ['input', 'capacity'],
            message: `Capacity must be between the ${before.placesTaken} places already taken and 500.`,
            code: 'INVALID' as const,
          });
        }
        if (
          input.name !== null &&
          input.name !== undefined &&
          (input.name.trim() === '' || input.name.length > 200)
        ) {
          errors.push({
            field: ['input', 'name'],
            message: 'Give a name of 1 to 200 characters.',
            code: 'INVALID' as const,
          });
        }
        const next = {
          academicYear: before.academicYear,
          applicationDeadline: input.applicationDeadline ?? before.applicationDeadline,
          startsOn: input.startsOn ?? before.startsOn,
          endsOn: input.endsOn ?? before.endsOn,
        };
        checkDates(errors, next);
        if (errors.length > 0) return { cohort: null, userErrors: errors };
        const data = {
          ...(input.name ? { name: input.name.trim() } : {}),
          ...(input.capacity !== null && input.capacity !== undefined ? { capacity: input.capacity } : {}),
          ...(input.applicationDeadline ? { applicationDeadline: input.applicationDeadline } : {}),
          ...(input.startsOn ? { startsOn: input.startsOn } : {}),
          ...(input.endsOn ? { endsOn: input.endsOn } : {}),
          ...(input.areasServed
            ? { areasServed: input.areasServed.map((a) => a.trim()).filter(Boolean) }
            : {}),
          ...(input.status ? { status: input.status } : {}),
        };
        const cohort = await tx.cohort.update({ where: { id }, data });
        const changed = Object.keys(data) as (keyof typeof data)[];
        const pick = (row: Record<string, unknown>) =>
          Object.fromEntries(changed.map((k) => [k, row[k] instanceof Date ? day(row[k] as Date) : row[k]]));
        await audit(tx, ctx, 'updateCohort', 'Cohort', id, pick(before) as never, pick(cohort) as never);
        return { cohort, userErrors: [] };
      });
    },
  }),
}));
