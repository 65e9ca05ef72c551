// A model-based test of the response cache (fast-check): two apps in one process over one database,
// one as users run it (the production defaults, response cache on) and one with no cache, the
// reference. Random sequences of reads and writes, by every role, with reads running alongside
// writes and a clock that moves past deadlines, must give the cached app exactly the reference's
// answers. It must also keep what a write did not touch: a write in one hub leaves another hub's
// cached page a hit. And it must fail when invalidation is broken, in two ways: made a no-op, or
// made wide (every write drops everything).
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationDocument } from '../../sdk/scripts/documents.ts';
import { DEFAULT_LIMITS, type Limits } from '../src/config.ts';
import type { createApp } from '../src/server.ts';
import type { AnswerCache } from '../src/shared-state.ts';
import { type Caller, type TestApi, testApi } from './helpers/api.ts';
import { SEED_TODAY, testDbKind } from './helpers/fixtures.ts';
import { applicationForm } from './helpers/forms.ts';

/** Random sequences per property run (CI may ask for more). */
const RUNS = Number(process.env.CACHE_MODEL_RUNS ?? 16);
const HUBS = ['WM1', 'NW6', 'EE1'] as const;
type Hub = (typeof HUBS)[number];
const STAFF: Record<Hub, Caller> = { WM1: 'wm1Staff', NW6: 'nw6Staff', EE1: 'admin' };
const DAY = 86_400_000;

// The model sends thousands of requests a minute from one address: far more than one client's
// budget, so budgets are raised; cost limits and the cache stay as in production.
const rate = DEFAULT_LIMITS.rate!;
const LIMITS: Limits = {
  ...DEFAULT_LIMITS,
  rate: {
    ...rate,
    budgets: { ANONYMOUS: 1e9, HUB_STAFF: 1e9, ANALYST: 1e9, NATIONAL_ADMIN: 1e9 },
  },
};

const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * What a read asks: a document, its variables and who asks. `settles`: a standard statistics view,
 * which may be up to 5 s behind a write; it must match once its refresh has come.
 */
type Read = { query: string; variables: Record<string, unknown>; as: Caller; settles?: boolean };

const READS: ((hub: Hub, cohort: string, pick: number) => Read)[] = [
  (hub) => ({ query: operationDocument('HubPage'), variables: { code: hub }, as: 'anonymous' }),
  (hub) => ({
    query: operationDocument('RecruitingCohorts'),
    variables: { hubCode: hub, first: 100 },
    as: 'anonymous',
  }),
  (_h, cohort) => ({ query: operationDocument('Cohort'), variables: { code: cohort }, as: 'anonymous' }),
  () => ({
    query: operationDocument('ProgrammePage'),
    variables: { slug: 'secondary-tfm-development' },
    as: 'anonymous',
  }),
  (_h, _c, pick) => ({
    query: `query($recruiting: Boolean) { cohorts(first: 100, orderBy: APPLICATION_DEADLINE, filter: { recruiting: $recruiting, academicYear: "2027/28" }) { totalCount nodes { code status capacity placesRemaining isRecruiting applicationDeadline hub { code } } } }`,
    variables: { recruiting: pick % 2 === 0 },
    as: 'anonymous',
  }),
  (hub, cohort, pick) => ({
    query: `query($code: String!) { cohort(code: $code) { code placesTaken status
      applications(first: 50) { totalCount nodes { status decidedAt school { urn } } }
      enrolments(first: 50) { totalCount nodes { status attendanceRate participant { email enrolments(first: 5) { totalCount } } } }
      sessions { title startsAt attendance { status enrolment { id } } } } }`,
    variables: { code: cohort },
    as: (['admin', STAFF[hub], 'analyst'] as const)[pick % 3]!,
  }),
  (hub) => ({
    query: `query($hub: String!) { participants(first: 50, filter: { hubCode: $hub }) { totalCount nodes { email enrolments(first: 10) { nodes { status cohort { code } } } } } }`,
    variables: { hub },
    as: 'admin',
  }),
  () => ({
    query: `{ auditLog(first: 5) { nodes { action entityType entityId } } }`,
    variables: {},
    as: 'admin',
  }),
  (_h, _c, pick) => ({
    query: `{ viewer { role canSeePersonalData hub { code } } hubAreas { localAuthorityCode hub { code } } }`,
    variables: {},
    as: (['anonymous', 'wm1Staff', 'admin'] as const)[pick % 3]!,
  }),
  (hub, _c, pick) => ({
    query: `query($hubs: [String!], $groupBy: [StatsDimension!]!) { cohortStats(groupBy: $groupBy, filter: { hubCodes: $hubs }) {
      rows { key { academicYear } cohorts participants enrolments placesFilled withheld }
      total { cohorts participants enrolments placesFilled withheld } } }`,
    variables: pick % 2 === 0 ? { hubs: [hub], groupBy: ['ACADEMIC_YEAR'] } : { groupBy: ['HUB'] },
    as: (['anonymous', 'analyst', 'admin'] as const)[pick % 3]!,
  }),
  (hub, cohort, pick) => ({
    query: `query($hub: String!, $cohort: String!) { hub(code: $hub) { stats(academicYear: "2027/28") { cohorts enrolments placesFilled withheld } }
      cohort(code: $cohort) { stats { enrolments participants withheld } }
      programme(slug: "secondary-tfm-development") { stats { cohorts enrolments withheld } } }`,
    variables: { hub, cohort },
    as: (['anonymous', 'analyst'] as const)[pick % 2]!,
  }),
  (hub) => ({
    query: `query($hub: String!) { hubs(first: 10) { totalCount nodes { code cohorts(first: 5, filter: { recruiting: true }) { totalCount nodes { code capacity } } } }
      region(code: "WM") { hubs { code } } regions { code }
      programmes(first: 3) { nodes { slug cohorts(first: 5, filter: { hubCode: $hub }) { totalCount nodes { code status } } } } }`,
    variables: { hub },
    as: 'anonymous',
  }),
  (hub) => ({
    query: `query($hub: String!) { schools(first: 5, filter: { hubCode: $hub, phase: [SECONDARY] }) { nodes { urn hub { code } enrolments(first: 5) { totalCount nodes { status } } } } }`,
    variables: { hub },
    as: 'admin',
  }),
  () => ({
    query: `{ progression(fromProgramme: "secondary-tfm-development", toProgramme: "secondary-tfm-embedding-year-support", fromYear: "2026/27") { schools schoolsProgressed } }`,
    variables: {},
    as: 'analyst',
  }),
  (_h, _c, pick) => ({
    query: `query($groupBy: [StatsDimension!]!) { cohortStats(groupBy: $groupBy) { rows { enrolments participants withheld } total { enrolments participants withheld } } }`,
    variables: { groupBy: pick % 2 === 0 ? ['ROLE'] : ['REGION'] },
    as: (['anonymous', 'analyst', 'admin'] as const)[pick % 3]!,
    settles: true,
  }),
  // Last: given a cohort's global ID.
  (_h, cohort) => ({
    query: `query($id: ID!) { node(id: $id) { id ... on Cohort { code capacity status } } nodes(ids: [$id]) { id } }`,
    variables: { id: cohort },
    as: 'anonymous',
  }),
];

describe(`the response cache against a model: the same answers as no cache (${testDbKind()})`, () => {
  let api: TestApi;
  let reference: ReturnType<typeof createApp>;
  let cache: AnswerCache;
  let invalidate: AnswerCache['invalidate'];
  let today = SEED_TODAY;
  const successes = new Map<string, number>();

  beforeAll(async () => {
    api = await testApi({ limits: LIMITS, clock: () => today });
    // The reference: the same database, keys and clock, no response cache (what is compared with).
    reference = api.uncached();
    cache = api.sharedState.responseCache(60_000);
    invalidate = cache.invalidate;
  }, 180_000);
  afterAll(async () => {
    cache.invalidate = invalidate;
    await api?.close();
  });

  const ask = async (app: ReturnType<typeof createApp>, read: Read) => {
    const response = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: api.headersFor(read.as),
      body: JSON.stringify({ query: read.query, variables: read.variables }),
    });
    const body = (await response.json()) as any;
    return {
      status: response.status,
      data: body.data,
      errors: body.errors,
      hit: body.extensions?.responseCache?.hit,
    };
  };

  /** The cached app's answer must be the reference's (asked right after, with no write between). */
  const compare = async (read: Read) => {
    let cached = await ask(api.app, read);
    let plain = await ask(reference, read);
    // A standard view is refreshed within 5 s of a write: compared once it has been.
    for (let waited = 0; read.settles && waited < 6_000; waited += 200) {
      if (JSON.stringify(cached.data) === JSON.stringify(plain.data)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
      cached = await ask(api.app, read);
      plain = await ask(reference, read);
    }
    expect(
      { status: cached.status, data: cached.data, errors: cached.errors?.map((e: any) => e.message) },
      `${read.as}: ${read.query.slice(0, 80)} ${JSON.stringify(read.variables)} (hit: ${cached.hit})`,
    ).toEqual({ status: plain.status, data: plain.data, errors: plain.errors?.map((e: any) => e.message) });
    return cached;
  };

  const sql = <T>(text: string, params: unknown[] = []) => api.db.sql.query<T>(text, params);
  const cohortsOf = async (hub: Hub) =>
    (
      await sql<{ id: number; code: string }>(
        `SELECT c.id, c.code FROM cohort c JOIN hub h ON h.id = c.hub_id WHERE h.code = $1 ORDER BY c.id DESC LIMIT 12`,
        [hub],
      )
    ).map((c) => c);
  const pickOf = <T>(list: T[], pick: number): T | undefined => list[pick % Math.max(list.length, 1)];

  /** A mutation through the cached app (as every instance writes); counts the ones that changed something. */
  const mutate = async (name: string, query: string, input: Record<string, unknown> | null, as: Caller) => {
    const response = await api.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: api.headersFor(as),
      body: JSON.stringify({ query, variables: input ? { input } : {} }),
    });
    const body = (await response.json()) as any;
    expect(response.status, JSON.stringify(body.errors)).toBeLessThan(500);
    const payload = body.data?.[name];
    if (payload && payload.userErrors?.length === 0) successes.set(name, (successes.get(name) ?? 0) + 1);
    else if (process.env.DEBUG_MODEL)
      console.log(name, as, JSON.stringify(input).slice(0, 200), JSON.stringify(body).slice(0, 300));
  };

  const skipped = (why: string) => {
    if (process.env.DEBUG_MODEL) console.log('skipped', why);
  };
  type Write = (hub: Hub, pick: number) => Promise<void>;
  const WRITES: Record<string, Write> = {
    async createCohort(hub, pick) {
      const deadline = new Date(today.getTime() + (10 + (pick % 40)) * DAY);
      const startsOn = new Date(deadline.getTime() + 30 * DAY);
      // The academic year the first day falls in (September to August).
      const y = startsOn.getUTCFullYear() - (startsOn.getUTCMonth() < 8 ? 1 : 0);
      await mutate(
        'createCohort',
        `mutation($input: CreateCohortInput!) { createCohort(input: $input) { cohort { id } userErrors { code } } }`,
        {
          programmeSlug: 'secondary-tfm-development',
          hubCode: hub,
          academicYear: `${y}/${String((y + 1) % 100).padStart(2, '0')}`,
          name: `Model cohort ${pick}`,
          capacity: 2 + (pick % 5),
          applicationDeadline: isoDay(deadline),
          startsOn: isoDay(startsOn),
          endsOn: isoDay(new Date(startsOn.getTime() + 200 * DAY)),
        },
        pick % 7 === 0 ? 'analyst' : STAFF[hub],
      );
    },
    async updateCohort(hub, pick) {
      const [cohort] = await sql<{ id: number; status: string; places_taken: number }>(
        `SELECT c.id, c.status, c.places_taken FROM cohort c JOIN hub h ON h.id = c.hub_id
          WHERE h.code = $1 AND c.academic_year >= '2026/27' ORDER BY c.id DESC OFFSET $2 LIMIT 1`,
        [hub, pick % 6],
      );
      if (!cohort) return;
      const next: Record<string, string> = {
        PLANNED: 'RECRUITING',
        RECRUITING: 'RUNNING',
        RUNNING: 'COMPLETED',
      };
      const change = [
        { capacity: cohort.places_taken + 1 + (pick % 4) },
        { name: `Renamed ${pick}` },
        { applicationDeadline: isoDay(new Date(today.getTime() + (pick % 60) * DAY)) },
        next[cohort.status] ? { status: next[cohort.status] } : { name: `Renamed again ${pick}` },
      ][pick % 4]!;
      await mutate(
        'updateCohort',
        `mutation($input: UpdateCohortInput!) { updateCohort(input: $input) { cohort { id } userErrors { code } } }`,
        { cohortId: gid('Cohort', cohort.id), ...change },
        pick % 9 === 0 ? 'anonymous' : STAFF[hub],
      );
    },
    async submitApplication(hub, pick) {
      // A cohort of this hub taking applications today, else of any of the model's hubs.
      const [target] = await sql<{ code: string; hub_id: number }>(
        `SELECT c.code, c.hub_id FROM cohort c JOIN hub h ON h.id = c.hub_id JOIN programme p ON p.id = c.programme_id
          WHERE h.code = ANY($4) AND p.slug = 'secondary-tfm-development' AND c.status = 'RECRUITING'
            AND (c.application_deadline IS NULL OR c.application_deadline >= $2::date)
          ORDER BY h.code = $1 DESC, c.id DESC OFFSET $3 LIMIT 1`,
        [hub, isoDay(today), pick % 3, [...HUBS]],
      );
      if (!target) return skipped('submitApplication: no cohort');
      const [school] = await sql<{ urn: string }>(
        `SELECT s.urn FROM school s WHERE s.hub_id = $1 AND s.phase = 'SECONDARY' AND s.state_funded AND s.status = 'OPEN'
            AND NOT EXISTS (SELECT 1 FROM application a JOIN cohort c ON c.id = a.cohort_id WHERE a.school_id = s.id AND c.code = $2)
          ORDER BY s.urn OFFSET $3 LIMIT 1`,
        [target.hub_id, target.code, pick % 20],
      );
      if (!school) return skipped('submitApplication: no school');
      const form = applicationForm(target.code, school.urn);
      const unique = randomUUID().slice(0, 8);
      form.advocates = form.advocates.map((a, i) => ({
        ...a,
        email: `model.${unique}.${i}@school.example.org`,
      }));
      await mutate(
        'submitApplication',
        `mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { application { id } userErrors { code } } }`,
        form,
        'anonymous',
      );
    },
    async decideApplication(hub, pick) {
      const [application] = await sql<{ id: number; hub: Hub }>(
        `SELECT a.id, h.code AS hub FROM application a JOIN cohort c ON c.id = a.cohort_id JOIN hub h ON h.id = c.hub_id
          WHERE h.code = ANY($3) AND a.status IN ('SUBMITTED', 'WAITLISTED')
          ORDER BY h.code = $1 DESC, a.id DESC OFFSET $2 LIMIT 1`,
        [hub, pick % 4, [...HUBS]],
      );
      if (!application) return skipped('decideApplication: none');
      await mutate(
        'decideApplication',
        `mutation($input: DecideApplicationInput!) { decideApplication(input: $input) { application { id } userErrors { code } } }`,
        {
          applicationId: gid('Application', application.id),
          decision: ['ACCEPT', 'ACCEPT', 'DECLINE', 'WAITLIST'][pick % 4],
        },
        pick % 8 === 0 ? 'analyst' : STAFF[application.hub],
      );
    },
    async withdrawApplication(hub, pick) {
      const [application] = await sql<{ id: number; hub: Hub }>(
        `SELECT a.id, h.code AS hub FROM application a JOIN cohort c ON c.id = a.cohort_id JOIN hub h ON h.id = c.hub_id
          WHERE h.code = ANY($3) AND a.status IN ('SUBMITTED', 'WAITLISTED', 'ACCEPTED')
          ORDER BY h.code = $1 DESC, a.id DESC OFFSET $2 LIMIT 1`,
        [hub, pick % 5, [...HUBS]],
      );
      if (!application) return skipped('withdrawApplication: none');
      await mutate(
        'withdrawApplication',
        `mutation($input: WithdrawApplicationInput!) { withdrawApplication(input: $input) { application { id } userErrors { code } } }`,
        { applicationId: gid('Application', application.id) },
        STAFF[application.hub],
      );
    },
    async updateEnrolmentStatus(hub, pick) {
      const [enrolment] = await sql<{ id: number; status: string }>(
        `SELECT e.id, e.status FROM enrolment e JOIN cohort c ON c.id = e.cohort_id JOIN hub h ON h.id = c.hub_id
          WHERE h.code = $1 AND e.status IN ('ACCEPTED', 'ACTIVE') ORDER BY e.id DESC OFFSET $2 LIMIT 1`,
        [hub, pick % 10],
      );
      if (!enrolment) return;
      const status = enrolment.status === 'ACCEPTED' ? 'ACTIVE' : pick % 2 === 0 ? 'COMPLETED' : 'WITHDRAWN';
      await mutate(
        'updateEnrolmentStatus',
        `mutation($input: UpdateEnrolmentStatusInput!) { updateEnrolmentStatus(input: $input) { enrolment { id } userErrors { code } } }`,
        { enrolmentId: gid('Enrolment', enrolment.id), status },
        STAFF[hub],
      );
    },
    async scheduleSession(hub, pick) {
      const cohort = pickOf(
        await sql<{ id: number; starts_on: Date; ends_on: Date }>(
          `SELECT c.id, c.starts_on, c.ends_on FROM cohort c JOIN hub h ON h.id = c.hub_id
            WHERE h.code = $1 AND c.status IN ('RECRUITING', 'RUNNING') AND c.starts_on IS NOT NULL AND c.ends_on IS NOT NULL
            ORDER BY c.id DESC LIMIT 8`,
          [hub],
        ),
        pick,
      );
      if (!cohort) return;
      const span = Math.max(new Date(cohort.ends_on).getTime() - new Date(cohort.starts_on).getTime(), 0);
      await mutate(
        'scheduleSession',
        `mutation($input: ScheduleSessionInput!) { scheduleSession(input: $input) { session { id } userErrors { code } } }`,
        {
          cohortId: gid('Cohort', cohort.id),
          kind: 'WORKSHOP',
          title: `Model session ${pick}`,
          startsAt: new Date(
            new Date(cohort.starts_on).getTime() +
              ((pick * 7_919_000_003) % Math.max(span, 1)) +
              9 * 3_600_000,
          ).toISOString(),
          durationMinutes: 60,
          mode: 'ONLINE',
        },
        STAFF[hub],
      );
    },
    async recordAttendance(hub, pick) {
      const rows = await sql<{ session: number; enrolment: number }>(
        `SELECT s.id AS session, e.id AS enrolment FROM session s JOIN cohort c ON c.id = s.cohort_id
           JOIN hub h ON h.id = c.hub_id JOIN enrolment e ON e.cohort_id = c.id
          WHERE h.code = $1 AND s.starts_at <= $2 AND e.status IN ('ACCEPTED', 'ACTIVE', 'COMPLETED')
          ORDER BY s.starts_at DESC, e.id LIMIT 6`,
        [hub, today],
      );
      const first = pickOf(rows, pick);
      if (!first) return;
      await mutate(
        'recordAttendance',
        `mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { recorded userErrors { code } } }`,
        {
          sessionId: gid('Session', first.session),
          records: rows
            .filter((r) => r.session === first.session)
            .map((r, i) => ({
              enrolmentId: gid('Enrolment', r.enrolment),
              status: (pick + i) % 2 ? 'PRESENT' : 'ABSENT',
            })),
        },
        STAFF[hub],
      );
    },
    async createApiKey(_hub, pick) {
      await mutate(
        'createApiKey',
        `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret userErrors { code } } }`,
        { role: 'ANALYST', label: `model ${pick}` },
        'admin',
      );
    },
    async revokeApiKey(_hub, pick) {
      const [key] = await sql<{ id: number }>(
        `SELECT id FROM api_key WHERE label LIKE 'model %' AND revoked_at IS NULL ORDER BY id OFFSET $1 LIMIT 1`,
        [pick % 3],
      );
      if (!key) return;
      await mutate(
        'revokeApiKey',
        `mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { apiKey { id } userErrors { code } } }`,
        { id: gid('ApiKey', key.id) },
        'admin',
      );
    },
    async setHubArea(hub, pick) {
      await mutate(
        'setHubArea',
        `mutation($input: SetHubAreaInput!) { setHubArea(input: $input) { hubArea { localAuthorityCode } userErrors { code } } }`,
        {
          localAuthorityCode: String(990 + (pick % 5)),
          localAuthority: `Model area ${pick % 5}`,
          hubCode: hub,
        },
        'admin',
      );
    },
  };

  const WRITE_NAMES = Object.keys(WRITES);
  const hub = fc.constantFrom(...HUBS);
  const pick = fc.nat({ max: 1_000 });
  const commands = [
    // Reads are the most common, as in the season.
    fc.tuple(fc.nat({ max: READS.length - 1 }), hub, pick).map(([which, h, p]) => ({
      check: () => true,
      async run() {
        const cohort = pickOf(await cohortsOf(h), p);
        const code = cohort?.code ?? 'NONE';
        const read = READS[which]!(h, which === READS.length - 1 ? gid('Cohort', cohort?.id ?? 0) : code, p);
        await compare(read);
        await compare(read); // again: now possibly from the cache
      },
      toString: () => `read ${which} ${h} ${p}`,
    })),
    fc.tuple(fc.constantFrom(...Object.keys(WRITES)), hub, pick).map(([name, h, p]) => ({
      check: () => true,
      run: () => WRITES[name]!(h, p),
      toString: () => `${name} ${h} ${p}`,
    })),
    // Reads in flight while a write commits: whatever they answered, what is stored after must be current.
    fc.tuple(fc.constantFrom(...Object.keys(WRITES)), hub, pick).map(([name, h, p]) => ({
      check: () => true,
      async run() {
        const cohort = pickOf(await cohortsOf(h), p);
        const reads = [0, 1, 2, 5].map((i) => READS[i]!(h, cohort?.code ?? 'NONE', p));
        await Promise.all([
          ...reads.map((r) => ask(api.app, r)),
          WRITES[name]!(h, p),
          ...reads.map((r) => ask(api.app, r)),
        ]);
        for (const read of reads) await compare(read);
      },
      toString: () => `concurrently ${name} ${h} ${p}`,
    })),
    // The clock moves on, past deadlines: "recruiting" changes with no write at all.
    fc.integer({ min: 1, max: 45 }).map((days) => ({
      check: () => today.getTime() < SEED_TODAY.getTime() + 120 * DAY,
      async run() {
        today = new Date(today.getTime() + days * DAY);
      },
      toString: () => `clock +${days} days`,
    })),
    // Precision: a write in one hub leaves another hub's cached page a hit.
    fc
      .tuple(hub, hub, pick)
      .filter(([a, b]) => a !== b)
      .map(([kept, written, p]) => ({
        check: () => true,
        async run() {
          const page = READS[0]!(kept, '', p);
          let warm = false;
          for (let i = 0; i < 80 && !warm; i++) warm = (await compare(page)).hit === true;
          expect(warm, `${kept}'s page reached the cache`).toBe(true);
          const cohort = pickOf(await cohortsOf(written), p);
          await mutate(
            'updateCohort',
            `mutation($input: UpdateCohortInput!) { updateCohort(input: $input) { cohort { id } userErrors { code } } }`,
            { cohortId: gid('Cohort', cohort!.id), name: `Precision ${p}` },
            'admin',
          );
          expect((await compare(page)).hit, `a write in ${written} kept ${kept}'s cached page`).toBe(true);
        },
        toString: () => `precision: write ${written}, keep ${kept} (${p})`,
      })),
  ];

  const property = (runs: number) =>
    fc.check(
      fc.asyncProperty(
        // Each sequence opens with one of every write, somewhere, on the seed's day (when there is
        // something for each to change), so that every mutation succeeds several times a run.
        fc.array(fc.tuple(hub, pick), { minLength: WRITE_NAMES.length, maxLength: WRITE_NAMES.length }),
        fc.commands(commands, { maxCommands: 40, size: 'large' }),
        async (opening, cmds) => {
          today = SEED_TODAY; // each sequence starts on the seed's day (and may go back to it)
          for (const [i, name] of WRITE_NAMES.entries()) await WRITES[name]!(...opening[i]!);
          await fc.asyncModelRun(() => ({ model: {}, real: {} }), cmds);
        },
      ),
      {
        numRuns: runs,
        endOnFailure: true,
        seed: Number(process.env.CACHE_MODEL_SEED ?? Date.now() % 2 ** 31),
      },
    );

  it('answers every read as the app without a cache does, and keeps what a write did not touch', async () => {
    const result = await property(RUNS);
    if (result.failed) throw new Error(fc.defaultReportMessage(result) ?? 'the model failed');
    if (process.env.DEBUG_MODEL) console.log(successes);
    // Every kind of write changed something several times, or the comparison proved little.
    for (const name of Object.keys(WRITES))
      expect(successes.get(name) ?? 0, `${name} succeeded`).toBeGreaterThanOrEqual(3);
  }, 900_000);

  it('fails when invalidation is a no-op', async () => {
    cache.invalidate = async () => {};
    try {
      const result = await property(RUNS * 3);
      expect(result.failed).toBe(true);
      expect(String(result.errorInstance)).toMatch(/hit: true\).*to deeply equal/s);
    } finally {
      cache.invalidate = invalidate;
      await invalidate(['*']); // what the sabotaged run left behind
    }
  }, 900_000);

  it('fails the precision check when a write drops everything', async () => {
    cache.invalidate = (tags) => invalidate(tags.length > 0 ? ['*'] : []);
    try {
      const result = await property(RUNS * 3);
      expect(result.failed).toBe(true);
      expect(String(result.errorInstance)).toMatch(/kept .*'s cached page/);
    } finally {
      cache.invalidate = invalidate;
    }
  }, 900_000);
});
