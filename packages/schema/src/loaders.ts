// Batching for what Prisma's relation loading cannot do: computed values and authorisation facts.
// One DataLoader set per request; each turns N lookups into one parameterised SQL statement.
import type { PrismaClient } from '@maths-hubs/db/client';
import DataLoader from 'dataloader';

function byKey<K, V>(keys: readonly K[], rows: { key: K; value: V }[], missing: V): V[] {
  const map = new Map(rows.map((r) => [r.key, r.value]));
  return keys.map((k) => map.get(k) ?? missing);
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
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
