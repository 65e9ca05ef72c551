// `pnpm bench disclosure`: what the cell key method costs users, on the national dataset.
//   - Accuracy: for several groupings, every published cell against the exact one: per measure,
//     the mean and greatest absolute difference and the share of cells changed; and the share of
//     cells withheld, beside per-table suppression on the same tables.
//   - Time: the national cohortStats [HUB, ACADEMIC_YEAR] statement with the cell keys and
//     without them (as before this method), alternated A B B A in one run, median of each.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { perturbRow } from '../../packages/schema/src/reporting/cell-key.ts';
import {
  cohortStatsQuery,
  type Dimension,
  isEnrolmentLevel,
  keysOf,
  type StatsRowResult,
  valuesOf,
} from '../../packages/schema/src/reporting/cohort-stats.ts';
import { suppress } from '../../packages/schema/src/reporting/suppression.ts';

const THRESHOLD = 4;
const PEOPLE = ['schools', 'participants', 'enrolments', 'completed', 'withdrawn'] as const;
const GROUPINGS: Dimension[][] = [
  ['REGION'],
  ['HUB'],
  ['HUB', 'ACADEMIC_YEAR'],
  ['PROGRAMME', 'ROLE'],
  ['HUB', 'PROGRAMME', 'ACADEMIC_YEAR'],
  ['LOCAL_AUTHORITY', 'ENROLMENT_STATUS'],
];

/** The statement's rows as the schema reads them (values, cell keys), without Prisma. */
async function table(client: pg.Client, groupBy: Dimension[], today: Date) {
  const statement = cohortStatsQuery(groupBy, {}, today);
  const { rows } = await client.query(statement.text, statement.values);
  const enrolmentLevel = isEnrolmentLevel(groupBy, {});
  const toRow = (r: Record<string, unknown>): StatsRowResult => ({
    key: { COHORT: (r.cohort_id as number | undefined) ?? null },
    values: valuesOf(r, enrolmentLevel),
    cellKeys: keysOf(r),
    final: r.final !== false,
    status: null,
  });
  return {
    rows: rows.filter((r) => Number(r.g) === 0).map(toRow),
    total: toRow(rows.find((r) => Number(r.g) !== 0) ?? { key_sum: 0 }),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchDisclosure(url: string, runs = 15) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const today = new Date();
  try {
    console.log('\nDisclosure control: the cell key method on the national dataset (threshold 4, base 5)');
    const diffs = new Map<string, { sum: number; max: number; changed: number; cells: number }>();
    let cells = 0;
    let withheldCellKey = 0;
    let withheldSuppression = 0;
    for (const groupBy of GROUPINGS) {
      const { rows, total } = await table(client, groupBy, today);
      const all = [...rows, total];
      cells += all.length;
      const suppressed = suppress(
        all.slice(0, -1).map((r) => ({ ...r, suppressed: false })),
        { ...total, suppressed: false },
        THRESHOLD,
      );
      for (const r of [...suppressed.rows, suppressed.total])
        if ((r.withheld ?? []).some((m) => (PEOPLE as readonly string[]).includes(m))) withheldSuppression++;
      for (const exact of all) {
        const shown = perturbRow(exact, THRESHOLD);
        if ((shown.withheld ?? []).length > 0) withheldCellKey++;
        for (const m of [...PEOPLE, 'completionRate'] as const) {
          const x = exact.values[m];
          const v = shown.values[m];
          if (x === null || v === null) continue;
          const d = diffs.get(m) ?? { sum: 0, max: 0, changed: 0, cells: 0 };
          const delta = Math.abs(v - x);
          d.sum += delta;
          d.max = Math.max(d.max, delta);
          d.changed += delta > 1e-9 ? 1 : 0;
          d.cells++;
          diffs.set(m, d);
        }
      }
    }
    console.log(`  ${GROUPINGS.length} groupings, ${cells} cells (rows and totals)`);
    console.log('  measure          mean |diff|   max |diff|   cells changed');
    for (const [m, d] of diffs)
      console.log(
        `  ${m.padEnd(16)} ${(d.sum / d.cells).toFixed(m === 'completionRate' ? 4 : 2).padStart(11)} ${d.max
          .toFixed(m === 'completionRate' ? 3 : 0)
          .padStart(12)} ${((100 * d.changed) / d.cells).toFixed(1).padStart(14)}%`,
      );
    console.log(
      `  rows with a people figure withheld: cell key ${((100 * withheldCellKey) / cells).toFixed(1)}% (an attendance rate only), per-table suppression ${((100 * withheldSuppression) / cells).toFixed(1)}%`,
    );

    // The auditor's differencing at national scale, where the small counts are: each cohort's
    // total (as Cohort.stats publishes it) minus its other cells by status (a filter to one hub,
    // programme and year groups about one cohort by status).
    const parents = (await table(client, ['COHORT'], today)).rows;
    const deeper = (await table(client, ['COHORT', 'ENROLMENT_STATUS'], today)).rows;
    const byCohort = new Map<unknown, StatsRowResult[]>();
    for (const c of deeper) byCohort.set(c.key.COHORT, [...(byCohort.get(c.key.COHORT) ?? []), c]);
    let attempts = 0;
    let recovered = 0;
    for (const parent of parents) {
      const total = perturbRow(parent, THRESHOLD).values.enrolments!;
      const cells = byCohort.get(parent.key.COHORT) ?? [];
      for (const target of cells) {
        const truth = target.values.enrolments!;
        if (truth < 1 || truth > THRESHOLD - 1) continue;
        const others = cells
          .filter((c) => c !== target)
          .reduce((a, c) => a + perturbRow(c, THRESHOLD).values.enrolments!, 0);
        attempts++;
        if (total - others === truth) recovered++;
      }
    }
    console.log(
      `  differencing (a cohort's total minus its other cells by status): ${recovered} of ${attempts} small counts recovered`,
    );

    // Time: the same statement with and without the cell keys, alternated.
    const timed = async (withKeys: boolean) => {
      const statement = cohortStatsQuery(['HUB', 'ACADEMIC_YEAR'], {}, today, [], withKeys);
      const start = performance.now();
      await client.query(statement.text, statement.values);
      return performance.now() - start;
    };
    await timed(false);
    await timed(true); // warm both
    const before: number[] = [];
    const after: number[] = [];
    for (let i = 0; i < runs; i++) {
      before.push(await timed(false));
      after.push(await timed(true));
      after.push(await timed(true));
      before.push(await timed(false));
    }
    const [b, a] = [median(before), median(after)];
    console.log(
      `  cohortStats [HUB, ACADEMIC_YEAR], national, the statement alone (median of ${before.length}, A B B A):`,
    );
    console.log(
      `    without cell keys ${b.toFixed(1)} ms (spread ${Math.min(...before).toFixed(1)}–${Math.max(...before).toFixed(1)}), with ${a.toFixed(1)} ms (spread ${Math.min(...after).toFixed(1)}–${Math.max(...after).toFixed(1)}): ${((100 * (a - b)) / b).toFixed(1)}% (budget +10%)`,
    );
  } finally {
    await client.end();
  }
}
