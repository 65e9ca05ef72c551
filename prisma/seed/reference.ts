// Layer 1: reference facts from the programme documents — regions, hubs and their 2019
// predecessors, programmes (codes, statuses, rules, outcomes, funding, progression) and the two
// cohorts the documents name. Idempotent: every row is upserted by its natural key, and child
// lists are trimmed to what the data says, so re-running converges on the same state.
import type { PrismaClient } from '../generated/client/client.ts';
import { hubPredecessors, hubs, regions } from './data/hubs.ts';
import { programmes } from './data/programmes.ts';

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

const date = (iso: string | null) => (iso === null ? null : new Date(`${iso}T00:00:00Z`));

/** The cohorts the documents name. Anything not stated is marked as our assumption. */
export const documentedCohorts = [
  {
    code: 'NAT-SEC-MS-C4-2019-20',
    name: 'Secondary Mastery Specialists Cohort 4 (2019/20)',
    programmeSlug: 'secondary-mastery-specialist',
    hubCode: null,
    academicYear: '2019/20',
    status: 'COMPLETED',
    // Assumption: up to four lead teachers from each of the 35 hubs of 2019 (the rule stated
    // for Cohort 1); the documents give no figure for Cohort 4.
    capacity: 140,
    applicationDeadline: '2019-04-26',
    // A three-year programme beginning in autumn 2019.
    startsOn: '2019-09-01',
    endsOn: '2022-07-31',
    areasServed: [],
  },
  {
    code: 'WM1-SEC-TFM-DEV-2024-25',
    name: 'Central Maths Hub Secondary Teaching for Mastery Work Group 2024/25',
    programmeSlug: 'secondary-tfm-development',
    hubCode: 'WM1',
    academicYear: '2024/25',
    status: 'COMPLETED',
    // Assumption: the pack gives no number of places; four Work Groups of two departments each.
    capacity: 8,
    applicationDeadline: '2024-06-28',
    // Meetings run from September 2024 to July 2025.
    startsOn: '2024-09-01',
    endsOn: '2025-07-31',
    areasServed: ['Birmingham', 'Sandwell', 'Dudley'],
  },
] as const;

/**
 * The local authorities a hub is known to serve, by the register's LA code (GIAS.md): only WM1's,
 * from its 2024/25 Work Group pack. National admins add the rest (setHubArea, or
 * `pnpm db:import-hub-areas`); a mapping already made is never overwritten here.
 */
export const knownHubAreas = [
  { hubCode: 'WM1', localAuthorityCode: '330', localAuthority: 'Birmingham' },
  { hubCode: 'WM1', localAuthorityCode: '333', localAuthority: 'Sandwell' },
  { hubCode: 'WM1', localAuthorityCode: '332', localAuthority: 'Dudley' },
] as const;

async function seedGeography(tx: Tx) {
  const regionIds = new Map<string, number>();
  for (const r of regions) {
    const row = await tx.region.upsert({
      where: { code: r.code },
      create: r,
      update: { name: r.name, sortOrder: r.sortOrder },
    });
    regionIds.set(r.code, row.id);
  }
  const hubIds = new Map<string, number>();
  for (const h of hubs) {
    const { leadOrganisations, regionCode, ...fields } = h;
    const data = { ...fields, regionId: regionIds.get(regionCode)! };
    const row = await tx.hub.upsert({ where: { code: h.code }, create: data, update: data });
    hubIds.set(h.code, row.id);
    await tx.hubLeadOrganisation.deleteMany({
      where: {
        hubId: row.id,
        NOT: { OR: leadOrganisations.map((l) => ({ academicYear: l.academicYear, name: l.name })) },
      },
    });
    for (const lead of leadOrganisations) {
      await tx.hubLeadOrganisation.upsert({
        where: {
          hubId_academicYear_name: { hubId: row.id, academicYear: lead.academicYear, name: lead.name },
        },
        create: { ...lead, hubId: row.id },
        update: { town: lead.town, inferred: lead.inferred },
      });
    }
  }
  await tx.hubArea.createMany({
    data: knownHubAreas.map(({ hubCode, ...area }) => ({ ...area, hubId: hubIds.get(hubCode)! })),
    skipDuplicates: true,
  });
  for (const p of hubPredecessors) {
    const { regionCode, successorCode, ...fields } = p;
    const data = {
      ...fields,
      regionId: regionIds.get(regionCode)!,
      successorHubId: successorCode === null ? null : hubIds.get(successorCode)!,
    };
    await tx.hubPredecessor.upsert({
      where: { listedIn_name: { listedIn: p.listedIn, name: p.name } },
      create: data,
      update: data,
    });
  }
  return hubIds;
}

async function seedProgrammes(tx: Tx) {
  const ids = new Map<string, number>();
  for (const p of programmes) {
    const data = {
      slug: p.slug,
      shortCode: p.shortCode,
      name: p.name,
      family: p.family,
      phase: p.phase,
      kind: p.kind,
      masteryPhase: p.masteryPhase,
      status: p.status,
      summary: p.summary,
      audience: p.audience,
      outcomes: p.outcomes,
      timeCommitment: p.timeCommitment,
      fullyFunded: p.fullyFunded,
    };
    const row = await tx.programme.upsert({ where: { slug: p.slug }, create: data, update: data });
    ids.set(p.slug, row.id);
  }
  const idOf = (slug: string) => {
    const id = ids.get(slug);
    if (id === undefined) throw new Error(`Reference data names an unknown programme: ${slug}`);
    return id;
  };

  for (const p of programmes) {
    const programmeId = idOf(p.slug);
    await tx.programme.update({
      where: { id: programmeId },
      data: { replacedById: p.replacedBy === null ? null : idOf(p.replacedBy) },
    });

    await tx.programmeYear.deleteMany({
      where: { programmeId, academicYear: { notIn: p.years.map((y) => y.academicYear) } },
    });
    for (const y of p.years) {
      const data = {
        projectCode: y.projectCode,
        status: y.status,
        applicationDeadline: date(y.applicationDeadline),
      };
      await tx.programmeYear.upsert({
        where: { programmeId_academicYear: { programmeId, academicYear: y.academicYear } },
        create: { programmeId, academicYear: y.academicYear, ...data },
        update: data,
      });
    }

    await tx.eligibilityRule.deleteMany({ where: { programmeId, position: { gte: p.eligibility.length } } });
    for (const [position, rule] of p.eligibility.entries()) {
      const data = {
        kind: rule.kind,
        description: rule.description,
        schoolPhases: rule.schoolPhases ?? [],
        requiredProgrammeId: rule.requiredProgramme ? idOf(rule.requiredProgramme) : null,
      };
      await tx.eligibilityRule.upsert({
        where: { programmeId_position: { programmeId, position } },
        create: { programmeId, position, ...data },
        update: data,
      });
    }

    await tx.fundingLine.deleteMany({ where: { programmeId, position: { gte: p.funding.length } } });
    for (const [position, line] of p.funding.entries()) {
      await tx.fundingLine.upsert({
        where: { programmeId_position: { programmeId, position } },
        create: { programmeId, position, ...line },
        update: line,
      });
    }

    const toIds = p.leadsTo.map((l) => idOf(l.programme));
    await tx.programmeLink.deleteMany({ where: { fromId: programmeId, toId: { notIn: toIds } } });
    for (const link of p.leadsTo) {
      const toId = idOf(link.programme);
      await tx.programmeLink.upsert({
        where: { fromId_toId: { fromId: programmeId, toId } },
        create: { fromId: programmeId, toId, required: link.required, rule: link.rule },
        update: { required: link.required, rule: link.rule },
      });
    }
  }
  return ids;
}

async function seedDocumentedCohorts(tx: Tx, hubIds: Map<string, number>, programmeIds: Map<string, number>) {
  for (const c of documentedCohorts) {
    const data = {
      name: c.name,
      programmeId: programmeIds.get(c.programmeSlug)!,
      hubId: c.hubCode === null ? null : hubIds.get(c.hubCode)!,
      academicYear: c.academicYear,
      status: c.status,
      capacity: c.capacity,
      applicationDeadline: date(c.applicationDeadline),
      startsOn: date(c.startsOn),
      endsOn: date(c.endsOn),
      areasServed: [...c.areasServed],
    };
    await tx.cohort.upsert({ where: { code: c.code }, create: { code: c.code, ...data }, update: data });
  }
}

export async function seedReference(prisma: PrismaClient): Promise<void> {
  await prisma.$transaction(
    async (tx) => {
      const hubIds = await seedGeography(tx);
      const programmeIds = await seedProgrammes(tx);
      await seedDocumentedCohorts(tx, hubIds, programmeIds);
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
