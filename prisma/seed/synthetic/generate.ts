// The generator: builds every synthetic row in memory from one seeded random sequence, so the same
// scale and input always give the same rows.

import { academicYearLabel, academicYearStart } from '../../domain.ts';
import { HUB_PROGRAMMES, SCHOOL_KINDS, type SchoolKind, SESSION_TITLES } from './catalogue.ts';
import type { ApplicationRow, Generated, PersonRow, SchoolRow } from './rows.ts';
import type { Scale } from './scales.ts';
import {
  FIRST_NAMES,
  LAST_NAMES,
  LOCAL_AUTHORITIES,
  PLACE_ENDINGS,
  PLACE_STEMS,
  POSTCODE_AREAS,
  TRUST_WORDS,
} from './vocabulary.ts';

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
