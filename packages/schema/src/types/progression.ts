// Progression between programmes: who took part in one programme, and how many of them are in
// the next one the following year; anonymised like cohortStats.
import { GraphQLError } from 'graphql';
import { builder } from '../builder.ts';
import { dependsOn } from '../cache-tags.ts';
import { published, roundingBase } from '../reporting/cell-key.ts';
import { progressionCounts } from '../reporting/progression.ts';
import { type Suppressible, suppress } from '../reporting/suppression.ts';
import { shiftAcademicYear } from '../scalars.ts';
import { protectionInfo, protectionOf, StatsProtectionInfo } from './stats.ts';

interface ProgressionShape {
  fromYear: string;
  toYear: string;
  schools: number | null;
  schoolsProgressed: number | null;
  participants: number | null;
  participantsProgressed: number | null;
  suppressed: boolean;
}

const Progression = builder.objectRef<ProgressionShape>('Progression').implement({
  description: 'How many schools (and people) went on from one programme to another the following year.',
  fields: (t) => ({
    fromYear: t.field({
      type: 'AcademicYear',
      description: 'The year of the first programme.',
      resolve: (p) => p.fromYear,
    }),
    toYear: t.field({ type: 'AcademicYear', description: 'The following year.', resolve: (p) => p.toYear }),
    schools: t.int({
      nullable: true,
      description: 'Schools that took part in the first programme.',
      resolve: (p) => p.schools,
    }),
    schoolsProgressed: t.int({
      nullable: true,
      description: 'Of those, schools in the second programme the following year.',
      resolve: (p) => p.schoolsProgressed,
    }),
    schoolRate: t.float({
      nullable: true,
      description: 'schoolsProgressed ÷ schools.',
      resolve: (p) => (p.schools && p.schoolsProgressed !== null ? p.schoolsProgressed / p.schools : null),
    }),
    participants: t.int({
      nullable: true,
      description: 'People who took part in the first programme.',
      resolve: (p) => p.participants,
    }),
    participantsProgressed: t.int({
      nullable: true,
      description: 'Of those, people in the second programme the following year.',
      resolve: (p) => p.participantsProgressed,
    }),
    participantRate: t.float({
      nullable: true,
      description: 'participantsProgressed ÷ participants.',
      resolve: (p) =>
        p.participants && p.participantsProgressed !== null
          ? p.participantsProgressed / p.participants
          : null,
    }),
    suppressed: t.boolean({ description: 'True when any count was withheld.', resolve: (p) => p.suppressed }),
    protection: t.field({
      type: StatsProtectionInfo,
      description: 'How these figures were protected (exact for national admins).',
      resolve: (_p, _a, ctx) => protectionInfo(ctx),
    }),
  }),
});

builder.queryField('progression', (t) =>
  t.field({
    type: Progression,
    description:
      'Progression between programmes, e.g. Development → Embedding or ECT Phase 1 → Phase 2: who took part in `fromProgramme` in `fromYear`, and how many of them are in `toProgramme` the following year. A school that changed URN in between (an academy conversion or merger, from the register’s links) counts as having gone on if its successor did. Needs an API key; anonymised like cohortStats (those who went on and those who did not are one table with the total).',
    args: {
      fromProgramme: t.arg.string({ required: true, description: 'Slug of the earlier programme.' }),
      toProgramme: t.arg.string({ required: true, description: 'Slug of the later programme.' }),
      fromYear: t.arg({
        type: 'AcademicYear',
        required: true,
        description: 'The academic year of the earlier programme.',
      }),
    },
    resolve: async (_root, { fromProgramme, toProgramme, fromYear }, ctx) => {
      if (ctx.viewer.role === 'ANONYMOUS')
        throw new GraphQLError(
          'Progression tables follow schools and people between programmes: they need an API key (analyst, hub staff or national admin).',
          { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } },
        );
      dependsOn(
        ctx,
        `Stats@ProgrammeSlug:${fromProgramme.trim().toLowerCase()}`,
        `Stats@ProgrammeSlug:${toProgramme.trim().toLowerCase()}`,
      );
      const toYear = shiftAcademicYear(fromYear, 1);
      const { keys, ...row } = await progressionCounts(
        ctx.prisma,
        fromProgramme,
        toProgramme,
        fromYear,
        toYear,
      );
      const exact: ProgressionShape = {
        fromYear,
        toYear,
        ...row,
        suppressed: false,
      };
      const method = protectionOf(ctx);
      if (method === 'EXACT') return exact;
      if (method === 'CELL_KEY') {
        // Each count a cell of its own, published as cohortStats publishes every count.
        const base = roundingBase(ctx.suppressionThreshold);
        return {
          ...exact,
          schools: published(row.schools, keys.schools, base),
          schoolsProgressed: published(row.schoolsProgressed, keys.schoolsProgressed, base),
          participants: published(row.participants, keys.participants, base),
          participantsProgressed: published(row.participantsProgressed, keys.participantsProgressed, base),
        };
      }
      // The two groups (went on / did not) partition the total: suppress them as a table.
      const blank = {
        cohorts: null,
        enrolments: null,
        completed: null,
        withdrawn: null,
        completionRate: null,
        attendanceRate: null,
        placesOffered: null,
        placesFilled: null,
        fundingPence: null,
      };
      const part = (schools: number, participants: number): Suppressible<null> => ({
        key: null,
        suppressed: false,
        values: { ...blank, schools, participants },
      });
      const { rows, total } = suppress(
        [
          part(exact.schoolsProgressed!, exact.participantsProgressed!),
          part(
            exact.schools! - exact.schoolsProgressed!,
            exact.participants! - exact.participantsProgressed!,
          ),
        ],
        part(exact.schools!, exact.participants!),
        ctx.suppressionThreshold,
      );
      return {
        fromYear,
        toYear,
        schools: total.values.schools,
        schoolsProgressed: rows[0]!.values.schools,
        participants: total.values.participants,
        participantsProgressed: rows[0]!.values.participants,
        suppressed: total.suppressed || rows.some((r) => r.suppressed),
      };
    },
  }),
);
