// The suppression function as it was before disclosure control knew the table's arithmetic (one
// measure at a time against its column total). Kept only as the benchmark's baseline: the API
// never runs it.

/** Measures that count people or schools, and so can identify someone when small. */
export const COUNT_MEASURES = [
  'schools',
  'participants',
  'enrolments',
  'completed',
  'withdrawn',
  'placesFilled',
] as const;
export type CountMeasure = (typeof COUNT_MEASURES)[number];

export interface StatsValues {
  cohorts: number | null;
  schools: number | null;
  participants: number | null;
  enrolments: number | null;
  completed: number | null;
  withdrawn: number | null;
  completionRate: number | null;
  attendanceRate: number | null;
  placesOffered: number | null;
  placesFilled: number | null;
  fundingPence: number | null;
}

export interface Suppressible<K> {
  key: K;
  values: StatsValues;
  suppressed: boolean;
}

const isSmall = (value: number | null, threshold: number) =>
  value !== null && value >= 1 && value <= threshold;

/**
 * Withholds (sets to null) every count from 1 to `threshold`, then, measure by measure, when
 * exactly one cell of the rows was withheld, also withholds the next smallest visible non-zero cell
 * (else the total minus the other rows would give it back). Rates and money derived from a withheld
 * count are withheld with it. Returns new rows and total; the input is not changed.
 */
export function suppress<K>(
  rows: Suppressible<K>[],
  total: Suppressible<K>,
  threshold: number,
): { rows: Suppressible<K>[]; total: Suppressible<K> } {
  const out = rows.map((r) => ({ ...r, values: { ...r.values }, suppressed: false }));
  const outTotal = { ...total, values: { ...total.values }, suppressed: false };
  const withheld = new Map<Suppressible<K>, Set<CountMeasure>>();
  const withhold = (row: Suppressible<K>, measure: CountMeasure) => {
    row.values[measure] = null;
    row.suppressed = true;
    withheld.set(row, (withheld.get(row) ?? new Set()).add(measure));
  };

  for (const row of [...out, outTotal]) {
    for (const measure of COUNT_MEASURES) if (isSmall(row.values[measure], threshold)) withhold(row, measure);
  }

  // Secondary suppression, per measure, against the total.
  for (const measure of COUNT_MEASURES) {
    if (outTotal.values[measure] === null) continue; // nothing to subtract from
    const hidden = out.filter((r) => withheld.get(r)?.has(measure));
    if (hidden.length !== 1) continue;
    const candidates = out
      .filter((r) => r.values[measure] !== null && (r.values[measure] as number) > 0)
      .sort((a, b) => (a.values[measure] as number) - (b.values[measure] as number));
    if (candidates[0]) withhold(candidates[0], measure);
  }

  for (const row of [...out, outTotal]) {
    const gone = withheld.get(row);
    if (!gone) continue;
    if (gone.has('completed') || gone.has('withdrawn')) row.values.completionRate = null;
    if (gone.has('enrolments')) row.values.attendanceRate = null;
    if (gone.has('placesFilled')) row.values.fundingPence = null;
  }
  return { rows: out, total: outTotal };
}
