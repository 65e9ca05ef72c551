// What a cached answer depends on, and what a write changed, in one vocabulary of tags, so that a
// write drops exactly the cached answers it can change, whatever those answers selected.
//
//   "Cohort:12"            the cohort's own fields (places, status, dates…): every answer showing it
//   "Cohort@Hub:3"         which cohorts hub 3's lists hold (and in what order): its lists and counts
//   "Cohort@Query"         the root lists and lookups of cohorts (a new code may now be found)
//   "Stats@Hub:3", …       statistics computed from hub 3's enrolments (see statsTags)
//   "*"                    everything (writes too rare to be worth describing: keys, hub areas)
//
// Reads are tagged by the schema itself (tagReads wraps the resolvers once, at build): a field that
// returns an object with an id tags it, a list or root field tags its membership. Writes are
// described after they commit, from the changes `audit` recorded (invalidationTags), so that a
// mutation that changed nothing (only userErrors, or an error) drops nothing.
import {
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import type { Context } from './context.ts';

/** Every answer depends on this tag: bumping it drops everything. */
export const EVERYTHING = '*';
/** An answer carrying this tag is never stored (it shows something no tag describes). */
export const UNCACHEABLE = '!uncacheable';

/** A change a mutation committed, as its audit entry records it. */
export interface Change {
  action: string;
  entityType: string;
  entityId: string;
  after: unknown;
}

/** Records that the answer being computed depends on these tags (no-op when it will not be cached). */
export function dependsOn(ctx: Pick<Context, 'cacheTags'>, ...tags: string[]): void {
  if (ctx.cacheTags) for (const tag of tags) ctx.cacheTags.add(tag);
}

// ───────────── reads ─────────────

const isList = (type: GraphQLOutputType): boolean =>
  isNonNullType(type) ? isList(type.ofType) : isListType(type);

/** The element type of a Relay connection type (its edges' node), or null. */
function connectionElement(type: GraphQLNamedType): GraphQLNamedType | null {
  if (!isObjectType(type) || !type.name.endsWith('Connection')) return null;
  const edges = type.getFields().edges;
  if (!edges) return null;
  const edge = getNamedType(edges.type);
  return isObjectType(edge) && edge.getFields().node ? getNamedType(edge.getFields().node!.type) : null;
}

function tagValue(tags: Set<string>, typename: string, value: unknown): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const item of value) tagValue(tags, typename, item);
    return;
  }
  const id = (value as { id?: unknown }).id;
  // An object without its id cannot be told apart from others: never store such an answer.
  tags.add(id === undefined ? UNCACHEABLE : `${typename}:${id}`);
}

function wrap(
  field: GraphQLField<unknown, Context>,
  before: ((parent: unknown, args: Record<string, unknown>, tags: Set<string>) => void) | null,
  after: ((value: unknown, tags: Set<string>) => void) | null,
): void {
  const resolve: GraphQLFieldResolver<unknown, Context> =
    field.resolve ?? ((parent) => (parent as Record<string, unknown> | null)?.[field.name]);
  field.resolve = (parent, args, ctx, info) => {
    const tags = ctx.cacheTags;
    if (!tags) return resolve(parent, args, ctx, info);
    before?.(parent, args, tags);
    const value = resolve(parent, args, ctx, info);
    if (!after) return value;
    // Prisma answers with a thenable of its own, not a Promise.
    if (typeof (value as { then?: unknown } | null)?.then === 'function')
      return (value as PromiseLike<unknown>).then((v) => {
        after(v, tags);
        return v;
      });
    after(value, tags);
    return value;
  };
}

/**
 * Makes every answer carry the tags of what it shows: called once on the built schema. Entity
 * types are the object types with an `id` field (the Relay nodes); values of an interface (node)
 * are tagged by the interface's type resolution.
 */
export function tagReads(schema: GraphQLSchema): GraphQLSchema {
  const entities = new Set(
    Object.values(schema.getTypeMap())
      .filter((t) => isObjectType(t) && !t.name.startsWith('__') && t.getFields().id)
      .map((t) => t.name),
  );
  const rootTypes = new Set(
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].map((t) => t?.name),
  );
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isAbstractType(type) && type.resolveType) {
      const resolveType = type.resolveType;
      type.resolveType = (value, ctx: Context, info, abstractType) => {
        const resolved = resolveType(value, ctx, info, abstractType);
        if (ctx.cacheTags && typeof resolved === 'string') tagValue(ctx.cacheTags, resolved, value);
        return resolved;
      };
      continue;
    }
    if (!isObjectType(type)) continue;
    const root = rootTypes.has(type.name);
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      const element = connectionElement(named) ?? named;
      const entity = entities.has(named.name);
      const list = isList(field.type) || element !== named;
      // Membership: root fields (lists, and lookups that may find something new) and lists.
      const membership =
        (root || list) && (isObjectType(element) || isAbstractType(element))
          ? root
            ? (_p: unknown, _a: unknown, tags: Set<string>) => tags.add(`${element.name}@Query`)
            : (parent: unknown, _a: unknown, tags: Set<string>) => {
                // A list inside a value without an id (a connection, a row) is part of that value.
                const id = (parent as { id?: unknown } | null)?.id;
                if (id !== undefined) tags.add(`${element.name}@${type.name}:${id}`);
              }
          : null;
      const own = entity ? (value: unknown, tags: Set<string>) => tagValue(tags, named.name, value) : null;
      if (membership || own) wrap(field as GraphQLField<unknown, Context>, membership, own);
    }
  }
  return schema;
}

// ───────────── statistics ─────────────

/** The cells of statistics a cohort's enrolments count in. */
export interface StatsScope {
  hubId: number | null;
  hubCode: string | null;
  regionCode: string | null;
  programmeId: number;
  programmeSlug: string;
  academicYear: string;
}

/** What a write to a cohort's figures changes in statistics: every table it counts in. */
export function statsTags(scope: StatsScope): string[] {
  return [
    'Stats@All',
    `Stats@Hub:${scope.hubId}`,
    `Stats@HubCode:${scope.hubCode}`,
    `Stats@Region:${scope.regionCode}`,
    `Stats@Programme:${scope.programmeId}`,
    `Stats@ProgrammeSlug:${scope.programmeSlug}`,
    `Stats@Year:${scope.academicYear}`,
  ];
}

/**
 * What an answer of statistics over `filter` depends on: one dimension the filter narrows to
 * (any write counted in it is in one of these cells), else all of them.
 */
export function statsFilterTags(filter: {
  hubCodes?: readonly string[] | null;
  programmeSlugs?: readonly string[] | null;
  regionCodes?: readonly string[] | null;
  academicYearFrom?: string | null;
  academicYearTo?: string | null;
}): string[] {
  const norm = (list: readonly string[], f: (s: string) => string) => [...new Set(list.map(f))];
  if (filter.hubCodes?.length)
    return norm(filter.hubCodes, (c) => c.trim().toUpperCase()).map((c) => `Stats@HubCode:${c}`);
  if (filter.programmeSlugs?.length)
    return norm(filter.programmeSlugs, (s) => s.trim().toLowerCase()).map((s) => `Stats@ProgrammeSlug:${s}`);
  if (filter.regionCodes?.length)
    return norm(filter.regionCodes, (c) => c.trim().toUpperCase()).map((c) => `Stats@Region:${c}`);
  const { academicYearFrom: from, academicYearTo: to } = filter;
  if (from && to && from <= to) {
    const years: string[] = [];
    for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)) && years.length < 50; y++)
      years.push(`Stats@Year:${y}/${String((y + 1) % 100).padStart(2, '0')}`);
    return years;
  }
  return ['Stats@All'];
}

// ───────────── writes ─────────────

/** Cohort fields that decide which lists hold a cohort and in what order. */
const MEMBERSHIP_FIELDS = new Set(['status', 'applicationDeadline', 'startsOn', 'academicYear', 'code']);

type Prisma = Context['prisma'];

async function cohortScope(prisma: Prisma, id: number) {
  const cohort = await prisma.cohort.findUnique({
    where: { id },
    select: {
      id: true,
      hubId: true,
      regionId: true,
      programmeId: true,
      academicYear: true,
      hub: { select: { code: true } },
      region: { select: { code: true } },
      programme: { select: { slug: true } },
    },
  });
  if (!cohort) return null;
  const scope: StatsScope = {
    hubId: cohort.hubId,
    hubCode: cohort.hub?.code ?? null,
    regionCode: cohort.region?.code ?? null,
    programmeId: cohort.programmeId,
    programmeSlug: cohort.programme.slug,
    academicYear: cohort.academicYear,
  };
  return { ...cohort, scope };
}

/** Tags of a cohort's membership in every list that can hold it. */
function cohortLists(c: { hubId: number | null; regionId: number | null; programmeId: number }) {
  return [
    'Cohort@Query',
    'Node@Query',
    `Cohort@Hub:${c.hubId}`,
    `Cohort@Region:${c.regionId}`,
    `Cohort@Programme:${c.programmeId}`,
  ];
}

/** Tags of the enrolments of one application (or all of one cohort), their people and lists. */
async function enrolmentTags(prisma: Prisma, where: { applicationId: number } | { cohortId: number }) {
  const enrolments = await prisma.enrolment.findMany({
    where,
    select: { id: true, cohortId: true, participantId: true, schoolId: true, applicationId: true },
  });
  const tags = ['Enrolment@Query', 'Participant@Query', 'Node@Query'];
  for (const e of enrolments)
    tags.push(
      `Enrolment:${e.id}`,
      `Participant:${e.participantId}`,
      `Enrolment@Cohort:${e.cohortId}`,
      `Enrolment@Participant:${e.participantId}`,
      `Enrolment@School:${e.schoolId}`,
      `Enrolment@Application:${e.applicationId}`,
      `Participant@School:${e.schoolId}`,
      `Attendance@Enrolment:${e.id}`,
    );
  return tags;
}

/** What one committed change can have changed in any answer. */
async function changeTags(prisma: Prisma, change: Change): Promise<string[]> {
  const id = Number(change.entityId);
  switch (change.action) {
    case 'createCohort':
    case 'updateCohort': {
      const cohort = await cohortScope(prisma, id);
      if (!cohort) return [EVERYTHING];
      const changed = Object.keys((change.after as Record<string, unknown> | null) ?? {});
      const moves = change.action === 'createCohort' || changed.some((k) => MEMBERSHIP_FIELDS.has(k));
      return [
        `Cohort:${id}`,
        ...(moves ? cohortLists(cohort) : []),
        ...statsTags(cohort.scope),
        `Stats@Cohort:${id}`,
      ];
    }
    case 'submitApplication':
    case 'decideApplication':
    case 'withdrawApplication': {
      const application = await prisma.application.findUnique({
        where: { id },
        select: { cohortId: true, schoolId: true },
      });
      const cohort = application && (await cohortScope(prisma, application.cohortId));
      if (!application || !cohort) return [EVERYTHING];
      return [
        `Application:${id}`,
        `Cohort:${cohort.id}`,
        'Application@Query',
        'Node@Query',
        `Application@Cohort:${cohort.id}`,
        `Application@School:${application.schoolId}`,
        ...(await enrolmentTags(prisma, { applicationId: id })),
        ...statsTags(cohort.scope),
      ];
    }
    case 'updateEnrolmentStatus': {
      const enrolment = await prisma.enrolment.findUnique({ where: { id }, select: { cohortId: true } });
      const cohort = enrolment && (await cohortScope(prisma, enrolment.cohortId));
      if (!cohort) return [EVERYTHING];
      return [
        `Enrolment:${id}`,
        ...(await enrolmentTags(prisma, { cohortId: cohort.id })),
        ...statsTags(cohort.scope),
      ];
    }
    case 'scheduleSession':
    case 'recordAttendance': {
      const session = await prisma.session.findUnique({ where: { id }, select: { cohortId: true } });
      const cohort = session && (await cohortScope(prisma, session.cohortId));
      if (!cohort) return [EVERYTHING];
      return [
        `Session:${id}`,
        'Session@Query',
        'Node@Query',
        `Session@Cohort:${cohort.id}`,
        `Attendance@Session:${id}`,
        ...(change.action === 'recordAttendance' ? await enrolmentTags(prisma, { cohortId: cohort.id }) : []),
        ...statsTags(cohort.scope),
      ];
    }
    default:
      // Keys and hub areas: rare, and they reach far (viewers, schools moving between hubs).
      return [EVERYTHING];
  }
}

/** Every tag the committed changes of one request invalidate; none when nothing changed. */
export async function invalidationTags(prisma: Prisma, changes: readonly Change[]): Promise<string[]> {
  if (changes.length === 0) return [];
  const tags = new Set<string>(['AuditEntry@Query']);
  for (const change of changes) for (const tag of await changeTags(prisma, change)) tags.add(tag);
  return tags.has(EVERYTHING) ? [EVERYTHING] : [...tags];
}
