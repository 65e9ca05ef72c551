// Batching for what Prisma's relation loading cannot do: computed values and authorisation facts.
// One DataLoader set per request; each turns N lookups into one parameterised SQL statement.
import type { PrismaClient, School } from '@maths-hubs/db/client';
import DataLoader from 'dataloader';

function byKey<K, V>(keys: readonly K[], rows: { key: K; value: V }[], missing: V): V[] {
  const map = new Map(rows.map((r) => [r.key, r.value]));
  return keys.map((k) => map.get(k) ?? missing);
}

/**
 * Schools linked to each URN (school_link is keyed by URN, so Prisma has no relation for it): two
 * statements for the whole batch, the links and then the schools, oldest link first.
 */
async function linkedSchools(
  prisma: PrismaClient,
  urns: readonly string[],
  which: 'predecessors' | 'successors',
): Promise<School[][]> {
  const links =
    which === 'predecessors'
      ? await prisma.$queryRaw<{ key: string; urn: string }[]>`
          SELECT successor_urn AS key, predecessor_urn AS urn FROM school_link
           WHERE successor_urn = ANY(${[...urns]}::text[]) ORDER BY linked_on NULLS FIRST, predecessor_urn`
      : await prisma.$queryRaw<{ key: string; urn: string }[]>`
          SELECT predecessor_urn AS key, successor_urn AS urn FROM school_link
           WHERE predecessor_urn = ANY(${[...urns]}::text[]) ORDER BY linked_on NULLS FIRST, successor_urn`;
  if (links.length === 0) return urns.map(() => []);
  const schools = await prisma.school.findMany({ where: { urn: { in: links.map((l) => l.urn) } } });
  const byUrn = new Map(schools.map((s) => [s.urn, s]));
  const linked = new Map<string, School[]>();
  for (const link of links) {
    const school = byUrn.get(link.urn); // a linked URN outside the import has no row
    if (school) linked.set(link.key, [...(linked.get(link.key) ?? []), school]);
  }
  return urns.map((urn) => linked.get(urn) ?? []);
}

export function createLoaders(prisma: PrismaClient) {
  return {
    /** The hubs a participant belongs to: their school's hub and the hubs of cohorts they joined. */
    participantHubIds: new DataLoader<number, number[]>(async (ids) => {
      const rows = await prisma.$queryRaw<{ key: number; value: number[] }[]>`
        SELECT p.id AS key, array_remove(array_agg(DISTINCT h.hub_id), NULL) AS value
          FROM participant p
          LEFT JOIN LATERAL (
            SELECT s.hub_id FROM school s WHERE s.id = p.school_id
            UNION SELECT c.hub_id FROM enrolment e JOIN cohort c ON c.id = e.cohort_id WHERE e.participant_id = p.id
          ) h ON true
         WHERE p.id = ANY(${[...ids]}::int[]) GROUP BY p.id`;
      return byKey(ids, rows, []);
    }),
    /** A cohort's hub (null for national runs). */
    cohortHubId: new DataLoader<number, number | null>(async (ids) => {
      const rows = await prisma.cohort.findMany({
        where: { id: { in: [...ids] } },
        select: { id: true, hubId: true },
      });
      return byKey(
        ids,
        rows.map((r) => ({ key: r.id, value: r.hubId })),
        null,
      );
    }),
    /** The schools that became this one, by its URN: its predecessors in the register's links. */
    schoolPredecessors: new DataLoader<string, School[]>((urns) =>
      linkedSchools(prisma, urns, 'predecessors'),
    ),
    /** The schools this one became, by its URN: its successors in the register's links. */
    schoolSuccessors: new DataLoader<string, School[]>((urns) => linkedSchools(prisma, urns, 'successors')),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
