// What the synthetic layer is made of: the kinds of school it invents, and the programmes hubs
// run with the people each school sends and the sessions each cohort holds.

export type SchoolKind = 'secondary' | 'primary' | 'special' | 'college' | 'independent';

/** The kinds of school, with the phase, types and name endings each is given. */
export const SCHOOL_KINDS: {
  kind: SchoolKind;
  phase: string;
  types: string[];
  suffix: string[];
  stateFunded: boolean;
}[] = [
  {
    kind: 'secondary',
    phase: 'SECONDARY',
    types: ['ACADEMY', 'ACADEMY', 'LA_MAINTAINED', 'FREE_SCHOOL'],
    suffix: ['Academy', 'High School', 'School', 'College', 'Community School'],
    stateFunded: true,
  },
  {
    kind: 'primary',
    phase: 'PRIMARY',
    types: ['LA_MAINTAINED', 'ACADEMY'],
    suffix: ['Primary School', 'Primary Academy', 'Junior School', 'CE Primary School'],
    stateFunded: true,
  },
  {
    kind: 'special',
    phase: 'NOT_APPLICABLE',
    types: ['SPECIAL'],
    suffix: ['Special School', 'School'],
    stateFunded: true,
  },
  {
    kind: 'college',
    phase: 'SIXTEEN_PLUS',
    types: ['SIXTH_FORM_COLLEGE', 'FE_COLLEGE'],
    suffix: ['Sixth Form College', 'College'],
    stateFunded: true,
  },
  {
    kind: 'independent',
    phase: 'ALL_THROUGH',
    types: ['INDEPENDENT'],
    suffix: ['School'],
    stateFunded: false,
  },
];

// ───────────── the programmes hubs run ─────────────

type Role =
  | 'MASTERY_ADVOCATE'
  | 'HEAD_OF_DEPARTMENT'
  | 'SUBJECT_LEADER'
  | 'ECT'
  | 'NON_SPECIALIST_TEACHER'
  | 'TA'
  | 'MAT_MATHS_LEAD'
  | 'ITT_PROVIDER_LEAD'
  | 'TEACHER';
type SessionKind = 'HALF_DAY_MEETING' | 'IN_SCHOOL_SUPPORT' | 'WORKSHOP' | 'CONFERENCE' | 'RESIDENTIAL';

interface HubProgramme {
  slug: string;
  role: Role;
  /** People each school sends. */
  perSchool: number;
  schoolKinds: SchoolKind[];
  sessions: { kind: SessionKind; count: number; minutes: number; online: boolean }[];
  /** Where the schools (or people) come from: a programme done earlier at the same hub. */
  follows?: { slug: string; yearsBefore: number; samePeople: boolean };
}

export const SESSION_TITLES: Record<SessionKind, string> = {
  HALF_DAY_MEETING: 'Work Group meeting',
  IN_SCHOOL_SUPPORT: 'In-school support',
  WORKSHOP: 'Workshop',
  CONFERENCE: 'Conference',
  RESIDENTIAL: 'Residential',
};
const HALF_DAYS = (count: number) => ({
  kind: 'HALF_DAY_MEETING' as const,
  count,
  minutes: 180,
  online: false,
});
const WORKSHOPS = (count: number) => ({ kind: 'WORKSHOP' as const, count, minutes: 120, online: true });

/** In order of how often hubs run them: the first ones run every year. */
export const HUB_PROGRAMMES: HubProgramme[] = [
  {
    slug: 'secondary-tfm-development',
    role: 'MASTERY_ADVOCATE',
    perSchool: 2,
    schoolKinds: ['secondary'],
    // At least six half-day meetings, four to six in-school days, and the Mastery conference in June.
    sessions: [
      HALF_DAYS(6),
      { kind: 'IN_SCHOOL_SUPPORT', count: 4, minutes: 360, online: false },
      { kind: 'CONFERENCE', count: 1, minutes: 360, online: false },
    ],
  },
  {
    slug: 'sktm-secondary-ect-phase-1',
    role: 'ECT',
    perSchool: 1,
    schoolKinds: ['secondary'],
    sessions: [WORKSHOPS(5)],
  },
  {
    slug: 'secondary-tfm-embedding-year-support',
    role: 'MASTERY_ADVOCATE',
    perSchool: 2,
    schoolKinds: ['secondary'],
    sessions: [HALF_DAYS(3), { kind: 'IN_SCHOOL_SUPPORT', count: 3, minutes: 360, online: false }],
    follows: { slug: 'secondary-tfm-development', yearsBefore: 1, samePeople: true },
  },
  {
    slug: 'sktm-secondary-ect-phase-2',
    role: 'ECT',
    perSchool: 1,
    schoolKinds: ['secondary'],
    sessions: [WORKSHOPS(4)],
    follows: { slug: 'sktm-secondary-ect-phase-1', yearsBefore: 1, samePeople: true },
  },
  {
    slug: 'secondary-maths-subject-leaders-community',
    role: 'SUBJECT_LEADER',
    perSchool: 1,
    schoolKinds: ['secondary', 'college'],
    sessions: [HALF_DAYS(4)],
  },
  {
    slug: 'sktm-secondary-non-specialist-teachers',
    role: 'NON_SPECIALIST_TEACHER',
    perSchool: 1,
    schoolKinds: ['secondary', 'special'],
    sessions: [WORKSHOPS(6)],
  },
  {
    slug: 'sktm-secondary-teaching-assistants',
    role: 'TA',
    perSchool: 2,
    schoolKinds: ['secondary'],
    sessions: [WORKSHOPS(4)],
    follows: { slug: 'secondary-tfm-development', yearsBefore: 0, samePeople: false },
  },
  {
    slug: 'secondary-tfm-sustaining-work-groups',
    role: 'HEAD_OF_DEPARTMENT',
    perSchool: 1,
    schoolKinds: ['secondary'],
    sessions: [HALF_DAYS(4)],
    follows: { slug: 'secondary-tfm-development', yearsBefore: 2, samePeople: false },
  },
  {
    slug: 'years-5-8-continuity',
    role: 'TEACHER',
    perSchool: 1,
    schoolKinds: ['primary', 'secondary'],
    sessions: [HALF_DAYS(4)],
  },
  {
    slug: 'securing-foundations-year-7',
    role: 'TEACHER',
    perSchool: 2,
    schoolKinds: ['secondary'],
    sessions: [HALF_DAYS(4)],
  },
  {
    slug: 'developing-a-level-pedagogy',
    role: 'TEACHER',
    perSchool: 1,
    schoolKinds: ['college', 'secondary'],
    sessions: [HALF_DAYS(4)],
  },
  {
    slug: 'sktm-core-maths',
    role: 'TEACHER',
    perSchool: 1,
    schoolKinds: ['college', 'secondary'],
    sessions: [WORKSHOPS(5)],
  },
  {
    slug: 'cross-phase-l2-qualification',
    role: 'TEACHER',
    perSchool: 1,
    schoolKinds: ['college', 'secondary'],
    sessions: [HALF_DAYS(3)],
  },
  {
    slug: 'secondary-mat-maths-leaders-community',
    role: 'MAT_MATHS_LEAD',
    perSchool: 1,
    schoolKinds: ['secondary'],
    sessions: [HALF_DAYS(3)],
  },
  {
    slug: 'strengthening-partnerships-itt-providers',
    role: 'ITT_PROVIDER_LEAD',
    perSchool: 1,
    schoolKinds: ['secondary', 'college'],
    sessions: [HALF_DAYS(3)],
  },
];
