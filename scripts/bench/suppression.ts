// Disclosure control's own cost: the suppression that knows the table's arithmetic (the API's)
// against the one it replaced (per measure against its column total), on the same tables, in the
// same run. Tables are generated deterministically in the shapes cohortStats returns, from a
// region's handful of rows to a national grouping of thousands.

import type { StatsValues, Suppressible } from '../../packages/schema/src/reporting/suppression.ts';
import { suppress } from '../../packages/schema/src/reporting/suppression.ts';
import { suppress as suppressV1 } from './baseline/suppression-v1.ts';

/** A small deterministic generator (mulberry32), so both functions see identical tables. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function table(rows: number, seed: number) {
  const next = random(seed);
  const out: Suppressible<number>[] = [];
  for (let i = 0; i < rows; i++) {
    // Many small groups, as real groupings by hub × year × role have.
    const e = next() < 0.3 ? Math.floor(next() * 5) : Math.floor(next() * 60);
    const c = Math.floor(e * next());
    const w = Math.floor((e - c) * next());
    const p = e === 0 ? 0 : Math.max(1, Math.floor(e * (0.6 + 0.4 * next())));
    const s = p === 0 ? 0 : Math.max(1, Math.floor(p * next()));
    const capacity = 10 + Math.floor(next() * 30);
    const filled = Math.floor(capacity * next());
    const values: StatsValues = {
      cohorts: 1 + Math.floor(next() * 3),
      schools: s,
      participants: p,
      enrolments: e,
      completed: c,
      withdrawn: w,
      completionRate: c + w > 0 ? c / (c + w) : null,
      attendanceRate: e > 0 ? next() : null,
      placesOffered: capacity,
      placesFilled: filled,
      fundingPence: filled * 120_000,
    };
    out.push({ key: i, values, suppressed: false, final: next() < 0.5 });
  }
  const sum = (m: keyof StatsValues) => out.reduce((a, r) => a + (r.values[m] ?? 0), 0);
  const total: Suppressible<number> = {
    key: -1,
    values: {
      cohorts: sum('cohorts'),
      schools: Math.floor(sum('schools') * 0.9),
      participants: Math.floor(sum('participants') * 0.95),
      enrolments: sum('enrolments'),
      completed: sum('completed'),
      withdrawn: sum('withdrawn'),
      completionRate: null,
      attendanceRate: null,
      placesOffered: sum('placesOffered'),
      placesFilled: sum('placesFilled'),
      fundingPence: sum('fundingPence'),
    },
    suppressed: false,
    final: false,
  };
  return { rows: out, total };
}

function time(fn: () => void, minMs = 300): number {
  for (let i = 0; i < 3; i++) fn(); // warm-up
  let runs = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    fn();
    runs++;
  }
  return (performance.now() - start) / runs;
}

export async function benchSuppression() {
  console.log('\nSuppression of one table (in process; mean of repeated runs over ≥ 300 ms, after warm-up)');
  console.log(
    '  rows    before (per measure)   now (arithmetic-aware)   ratio   withheld cells before → now',
  );
  for (const rows of [10, 100, 1_000, 5_000]) {
    const t = table(rows, rows);
    const before = time(() => suppressV1(t.rows, t.total, 4));
    const now = time(() => suppress(t.rows, t.total, 4));
    const count = (out: { rows: Suppressible<number>[]; total: Suppressible<number> }) =>
      [...out.rows, out.total].reduce(
        (n, r) => n + Object.values(r.values).filter((v) => v === null).length,
        0,
      ) -
      [...t.rows, t.total].reduce((n, r) => n + Object.values(r.values).filter((v) => v === null).length, 0);
    console.log(
      `  ${String(rows).padStart(5)}   ${before.toFixed(3).padStart(12)} ms   ${now.toFixed(3).padStart(14)} ms   ${(now / before).toFixed(1).padStart(5)}×   ${count(suppressV1(t.rows, t.total, 4))} → ${count(suppress(t.rows, t.total, 4))}`,
    );
  }
}
