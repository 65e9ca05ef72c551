// Seeding entry point: the reference facts, then one synthetic layer (demo or national scale).
// Idempotent: reference rows are upserted; a synthetic layer that is already complete is left
// alone, and one of another scale (or a partial one) is replaced.
import type { PrismaClient } from '../generated/client/client.ts';
import type { Sql } from '../sql.ts';
import { hubs as hubSeeds } from './data/hubs.ts';
import { seedReference } from './reference.ts';
import { clearSynthetic, generate, load, SCALES, type Scale } from './synthetic.ts';

export { SCALES } from './synthetic.ts';

export interface SeedOptions {
  reference?: boolean;
  synthetic?: Scale['name'] | null;
  /** The day the synthetic layer is anchored to (its academic years and statuses). */
  today?: Date;
  log?: (message: string) => void;
}

export interface SeedReport {
  reference: boolean;
  synthetic: { scale: Scale['name']; action: 'loaded' | 'already-present'; seconds: number } | null;
}

export async function seed(
  db: { prisma: PrismaClient; sql: Sql },
  options: SeedOptions = {},
): Promise<SeedReport> {
  const { reference = true, synthetic = 'demo', today = new Date(), log = () => {} } = options;
  const report: SeedReport = { reference: false, synthetic: null };
  if (reference) {
    await seedReference(db.prisma);
    report.reference = true;
    log('reference data is in place');
  }
  if (synthetic) {
    const started = performance.now();
    const action = await seedSynthetic(db, SCALES[synthetic], today, log);
    report.synthetic = { scale: synthetic, action, seconds: (performance.now() - started) / 1000 };
  }
  return report;
}

async function seedSynthetic(
  db: { prisma: PrismaClient; sql: Sql },
  scale: Scale,
  today: Date,
  log: (m: string) => void,
) {
  const perHub = Object.values(scale.schoolsPerHub).reduce((a, b) => a + b, 0);
  const expected = perHub * hubSeeds.length;
  const [present] = await db.sql.query<{ all: number; mine: number }>(
    `SELECT count(*)::int AS all,
            count(*) FILTER (WHERE urn::int BETWEEN $1 AND $2)::int AS mine
       FROM school WHERE synthetic`,
    [scale.firstUrn, scale.firstUrn + expected - 1],
  );
  if (present!.all === expected && present!.mine === expected) {
    log(`${scale.name} data is already present`);
    return 'already-present' as const;
  }

  const hubs = await db.prisma.hub.findMany({
    orderBy: { code: 'asc' },
    include: { region: { include: { _count: { select: { hubs: true } } } } },
  });
  const programmes = await db.prisma.programme.findMany({
    select: { id: true, slug: true, shortCode: true, name: true },
  });
  const reserved = await db.prisma.cohort.findMany({ where: { synthetic: false }, select: { code: true } });
  const data = generate(scale, {
    hubs: hubs.map((h) => ({
      id: h.id,
      code: h.code,
      regionCode: h.region.code,
      numberInRegion: h.numberInRegion,
      regionHubCount: h.region._count.hubs,
    })),
    programmeIds: new Map(programmes.map((p) => [p.slug, p.id])),
    programmeShortCodes: new Map(programmes.map((p) => [p.slug, p.shortCode])),
    programmeNames: new Map(programmes.map((p) => [p.slug, p.name])),
    reservedCohortCodes: new Set(reserved.map((c) => c.code)),
    today,
  });
  log(
    `generated ${scale.name} data: ${data.schools.length} schools, ${data.people.length} participants, ` +
      `${data.cohorts.length} cohorts, ${data.enrolments.length} enrolments, ${data.sessions.length} sessions`,
  );
  await db.sql.transaction(async (tx) => {
    if (present!.all > 0) {
      log('replacing the synthetic data already present');
      await clearSynthetic(tx);
    }
    await load(tx, data, today);
  });
  // Fresh statistics, or the planner guesses from empty tables and picks poor plans.
  await db.sql.exec('ANALYZE');
  log(`${scale.name} data loaded`);
  return 'loaded' as const;
}
