// Layers 2 and 3: synthetic schools, cohorts, people, applications, sessions and attendance.
//
// One deterministic generator serves both the demo layer (small, loaded into the embedded
// database at first start) and the national-scale layer used by the benchmarks (about 24,000
// schools, 5,000 cohorts, 200,000 participants, 400,000 enrolments and 2 million attendance
// rows). Every row it makes is marked `synthetic`; people get made-up names and addresses at
// example.org, and school URNs start at 600000 (national) or 900000 (demo), ranges the DfE does
// not use, so nothing can be mistaken for a real school or person.
//
// Rows are built in memory, then loaded set-based: parent tables through batched
// `INSERT … SELECT FROM unnest(…)`, attendance with one `INSERT … SELECT` in the database.

import { academicYearLabel, academicYearStart } from '../domain.ts';
import type { Sql } from '../sql.ts';

// ───────────── scales ─────────────

export interface Scale {
  name: 'demo' | 'national';
  firstUrn: number;
  emailDomain: string;
  /** Schools per hub, by kind. */
  schoolsPerHub: Record<SchoolKind, number>;
  /** How many different staff a school can send, by kind; people are reused beyond that. */
  staffPerSchool: Record<SchoolKind, number>;
  /** Programmes each hub runs in a year, and cohorts of each. */
  programmesPerHubYear: number;
  groupsPerProgramme: number;
  /** Places per cohort: [min, max]. */
  places: [number, number];
}

export const SCALES: Record<Scale['name'], Scale> = {
  demo: {
    name: 'demo',
    firstUrn: 900001,
    emailDomain: 'demo.example.org',
    schoolsPerHub: { secondary: 24, primary: 12, special: 3, college: 2, independent: 1 },
    staffPerSchool: { secondary: 5, primary: 2, special: 2, college: 3, independent: 2 },
    programmesPerHubYear: 3,
    groupsPerProgramme: 1,
    places: [4, 8],
  },
  national: {
    name: 'national',
    firstUrn: 600001,
    emailDomain: 'national.example.org',
    schoolsPerHub: { secondary: 110, primary: 455, special: 22, college: 9, independent: 4 },
    staffPerSchool: { secondary: 42, primary: 4, special: 6, college: 12, independent: 2 },
    programmesPerHubYear: 7,
    groupsPerProgramme: 3,
    places: [64, 104],
  },
};

type SchoolKind = 'secondary' | 'primary' | 'special' | 'college' | 'independent';

// ───────────── deterministic randomness ─────────────

/** mulberry32: a tiny seeded PRNG, so every run generates exactly the same data. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}
type Random = ReturnType<typeof random>;

// ───────────── vocabulary ─────────────

const FIRST_NAMES = [
  'Aisha',
  'Alex',
  'Amara',
  'Amir',
  'Beth',
  'Callum',
  'Chloe',
  'Daniel',
  'Deepa',
  'Eleanor',
  'Ethan',
  'Fatima',
  'Finn',
  'Grace',
  'Hannah',
  'Harvey',
  'Imran',
  'Isla',
  'Jack',
  'Jade',
  'James',
  'Kavya',
  'Kieran',
  'Leah',
  'Liam',
  'Lucy',
  'Maya',
  'Mohammed',
  'Nadia',
  'Niamh',
  'Oliver',
  'Olivia',
  'Priya',
  'Rachel',
  'Ravi',
  'Rosie',
  'Ryan',
  'Sam',
  'Sana',
  'Sophie',
  'Tom',
  'Una',
  'Vikram',
  'Will',
  'Yasmin',
  'Zach',
  'Zainab',
  'Megan',
];
const LAST_NAMES = [
  'Ahmed',
  'Allen',
  'Bailey',
  'Begum',
  'Brown',
  'Campbell',
  'Carter',
  'Chen',
  'Clarke',
  'Davies',
  'Edwards',
  'Evans',
  'Fisher',
  'Green',
  'Hall',
  'Harris',
  'Hughes',
  'Hussain',
  'Jackson',
  'Jones',
  'Khan',
  'Kaur',
  'Lewis',
  'Martin',
  'Mitchell',
  'Morris',
  'Nowak',
  'Okafor',
  'Patel',
  'Phillips',
  'Price',
  'Roberts',
  'Robinson',
  'Shah',
  'Singh',
  'Smith',
  'Taylor',
  'Thomas',
  'Turner',
  'Walker',
  'Ward',
  'Watson',
  'White',
  'Williams',
  'Wilson',
  'Wood',
  'Wright',
  'Young',
];
const PLACE_STEMS = [
  'Ash',
  'Beech',
  'Birch',
  'Bright',
  'Brook',
  'Castle',
  'Cedar',
  'Church',
  'Clay',
  'Cliff',
  'Elm',
  'Fair',
  'Fern',
  'Field',
  'Fox',
  'Glen',
  'Green',
  'Hazel',
  'Heath',
  'High',
  'Hill',
  'Holly',
  'King',
  'Lark',
  'Lime',
  'Mill',
  'Moor',
  'North',
  'Oak',
  'Orchard',
  'Park',
  'Pine',
  'Queen',
  'Red',
  'River',
  'Rose',
  'South',
  'Spring',
  'Stone',
  'Sun',
  'Thorn',
  'Wells',
  'West',
  'Willow',
  'Wood',
  'Wren',
];
const PLACE_ENDINGS = [
  'field',
  'ford',
  'gate',
  'ham',
  'hurst',
  'ley',
  'mead',
  'ton',
  'wood',
  'bridge',
  'side',
  'view',
];
const TRUST_WORDS = [
  'Horizon',
  'Beacon',
  'Compass',
  'Harbour',
  'Keystone',
  'Meridian',
  'Pathway',
  'Summit',
  'Unity',
];

/** Real local authority areas by region, so that dashboards group by something familiar. */
const LOCAL_AUTHORITIES: Record<string, string[]> = {
  EE: [
    'Bedford',
    'Central Bedfordshire',
    'Luton',
    'Milton Keynes',
    'Cambridgeshire',
    'Peterborough',
    'Essex',
    'Southend-on-Sea',
    'Thurrock',
    'Hertfordshire',
    'Norfolk',
    'Suffolk',
  ],
  EM: [
    'Derby',
    'Derbyshire',
    'Nottingham',
    'Nottinghamshire',
    'Leicester',
    'Leicestershire',
    'Rutland',
    'Lincolnshire',
    'North Northamptonshire',
    'West Northamptonshire',
  ],
  LO: [
    'Barking and Dagenham',
    'Barnet',
    'Brent',
    'Camden',
    'Croydon',
    'Ealing',
    'Enfield',
    'Greenwich',
    'Hackney',
    'Haringey',
    'Harrow',
    'Islington',
    'Lambeth',
    'Lewisham',
    'Merton',
    'Newham',
    'Southwark',
    'Tower Hamlets',
    'Wandsworth',
    'Westminster',
  ],
  NE: [
    'Newcastle upon Tyne',
    'North Tyneside',
    'Gateshead',
    'Sunderland',
    'County Durham',
    'Darlington',
    'Middlesbrough',
    'Stockton-on-Tees',
    'Northumberland',
    'Hartlepool',
  ],
  NW: [
    'Cumberland',
    'Lancashire',
    'Blackpool',
    'Manchester',
    'Trafford',
    'Salford',
    'Stockport',
    'Liverpool',
    'St Helens',
    'Wigan',
    'Cheshire East',
    'Cheshire West and Chester',
    'Wirral',
    'Warrington',
  ],
  SE: [
    'Buckinghamshire',
    'Reading',
    'Oxfordshire',
    'Surrey',
    'Hampshire',
    'Portsmouth',
    'Southampton',
    'Isle of Wight',
    'West Sussex',
    'East Sussex',
    'Brighton and Hove',
    'Kent',
    'Medway',
  ],
  SW: [
    'Cornwall',
    'Plymouth',
    'Devon',
    'Dorset',
    'Somerset',
    'Bristol',
    'South Gloucestershire',
    'Gloucestershire',
    'Wiltshire',
    'Swindon',
    'Torbay',
    'Bath and North East Somerset',
  ],
  WM: [
    'Birmingham',
    'Sandwell',
    'Dudley',
    'Shropshire',
    'Herefordshire',
    'Telford and Wrekin',
    'Staffordshire',
    'Stoke-on-Trent',
    'Coventry',
    'Warwickshire',
    'Solihull',
    'Walsall',
    'Wolverhampton',
    'Worcestershire',
  ],
  YH: [
    'North Yorkshire',
    'York',
    'Leeds',
    'Bradford',
    'Calderdale',
    'Kirklees',
    'Wakefield',
    'East Riding of Yorkshire',
    'Kingston upon Hull',
    'Sheffield',
    'Rotherham',
    'Doncaster',
    'Barnsley',
  ],
};
const POSTCODE_AREAS: Record<string, string[]> = {
  EE: ['CB', 'CM', 'CO', 'IP', 'NR', 'LU', 'MK', 'SG', 'SS', 'PE'],
  EM: ['DE', 'NG', 'LE', 'LN', 'NN'],
  LO: ['E', 'N', 'SE', 'SW', 'W', 'NW'],
  NE: ['NE', 'SR', 'DH', 'DL', 'TS'],
  NW: ['M', 'L', 'CH', 'WA', 'PR', 'BB', 'CA', 'SK', 'WN'],
  SE: ['RG', 'OX', 'HP', 'GU', 'PO', 'SO', 'BN', 'RH', 'CT', 'ME'],
  SW: ['TR', 'PL', 'EX', 'DT', 'BS', 'BA', 'GL', 'SN', 'TA'],
  WM: ['B', 'CV', 'DY', 'WS', 'WV', 'ST', 'TF', 'WR', 'HR', 'SY'],
  YH: ['YO', 'LS', 'BD', 'HX', 'HD', 'WF', 'HU', 'S', 'DN'],
};

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

const SESSION_TITLES: Record<SessionKind, string> = {
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
const HUB_PROGRAMMES: HubProgramme[] = [
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

// ───────────── the generated rows ─────────────

interface SchoolRow {
  urn: string;
  name: string;
  phase: string;
  type: string;
  stateFunded: boolean;
  localAuthority: string;
  postcode: string;
  trust: string | null;
  hubId: number;
  kind: SchoolKind;
}
interface PersonRow {
  name: string;
  email: string;
  trn: string;
  qts: boolean;
  yearsTeaching: number;
  urn: string;
}
interface CohortRow {
  code: string;
  name: string;
  programmeId: number;
  hubId: number;
  academicYear: string;
  status: string;
  capacity: number;
  placesTaken: number;
  deadline: string;
  startsOn: string;
  endsOn: string;
  leadEmail: string | null;
}
interface SessionRow {
  cohortCode: string;
  kind: string;
  title: string;
  startsAt: string;
  minutes: number;
  mode: string;
}
interface ApplicationRow {
  cohortCode: string;
  urn: string;
  status: string;
  submittedAt: string;
  decidedAt: string | null;
  headteacher: string;
  hod: string;
  hodTrn: string;
  statement: string;
  advocates: { name: string; email: string; trn: string }[];
}
interface EnrolmentRow {
  email: string;
  cohortCode: string;
  urn: string;
  role: string;
  status: string;
}

export interface Generated {
  schools: SchoolRow[];
  people: PersonRow[];
  cohorts: CohortRow[];
  sessions: SessionRow[];
  applications: ApplicationRow[];
  enrolments: EnrolmentRow[];
}

export interface GeneratorInput {
  hubs: { id: number; code: string; regionCode: string; numberInRegion: number; regionHubCount: number }[];
  programmeIds: Map<string, number>;
  programmeShortCodes: Map<string, string>;
  programmeNames: Map<string, string>;
  /** Cohort codes that already exist as reference facts: never generated over. */
  reservedCohortCodes: Set<string>;
  today: Date;
}

function localAuthoritiesFor(hub: GeneratorInput['hubs'][number]): string[] {
  if (hub.code === 'WM1') return ['Birmingham', 'Sandwell', 'Dudley']; // as the WM1 pack states
  const all = LOCAL_AUTHORITIES[hub.regionCode]!.filter(
    (la) => hub.regionCode !== 'WM' || !['Birmingham', 'Sandwell', 'Dudley'].includes(la),
  );
  const mine = all.filter((_, i) => i % hub.regionHubCount === (hub.numberInRegion - 1) % hub.regionHubCount);
  return mine.length > 0 ? mine : [all[hub.numberInRegion % all.length]!];
}

const SCHOOL_KINDS: {
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

const iso = (d: Date) => d.toISOString().slice(0, 10);
const trnFor = (n: number) => String(2_000_000 + ((n * 7_919) % 7_000_000)).padStart(7, '0');

export function generate(scale: Scale, input: GeneratorInput): Generated {
  const rnd: Random = random(scale.name === 'demo' ? 2024 : 2025);
  const out: Generated = {
    schools: [],
    people: [],
    cohorts: [],
    sessions: [],
    applications: [],
    enrolments: [],
  };

  // Schools, hub by hub.
  const schoolsByHub = new Map<number, Map<SchoolKind, SchoolRow[]>>();
  let urn = scale.firstUrn;
  for (const hub of input.hubs) {
    const las = localAuthoritiesFor(hub);
    const byKind = new Map<SchoolKind, SchoolRow[]>();
    for (const k of SCHOOL_KINDS) {
      const list: SchoolRow[] = [];
      for (let i = 0; i < scale.schoolsPerHub[k.kind]; i++) {
        const type = rnd.pick(k.types);
        const place = `${rnd.pick(PLACE_STEMS)}${rnd.pick(PLACE_ENDINGS)}`;
        const area = rnd.pick(POSTCODE_AREAS[hub.regionCode]!);
        const letters = 'ABDEFGHJLNPQRSTUWXYZ';
        const school: SchoolRow = {
          urn: String(urn++),
          name: `${place} ${rnd.pick(k.suffix)}`,
          phase: k.phase,
          type,
          stateFunded: k.stateFunded,
          localAuthority: las[i % las.length]!,
          postcode: `${area}${rnd.int(1, 29)} ${rnd.int(1, 9)}${rnd.pick([...letters])}${rnd.pick([...letters])}`,
          trust:
            type === 'ACADEMY' || type === 'FREE_SCHOOL'
              ? `${rnd.pick(TRUST_WORDS)} ${hub.code} Learning Trust`
              : null,
          hubId: hub.id,
          kind: k.kind,
        };
        list.push(school);
        out.schools.push(school);
      }
      byKind.set(k.kind, list);
    }
    schoolsByHub.set(hub.id, byKind);
  }

  // Each school's staff, made when first needed and reused once the school's pool is full.
  const staff = new Map<string, PersonRow[]>();
  const turn = new Map<string, number>();
  let personNo = 0;
  const nextPerson = (school: SchoolRow): PersonRow => {
    const pool = staff.get(school.urn) ?? [];
    staff.set(school.urn, pool);
    const t = turn.get(school.urn) ?? 0;
    turn.set(school.urn, t + 1);
    if (pool.length < scale.staffPerSchool[school.kind]) {
      const first = rnd.pick(FIRST_NAMES);
      const last = rnd.pick(LAST_NAMES);
      personNo++;
      const unqualified = rnd.chance(0.03);
      const person: PersonRow = {
        name: `${first} ${last}`,
        email: `${first}.${last}.${personNo}@${scale.emailDomain}`.toLowerCase(),
        trn: unqualified ? 'UQT' : trnFor(personNo),
        qts: !unqualified,
        yearsTeaching: rnd.int(0, 25),
        urn: school.urn,
      };
      pool.push(person);
      out.people.push(person);
      return person;
    }
    return pool[t % pool.length]!;
  };

  const current = academicYearStart(input.today);
  const years = [current - 4, current - 3, current - 2, current - 1, current, current + 1];
  // Who did what, where and when: later programmes draw on it (Development → Embedding, ECT 1 → 2).
  const history = new Map<string, { school: SchoolRow; people: PersonRow[] }[]>();
  const historyKey = (hubId: number, slug: string, year: number) => `${hubId}|${slug}|${year}`;
  const specialists = new Map<number, PersonRow[]>();

  for (const year of years) {
    const label = academicYearLabel(year);
    const status = year < current ? 'COMPLETED' : year === current ? 'RUNNING' : 'RECRUITING';
    for (const hub of input.hubs) {
      const schools = schoolsByHub.get(hub.id)!;
      // Hub specialists lead cohorts: a few teachers from the hub's first secondaries.
      if (!specialists.has(hub.id)) {
        specialists.set(
          hub.id,
          schools
            .get('secondary')!
            .slice(0, 3)
            .map((s) => nextPerson(s)),
        );
      }
      // The first two programmes run every year; the rest rotate by hub and year.
      const chosen = HUB_PROGRAMMES.slice(0, 2);
      for (let i = 0; chosen.length < scale.programmesPerHubYear; i++) {
        const p = HUB_PROGRAMMES[2 + ((hub.id + year + i * 3) % (HUB_PROGRAMMES.length - 2))]!;
        if (!chosen.includes(p)) chosen.push(p);
      }
      for (const programme of chosen) {
        const programmeId = input.programmeIds.get(programme.slug);
        if (programmeId === undefined) continue;
        for (let group = 1; group <= scale.groupsPerProgramme; group++) {
          const shortCode = input.programmeShortCodes.get(programme.slug)!;
          const code = `${hub.code}-${shortCode}-${label.replace('/', '-')}${scale.groupsPerProgramme > 1 ? `-${group}` : ''}`;
          if (input.reservedCohortCodes.has(code)) continue;
          const cancelled = status === 'COMPLETED' && rnd.chance(0.03);
          const cohortStatus = cancelled
            ? 'CANCELLED'
            : status === 'RECRUITING' && rnd.chance(0.2)
              ? 'PLANNED'
              : status;
          const capacity = rnd.int(scale.places[0], scale.places[1]);

          // The schools taking places: from an earlier programme's cohorts where this one follows one.
          let candidates: { school: SchoolRow; people: PersonRow[] | null }[];
          if (programme.follows) {
            const earlier =
              history.get(historyKey(hub.id, programme.follows.slug, year - programme.follows.yearsBefore)) ??
              [];
            candidates = earlier.map((e) => ({
              school: e.school,
              people: programme.follows!.samePeople ? e.people : null,
            }));
          } else {
            candidates = programme.schoolKinds
              .flatMap((k) => schools.get(k)!)
              .map((school) => ({ school, people: null }));
          }
          const taken: typeof candidates = [];
          const wanted =
            cohortStatus === 'CANCELLED' || cohortStatus === 'PLANNED'
              ? 0
              : cohortStatus === 'RECRUITING'
                ? Math.floor(capacity / 2)
                : rnd.int(Math.ceil(capacity * 0.75), capacity);
          const start = rnd.int(0, Math.max(0, candidates.length - 1));
          for (let i = 0; i < candidates.length && taken.length < wanted; i++) {
            const c = candidates[(start + i) % candidates.length]!;
            if (!taken.some((t) => t.school.urn === c.school.urn) && (programme.follows || rnd.chance(0.7)))
              taken.push(c);
          }

          const startsOn = new Date(Date.UTC(year, 8, 15 + rnd.int(0, 14)));
          const endsOn = new Date(Date.UTC(year + 1, 6, 10 + rnd.int(0, 12)));
          const lead = rnd.pick(specialists.get(hub.id)!);
          out.cohorts.push({
            code,
            name: `${input.programmeNames.get(programme.slug)} — ${hub.code} ${label}${scale.groupsPerProgramme > 1 ? ` (group ${group})` : ''}`,
            programmeId,
            hubId: hub.id,
            academicYear: label,
            status: cohortStatus,
            capacity,
            placesTaken: taken.length,
            deadline: iso(new Date(Date.UTC(year, 5, 20 + rnd.int(0, 10)))),
            startsOn: iso(startsOn),
            endsOn: iso(endsOn),
            leadEmail: lead.email,
          });

          // Sessions spread through the year, mornings or afternoons.
          const allSessions = programme.sessions.flatMap((s) => Array.from({ length: s.count }, () => s));
          const span = endsOn.getTime() - startsOn.getTime();
          allSessions.forEach((s, i) => {
            const day = new Date(startsOn.getTime() + Math.floor((span * i) / allSessions.length));
            day.setUTCHours(rnd.chance(0.5) ? 8 : 12, 30, 0, 0);
            out.sessions.push({
              cohortCode: code,
              kind: s.kind,
              title: `${SESSION_TITLES[s.kind]} ${i + 1}`,
              startsAt: day.toISOString(),
              minutes: s.minutes,
              mode: s.online ? 'ONLINE' : 'IN_PERSON',
            });
          });

          // One accepted application per school place, its people enrolled.
          const record: { school: SchoolRow; people: PersonRow[] }[] = [];
          for (const t of taken) {
            const people =
              t.people ?? Array.from({ length: programme.perSchool }, () => nextPerson(t.school));
            record.push({ school: t.school, people });
            const submitted = new Date(Date.UTC(year, 4, 1 + rnd.int(0, 40)));
            out.applications.push(applicationFor(rnd, code, t.school, people, 'ACCEPTED', submitted, scale));
            for (const person of people) {
              const enrolmentStatus =
                cohortStatus === 'COMPLETED'
                  ? rnd.chance(0.9)
                    ? 'COMPLETED'
                    : 'WITHDRAWN'
                  : cohortStatus === 'RUNNING'
                    ? rnd.chance(0.94)
                      ? 'ACTIVE'
                      : 'WITHDRAWN'
                    : 'ACCEPTED';
              out.enrolments.push({
                email: person.email,
                cohortCode: code,
                urn: t.school.urn,
                role: programme.role,
                status: enrolmentStatus,
              });
            }
          }
          // A recruiting cohort also has applications waiting for a decision.
          if (cohortStatus === 'RECRUITING') {
            const waiting = programme.schoolKinds
              .flatMap((k) => schools.get(k)!)
              .filter((s) => !taken.some((t) => t.school.urn === s.urn))
              .slice(0, 3);
            waiting.forEach((school, i) => {
              const people = Array.from({ length: programme.perSchool }, () => nextPerson(school));
              out.applications.push(
                applicationFor(
                  rnd,
                  code,
                  school,
                  people,
                  i === 2 ? 'WAITLISTED' : 'SUBMITTED',
                  new Date(Date.UTC(year, 4, 10 + i)),
                  scale,
                ),
              );
            });
          }
          const key = historyKey(hub.id, programme.slug, year);
          history.set(key, [...(history.get(key) ?? []), ...record]);
        }
      }
    }
  }
  return out;
}

function applicationFor(
  rnd: Random,
  cohortCode: string,
  school: SchoolRow,
  people: PersonRow[],
  status: string,
  submitted: Date,
  scale: Scale,
): ApplicationRow {
  const person = () => `${rnd.pick(FIRST_NAMES)} ${rnd.pick(LAST_NAMES)}`;
  return {
    cohortCode,
    urn: school.urn,
    status,
    submittedAt: submitted.toISOString(),
    decidedAt: status === 'ACCEPTED' ? new Date(submitted.getTime() + 21 * 86_400_000).toISOString() : null,
    headteacher: person(),
    hod: person(),
    hodTrn: trnFor(rnd.int(1, 9_999_999)),
    statement: `Synthetic ${scale.name} data: our department wants to take part to strengthen teaching across Key Stage 3.`,
    advocates: people.map((p) => ({ name: p.name, email: p.email, trn: p.trn })),
  };
}

// ───────────── loading ─────────────

const BATCH = 20_000;

/** Inserts rows in batches with one `INSERT … SELECT FROM unnest(…)` per batch. */
async function insertBatches<T>(
  sql: Sql,
  rows: T[],
  columns: { type: string; value: (row: T) => unknown }[],
  statement: (unnest: string) => string,
) {
  const unnest = `unnest(${columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')})`;
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    await sql.query(
      statement(unnest),
      columns.map((c) => batch.map(c.value)),
    );
  }
}

async function idMap(sql: Sql, query: string, params: unknown[] = []) {
  const rows = await sql.query<{ key: string; id: number }>(query, params);
  return new Map(rows.map((r) => [r.key, r.id]));
}

/** Loads generated rows; to be called inside a transaction. */
export async function load(sql: Sql, data: Generated, today: Date): Promise<void> {
  await insertBatches(
    sql,
    data.schools,
    [
      { type: 'text', value: (s) => s.urn },
      { type: 'text', value: (s) => s.name },
      { type: 'text', value: (s) => s.phase },
      { type: 'text', value: (s) => s.type },
      { type: 'bool', value: (s) => s.stateFunded },
      { type: 'text', value: (s) => s.localAuthority },
      { type: 'text', value: (s) => s.postcode },
      { type: 'text', value: (s) => s.trust },
      { type: 'int', value: (s) => s.hubId },
    ],
    (
      u,
    ) => `INSERT INTO school (urn, name, phase, type, state_funded, local_authority, postcode, trust, hub_id, synthetic)
    SELECT urn, name, phase::"SchoolPhase", type::"SchoolType", sf, la, pc, trust, hub, true
      FROM ${u} AS t(urn, name, phase, type, sf, la, pc, trust, hub)`,
  );
  const schoolIds = await idMap(sql, 'SELECT urn AS key, id FROM school WHERE synthetic');

  await insertBatches(
    sql,
    data.people,
    [
      { type: 'text', value: (p) => p.name },
      { type: 'text', value: (p) => p.email },
      { type: 'text', value: (p) => p.trn },
      { type: 'bool', value: (p) => p.qts },
      { type: 'int', value: (p) => p.yearsTeaching },
      { type: 'int', value: (p) => schoolIds.get(p.urn) },
    ],
    (u) => `INSERT INTO participant (name, email, trn, qts, years_teaching, school_id, synthetic)
    SELECT name, email, trn, qts, yrs, school, true FROM ${u} AS t(name, email, trn, qts, yrs, school)`,
  );
  const personIds = await idMap(sql, 'SELECT email AS key, id FROM participant WHERE synthetic');

  await insertBatches(
    sql,
    data.cohorts,
    [
      { type: 'text', value: (c) => c.code },
      { type: 'text', value: (c) => c.name },
      { type: 'int', value: (c) => c.programmeId },
      { type: 'int', value: (c) => c.hubId },
      { type: 'text', value: (c) => c.academicYear },
      { type: 'text', value: (c) => c.status },
      { type: 'int', value: (c) => c.capacity },
      { type: 'int', value: (c) => c.placesTaken },
      { type: 'date', value: (c) => c.deadline },
      { type: 'date', value: (c) => c.startsOn },
      { type: 'date', value: (c) => c.endsOn },
      { type: 'int', value: (c) => (c.leadEmail ? personIds.get(c.leadEmail) : null) },
    ],
    (u) => `INSERT INTO cohort (code, name, programme_id, hub_id, region_id, academic_year, status, capacity,
      places_taken, application_deadline, starts_on, ends_on, lead_id, synthetic, updated_at)
    SELECT t.code, t.name, t.programme, t.hub, h.region_id, t.year, t.status::"CohortStatus", t.capacity, t.taken,
           t.deadline, t.starts, t.ends, t.lead, true, now()
      FROM ${u} AS t(code, name, programme, hub, year, status, capacity, taken, deadline, starts, ends, lead)
      JOIN hub h ON h.id = t.hub`,
  );
  const cohortIds = await idMap(sql, 'SELECT code AS key, id FROM cohort WHERE synthetic');

  await insertBatches(
    sql,
    data.sessions,
    [
      { type: 'int', value: (s) => cohortIds.get(s.cohortCode) },
      { type: 'text', value: (s) => s.kind },
      { type: 'text', value: (s) => s.title },
      { type: 'timestamptz', value: (s) => s.startsAt },
      { type: 'int', value: (s) => s.minutes },
      { type: 'text', value: (s) => s.mode },
    ],
    (u) => `INSERT INTO session (cohort_id, kind, title, starts_at, duration_minutes, mode)
    SELECT cohort, kind::"SessionKind", title, starts, minutes, mode::"SessionMode"
      FROM ${u} AS t(cohort, kind, title, starts, minutes, mode)`,
  );

  await insertBatches(
    sql,
    data.applications,
    [
      { type: 'int', value: (a) => cohortIds.get(a.cohortCode) },
      { type: 'int', value: (a) => schoolIds.get(a.urn) },
      { type: 'text', value: (a) => a.status },
      { type: 'timestamptz', value: (a) => a.submittedAt },
      { type: 'timestamptz', value: (a) => a.decidedAt },
      { type: 'text', value: (a) => a.headteacher },
      { type: 'text', value: (a) => a.hod },
      { type: 'text', value: (a) => a.hodTrn },
      { type: 'text', value: (a) => a.statement },
    ],
    (u) => `INSERT INTO application (cohort_id, school_id, status, live, contact_telephone, headteacher_name,
      headteacher_email, head_of_department_name, head_of_department_email, head_of_department_trn,
      statement, commitments_confirmed, submitted_at, decided_at)
    SELECT cohort, school, status::"ApplicationStatus", true, '01632 960000', head,
           lower(replace(head, ' ', '.')) || '.' || school || '@head.example.org', hod,
           lower(replace(hod, ' ', '.')) || '.' || school || '@hod.example.org', trn, statement, true, submitted, decided
      FROM ${u} AS t(cohort, school, status, submitted, decided, head, hod, trn, statement)`,
  );
  const applicationIds = await idMap(
    sql,
    `SELECT a.cohort_id || '|' || a.school_id AS key, a.id
      FROM application a JOIN cohort c ON c.id = a.cohort_id WHERE c.synthetic`,
  );
  const applicationKey = (cohortCode: string, urn: string) =>
    `${cohortIds.get(cohortCode)}|${schoolIds.get(urn)}`;

  const advocates = data.applications.flatMap((a) =>
    a.advocates.map((p, position) => ({
      ...p,
      position,
      applicationId: applicationIds.get(applicationKey(a.cohortCode, a.urn)),
    })),
  );
  await insertBatches(
    sql,
    advocates,
    [
      { type: 'int', value: (a) => a.applicationId },
      { type: 'int', value: (a) => a.position },
      { type: 'text', value: (a) => a.name },
      { type: 'text', value: (a) => a.email },
      { type: 'text', value: (a) => a.trn },
    ],
    (
      u,
    ) => `INSERT INTO application_advocate (application_id, position, name, email, trn, year_groups_taught, responsibility)
    SELECT app, pos, name, email, trn, 'Years 7-9', CASE WHEN pos = 0 THEN 'Key Stage 3 lead' ELSE 'Class teacher' END
      FROM ${u} AS t(app, pos, name, email, trn)`,
  );

  await insertBatches(
    sql,
    data.enrolments,
    [
      { type: 'int', value: (e) => personIds.get(e.email) },
      { type: 'int', value: (e) => cohortIds.get(e.cohortCode) },
      { type: 'int', value: (e) => schoolIds.get(e.urn) },
      { type: 'int', value: (e) => applicationIds.get(applicationKey(e.cohortCode, e.urn)) },
      { type: 'text', value: (e) => e.role },
      { type: 'text', value: (e) => e.status },
    ],
    (
      u,
    ) => `INSERT INTO enrolment (participant_id, cohort_id, school_id, application_id, role, status, updated_at)
    SELECT person, cohort, school, app, role::"EnrolmentRole", status::"EnrolmentStatus", now()
      FROM ${u} AS t(person, cohort, school, app, role, status)`,
  );

  // Attendance for every session already held, decided by a fixed arithmetic hash of the two ids:
  // most attend, a few send apologies; people who withdrew miss the second half of the year.
  await sql.query(
    `INSERT INTO attendance (session_id, enrolment_id, status, recorded_at)
     SELECT s.id, e.id,
            (CASE WHEN e.status = 'WITHDRAWN' AND s.starts_at > c.starts_on + (c.ends_on - c.starts_on) / 2 THEN 'ABSENT'
                  WHEN (s.id::bigint * 7919 + e.id::bigint * 104729) % 100 < 86 THEN 'PRESENT'
                  WHEN (s.id::bigint * 7919 + e.id::bigint * 104729) % 100 < 93 THEN 'EXCUSED'
                  ELSE 'ABSENT' END)::"AttendanceStatus",
            s.starts_at + make_interval(mins => s.duration_minutes)
       FROM session s
       JOIN cohort c ON c.id = s.cohort_id AND c.synthetic
       JOIN enrolment e ON e.cohort_id = s.cohort_id AND e.status IN ('ACTIVE', 'COMPLETED', 'WITHDRAWN')
      WHERE s.starts_at < $1`,
    [today.toISOString()],
  );
}

/** Removes every synthetic row (and what hangs off it). */
export async function clearSynthetic(sql: Sql): Promise<void> {
  await sql.exec(`
    DELETE FROM attendance WHERE enrolment_id IN (SELECT e.id FROM enrolment e JOIN cohort c ON c.id = e.cohort_id WHERE c.synthetic);
    DELETE FROM enrolment WHERE cohort_id IN (SELECT id FROM cohort WHERE synthetic)
                             OR participant_id IN (SELECT id FROM participant WHERE synthetic);
    DELETE FROM application WHERE cohort_id IN (SELECT id FROM cohort WHERE synthetic);
    DELETE FROM cohort WHERE synthetic;
    UPDATE cohort SET lead_id = NULL WHERE lead_id IN (SELECT id FROM participant WHERE synthetic);
    DELETE FROM participant WHERE synthetic;
    DELETE FROM school WHERE synthetic;
  `);
}
