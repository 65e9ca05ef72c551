// Disclosure control for statistics below national admin: the cell key method, as the ONS
// (Census 2021 custom datasets) and the ABS (TableBuilder) protect tables that callers define
// themselves, with a rounding perturbation table. See docs/statistics-protection.md.
//
//   - Every enrolment carries a fixed random record key (24 bits, set when it is made).
//   - A cell's keys come from the sum of its enrolments' record keys: its low byte for the count
//     of enrolments (and, summed over the completed or withdrawn ones, for those counts), the next
//     bytes for participants and schools. The same enrolments give the same keys, whichever route
//     asks (cohortStats, the objects' `stats`, progression, the reports), and a repeated request
//     gives the same answer.
//   - The perturbation table turns a count and its cell key into the published count: a multiple
//     of the base (the threshold + 1, so 5 by default), rounded up or down, up with a probability
//     that makes the published count right on average (count 7: 5 three times in five, 10 twice).
//   - Every cell is perturbed on its own, totals too: no total is the sum of its published rows
//     except by chance, and no difference of published counts is a count from 1 to the threshold
//     (every difference is a multiple of the base).
//   - Zero stays zero (a cell with no enrolments has nothing to protect); cohorts, places and
//     funding are public catalogue facts and are shown exactly.
//   - Rates are made from the published counts, so they agree with them. The attendance rate,
//     made from sessions rather than people, is withheld while the published enrolments are below
//     twice the base, so that it never describes a handful of people.
import type { StatsKeyValues, StatsRowResult } from './cohort-stats.ts';
import { MEASURES, type Measure, type StatsValues, type Suppressible } from './suppression.ts';

/** Cell keys run from 0 to 255. */
export const KEY_SPACE = 256;

/** The measures perturbed: they count people, enrolments or schools. */
export const PERTURBED = ['enrolments', 'completed', 'withdrawn', 'participants', 'schools'] as const;
export type PerturbedMeasure = (typeof PERTURBED)[number];
export type CellKeys = Record<PerturbedMeasure, number>;

/**
 * A cell's keys from the sum of its enrolments' record keys (completed and withdrawn take the
 * enrolments key of their own sums).
 */
export function cellKeysOf(recordKeySum: number): CellKeys {
  const byte = (shift: number) => Math.floor(recordKeySum / 2 ** shift) % KEY_SPACE;
  return {
    enrolments: byte(0),
    completed: byte(0),
    withdrawn: byte(0),
    participants: byte(8),
    schools: byte(16),
  };
}

/** The rounding base for a suppression threshold: every published difference misses 1..threshold. */
export const roundingBase = (threshold: number) => threshold + 1;

/**
 * The perturbation table: for a count's remainder modulo the base, the cell keys below `up` round
 * up and the rest round down. `up` = ⌊256 × remainder ÷ base⌋, so a count is rounded up with the
 * probability its remainder bears to the base, and is right on average.
 */
export function perturbationTable(base: number): { remainder: number; upBelowKey: number }[] {
  return Array.from({ length: base }, (_, remainder) => ({
    remainder,
    upBelowKey: Math.floor((KEY_SPACE * remainder) / base),
  }));
}

/** What is added to `count` to publish it, given its cell key. */
export function perturbation(count: number, cellKey: number, base: number): number {
  const remainder = count % base;
  if (remainder === 0) return 0;
  return cellKey < Math.floor((KEY_SPACE * remainder) / base) ? base - remainder : -remainder;
}

/** The published count. */
export const published = (count: number, cellKey: number, base: number) =>
  count + perturbation(count, cellKey, base);

/** One row, protected: its people counts perturbed, its rates made from them. */
export function perturbRow<K>(
  row: { key: K; values: StatsValues; cellKeys: CellKeys | null; final?: boolean; status?: string | null },
  threshold: number,
): Suppressible<K> {
  const base = roundingBase(threshold);
  const values: StatsValues = { ...row.values };
  for (const m of PERTURBED) {
    const count = values[m];
    if (count === null || count === 0) continue;
    if (!row.cellKeys) throw new Error('statistics rows need their cell keys to be published');
    values[m] = published(count, row.cellKeys[m], base);
  }
  const withheld: Measure[] = [];
  const { completed, withdrawn, enrolments } = values;
  if (completed !== null && withdrawn !== null)
    values.completionRate = completed + withdrawn > 0 ? completed / (completed + withdrawn) : null;
  if (values.attendanceRate !== null && (enrolments ?? 0) < 2 * base) {
    values.attendanceRate = null;
    withheld.push('attendanceRate');
  }
  return {
    key: row.key,
    values,
    final: row.final,
    status: row.status ?? null,
    suppressed: withheld.length > 0,
    withheld,
    notApplicable: MEASURES.filter((m) => values[m] === null && !withheld.includes(m)),
  };
}

/** A table, every cell (the total too) protected on its own. */
export function perturbTable(
  rows: StatsRowResult[],
  total: StatsRowResult,
  threshold: number,
): { rows: Suppressible<StatsKeyValues>[]; total: Suppressible<StatsKeyValues> } {
  return { rows: rows.map((r) => perturbRow(r, threshold)), total: perturbRow(total, threshold) };
}
