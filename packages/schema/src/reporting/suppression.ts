// Disclosure control for aggregated statistics. A response is a table: rows and a total, each
// with measures, tied by relations that anyone can use to work a withheld cell out again:
//   - additive measures (enrolments, completed, withdrawn, placesFilled; fundingPence is
//     placesFilled × a published rate): the total is the sum of the rows;
//   - distinct counts (schools, participants) only bound each other: a row ≤ the total ≤ the sum
//     of the rows (a school can be in two rows) — unless `partition` says the rows split the
//     people (progression: went on, did not);
//   - within a row: enrolments ≥ completed + withdrawn (equal once every cohort has finished),
//     schools ≤ enrolments, participants ≤ enrolments, placesFilled ≤ placesOffered;
//   - grouped by ENROLMENT_STATUS, a row's completed and withdrawn are its enrolments or 0.
//
// The rule (primary and complementary suppression, as official statistics do it):
//   1. A count from 1 to the threshold is withheld (primary). `cohorts` and `placesOffered` are
//      public catalogue facts and never withheld.
//   2. Cells that the relations tie together are withheld together: the people measures of a row
//      (schools, participants, enrolments, completed, withdrawn, and the rates made from them) as
//      one group, the places of a row (placesFilled and fundingPence) as another. So no relation
//      inside a row can give a withheld cell back.
//   3. Across rows, for each measure, a withheld primary cell must have partners: other withheld
//      cells of the same measure adding up to at least the threshold, so that the total minus the
//      visible rows leaves a range at least the threshold wide. Partners are the smallest visible
//      non-zero cells (deterministic: the first in row order on a tie). When no row can serve, the
//      total's group is withheld instead.
// The request path uses only this heuristic; tests audit its output with a linear-programming
// solver (packages/schema/test/helpers/disclosure-audit.ts) for the feasible range of every withheld cell.

/** Every measure of a statistics row. */
export const MEASURES = [
  'cohorts',
  'schools',
  'participants',
  'enrolments',
  'completed',
  'withdrawn',
  'completionRate',
  'attendanceRate',
  'placesOffered',
  'placesFilled',
  'fundingPence',
] as const;
export type Measure = (typeof MEASURES)[number];

/** Measures that count people or schools (or accepted places), and so can identify someone. */
export const COUNT_MEASURES = [
  'schools',
  'participants',
  'enrolments',
  'completed',
  'withdrawn',
  'placesFilled',
] as const;
export type CountMeasure = (typeof COUNT_MEASURES)[number];

/**
 * Cells withheld together, the measures derived from them, and the columns whose total stays
 * shown (and so must not let a row be worked out: each withheld cell needs partners there).
 */
const GROUPS = {
  people: {
    counts: ['schools', 'participants', 'enrolments', 'completed', 'withdrawn'],
    derived: ['completionRate', 'attendanceRate'],
    balanced: ['enrolments', 'schools', 'participants'],
    /** Withheld in the total as soon as any row's group is: then no outcome column adds up. */
    totalWithheld: ['completed', 'withdrawn', 'completionRate'],
  },
  places: {
    counts: ['placesFilled'],
    derived: ['fundingPence'],
    balanced: ['placesFilled'],
    totalWithheld: [],
  },
} as const satisfies Record<
  string,
  { counts: CountMeasure[]; derived: Measure[]; balanced: CountMeasure[]; totalWithheld: Measure[] }
>;
type Group = keyof typeof GROUPS;

/** Each group's measures, counts and what is made from them: withheld together. */
export const MEASURE_GROUPS: readonly (readonly Measure[])[] = Object.values(GROUPS).map((g) => [
  ...g.counts,
  ...g.derived,
]);

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
  /** True when any measure of this row was withheld. */
  suppressed: boolean;
  /** The measures withheld in this row (null in `values`), in MEASURES order. */
  withheld?: Measure[];
  /** Measures that do not apply to this row (null in `values` for that reason, not withheld). */
  notApplicable?: Measure[];
  /**
   * True when no enrolment counted in this row can still be in progress (every cohort has
   * finished, by its status and end date): then enrolments = completed + withdrawn.
   */
  final?: boolean;
  /** When grouped by ENROLMENT_STATUS, this row's status (its completed/withdrawn follow from it). */
  status?: string | null;
}

const isSmall = (value: number | null, threshold: number) =>
  value !== null && value >= 1 && value <= threshold;

/** Completed or withdrawn in a status row: fixed by the status, known to everyone. */
export function structural(row: Suppressible<unknown>, measure: Measure): 'enrolments' | 0 | null {
  if (row.status === undefined || row.status === null) return null;
  if (measure === 'completed') return row.status === 'COMPLETED' ? 'enrolments' : 0;
  if (measure === 'withdrawn') return row.status === 'WITHDRAWN' ? 'enrolments' : 0;
  return null;
}

function applicable(row: Suppressible<unknown>, group: Group): boolean {
  return GROUPS[group].counts.some((m) => row.values[m] !== null);
}

/**
 * Withholds what could identify people, for callers below national admin. Returns new rows and
 * total, each listing its withheld and not-applicable measures; the input is not changed.
 */
export function suppress<K>(
  rows: Suppressible<K>[],
  total: Suppressible<K>,
  threshold: number,
): { rows: Suppressible<K>[]; total: Suppressible<K> } {
  const out = rows.map((r) => ({ ...r, values: { ...r.values } }));
  const outTotal = { ...total, values: { ...total.values } };
  const hidden = new Map<Group, Set<Suppressible<K>>>();

  for (const group of Object.keys(GROUPS) as Group[]) {
    const { counts, balanced } = GROUPS[group];
    const primary = (row: Suppressible<K>) =>
      (counts as readonly CountMeasure[]).some(
        (m) => structural(row, m) !== 0 && isSmall(row.values[m], threshold),
      );
    const set = new Set<Suppressible<K>>();
    hidden.set(group, set);
    if (!applicable(outTotal, group) && !out.some((r) => applicable(r, group))) continue;

    // How wide a withheld cell's range stays, with the total shown: it can trade with its partners
    // (down to what their spare room allows, up to their sum and its own room). Room is unlimited
    // but for places filled, which the public capacity (places offered) bounds.
    const room = (row: Suppressible<K>, m: CountMeasure) =>
      m === 'placesFilled' && row.values.placesOffered !== null
        ? row.values.placesOffered - (row.values[m] ?? 0)
        : Number.POSITIVE_INFINITY;
    const sums = new Map<CountMeasure, { value: number; room: number }>();
    const add = (row: Suppressible<K>) => {
      set.add(row);
      for (const m of balanced as readonly CountMeasure[]) {
        const sum = sums.get(m) ?? { value: 0, room: 0 };
        sum.value += row.values[m] ?? 0;
        sum.room += room(row, m);
        sums.set(m, sum);
      }
    };
    const wideEnough = (row: Suppressible<K>, m: CountMeasure) => {
      const v = row.values[m] ?? 0;
      const sum = sums.get(m)!;
      const partners = sum.value - v;
      // Unbounded room (every measure but places filled): the cell spans 0 to v + partners.
      if (m !== 'placesFilled') return partners > 0 && v + partners >= threshold;
      const partnersRoom = sum.room - room(row, m);
      const lo = Math.max(0, v - partnersRoom);
      const hi = Math.min(v + partners, v + room(row, m));
      return partners > 0 && hi - lo >= Math.min(threshold, v + room(row, m));
    };

    let totalHidden = primary(outTotal);
    for (const row of out) if (primary(row)) add(row);

    // While the total shows a column, every withheld cell in it needs partners: the smallest
    // visible non-zero cells, first in row order on a tie. Adding a partner only widens the others'
    // ranges, so one pass over a worklist settles it.
    const candidates = new Map<CountMeasure, Suppressible<K>[]>();
    for (const m of balanced as readonly CountMeasure[])
      candidates.set(
        m,
        out
          .map((r, i) => ({ r, i }))
          .filter(({ r }) => (r.values[m] ?? 0) > 0)
          .sort((x, y) => (x.r.values[m] as number) - (y.r.values[m] as number) || x.i - y.i)
          .map(({ r }) => r),
      );
    const next = new Map<CountMeasure, number>();
    const work = [...set];
    while (!totalHidden && work.length > 0) {
      const row = work.pop()!;
      for (const m of balanced as readonly CountMeasure[]) {
        while (!totalHidden && !wideEnough(row, m)) {
          const list = candidates.get(m)!;
          let i = next.get(m) ?? 0;
          while (i < list.length && set.has(list[i]!)) i++;
          next.set(m, i + 1);
          const candidate = list[i];
          if (!candidate)
            totalHidden = true; // nothing left to pair with: withhold the total instead
          else {
            add(candidate);
            work.push(candidate);
          }
        }
      }
    }
    if (totalHidden) set.add(outTotal);
  }

  // A withheld cell that anyone can work out exactly protects nothing and only hides a figure;
  // show it instead: a total whose rows are all shown, or rows whose column adds up to zero.
  const facts = new Map<Group, { rows: Suppressible<K>[]; sums: Map<CountMeasure, number> }>();
  for (const group of Object.keys(GROUPS) as Group[]) {
    const set = hidden.get(group)!;
    const rowsHidden = out.filter((r) => set.has(r));
    const sums = new Map<CountMeasure, number>();
    for (const m of GROUPS[group].counts as readonly CountMeasure[])
      sums.set(
        m,
        rowsHidden.reduce((a, r) => a + (r.values[m] ?? 0), 0),
      );
    facts.set(group, { rows: rowsHidden, sums });
  }
  const derivable = (row: Suppressible<K>, group: Group, m: CountMeasure): boolean => {
    const set = hidden.get(group)!;
    const { rows: hiddenRows, sums } = facts.get(group)!;
    if (row === outTotal) {
      if (out.length === 0) return false;
      const contributing = hiddenRows.filter((r) => structural(r, m) !== 0);
      if (contributing.length === 0) return true;
      // Grouped by status, a withheld row's completed (withdrawn) is its enrolments: when every
      // withheld row has that outcome, the total's enrolments give their sum away anyway.
      return (
        !set.has(outTotal) &&
        contributing.length === hiddenRows.length &&
        contributing.every((r) => structural(r, m) === 'enrolments')
      );
    }
    if (structural(row, m) === 0) return true; // fixed by the row's status
    if (set.has(outTotal) || !(GROUPS[group].balanced as readonly string[]).includes(m)) return false;
    return sums.get(m) === 0;
  };

  const finish = (row: Suppressible<K>) => {
    const withheld = new Set<Measure>();
    const notApplicable = new Set<Measure>(row.notApplicable ?? []);
    for (const group of Object.keys(GROUPS) as Group[]) {
      const { counts, derived } = GROUPS[group];
      if (!hidden.get(group)?.has(row)) continue;
      let any = false;
      for (const m of counts as readonly CountMeasure[]) {
        if (row.values[m] === null || derivable(row, group, m)) continue;
        withheld.add(m);
        any = true;
      }
      // Rates and money follow their counts: withheld when any of them is.
      if (any) for (const m of derived) withheld.add(m);
    }
    // Rows withheld under a shown total: the total's outcomes are withheld too, so that no
    // outcome column adds up (grouped by status, the total's completed is a row's enrolments).
    if (row === outTotal && out.length > 0) {
      for (const group of Object.keys(GROUPS) as Group[]) {
        const set = hidden.get(group)!;
        if (set.has(outTotal) || set.size === 0) continue;
        for (const m of GROUPS[group].totalWithheld) {
          if (m === 'completionRate' || row.values[m] === null || derivable(row, group, m)) continue;
          withheld.add(m);
          withheld.add('completionRate');
        }
      }
    }
    for (const m of withheld) row.values[m] = null;
    for (const m of MEASURES) if (row.values[m] === null && !withheld.has(m)) notApplicable.add(m);
    row.withheld = MEASURES.filter((m) => withheld.has(m));
    row.notApplicable = MEASURES.filter((m) => notApplicable.has(m));
    row.suppressed = withheld.size > 0;
  };
  for (const row of [...out, outTotal]) finish(row);
  return { rows: out, total: outTotal };
}

/** The exact figures, for national admins: nothing withheld, not-applicable measures listed. */
export function unsuppressed<K>(rows: Suppressible<K>[], total: Suppressible<K>) {
  const mark = (row: Suppressible<K>): Suppressible<K> => ({
    ...row,
    suppressed: false,
    withheld: [],
    notApplicable: MEASURES.filter((m) => row.values[m] === null),
  });
  return { rows: rows.map(mark), total: mark(total) };
}
