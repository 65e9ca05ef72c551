// Disclosure control that survives arithmetic: hand-made tables (including the two reported
// cases), then thousands of random ones, each audited by linear programming: every withheld
// cell's feasible range must be at least the threshold wide.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type StatsValues, type Suppressible, suppress } from '../../src/reporting/suppression.ts';
import { type AuditTable, auditRow, narrowCells } from '../helpers/disclosure-audit.ts';

const THRESHOLD = 4;
/**
 * Random tables per property: a few hundred by default (each is audited by two linear programmes
 * per withheld cell); CI runs thousands (DISCLOSURE_RUNS, set in .ci/run).
 */
const RUNS = Number(process.env.DISCLOSURE_RUNS ?? 300);

const values = (v: Partial<StatsValues>): StatsValues => ({
  cohorts: 1,
  schools: 0,
  participants: 0,
  enrolments: 0,
  completed: 0,
  withdrawn: 0,
  completionRate: null,
  attendanceRate: null,
  placesOffered: 0,
  placesFilled: 0,
  fundingPence: 0,
  ...v,
});
type Row = Suppressible<string>;
const row = (key: string, v: Partial<StatsValues>, extra: Partial<Row> = {}): Row => ({
  key,
  values: values(v),
  suppressed: false,
  final: true,
  ...extra,
});
const ADDITIVE = [
  'enrolments',
  'completed',
  'withdrawn',
  'placesFilled',
  'fundingPence',
  'placesOffered',
  'cohorts',
] as const;
/** A total for rows: sums for additive measures; distinct counts as given (default: the sum). */
const totalOf = (rows: Row[], distinct: Partial<StatsValues> = {}, extra: Partial<Row> = {}) => {
  const v: Partial<StatsValues> = {};
  for (const m of ADDITIVE) v[m] = rows.reduce((a, r) => a + (r.values[m] ?? 0), 0);
  v.schools = rows.reduce((a, r) => a + (r.values.schools ?? 0), 0);
  v.participants = rows.reduce((a, r) => a + (r.values.participants ?? 0), 0);
  return row('total', { ...v, ...distinct }, { final: rows.every((r) => r.final), ...extra });
};

function audited(out: { rows: Row[]; total: Row }, partition = false): AuditTable {
  return {
    rows: out.rows.map((r, i) => auditRow(`${r.key}#${i}`, r as never)),
    total: auditRow('total', out.total as never),
    partition,
  };
}

async function expectSafe(rows: Row[], total: Row, partition = false) {
  const out = suppress(rows, total, THRESHOLD);
  expect(await narrowCells(audited(out, partition), THRESHOLD)).toEqual([]);
  return out;
}

describe('disclosure control', () => {
  it('leaves a table with no small counts alone', async () => {
    const rows = [10, 25, 7].map((n, i) =>
      row(`r${i}`, { schools: n, participants: n, enrolments: n, completed: n }),
    );
    const out = await expectSafe(rows, totalOf(rows));
    expect(out.rows.map((r) => r.values.enrolments)).toEqual([10, 25, 7]);
    expect(out.rows.every((r) => r.withheld?.length === 0)).toBe(true);
  });

  it('withholds a row’s people together, with partners adding up to the threshold, smallest first', async () => {
    const rows = [3, 9, 12, 40].map((n, i) =>
      row(`r${i}`, { schools: n, participants: n, enrolments: n, completed: n }),
    );
    const out = await expectSafe(rows, totalOf(rows));
    expect(out.rows.map((r) => r.values.enrolments)).toEqual([null, null, 12, 40]);
    expect(out.rows[0]!.withheld).toEqual([
      'schools',
      'participants',
      'enrolments',
      'completed',
      'withdrawn',
      'completionRate',
      'attendanceRate',
    ]);
    // The total still shows enrolments; its outcomes are withheld, so no outcome column adds up.
    expect(out.total.values.enrolments).toBe(64);
    expect(out.total.withheld).toEqual(['completed', 'withdrawn', 'completionRate']);
  });

  it('never pairs with a zero, and keeps public figures (cohorts, places offered) visible', async () => {
    const rows = [0, 2, 0, 17, 30].map((n, i) =>
      row(`r${i}`, { enrolments: n, completed: n, participants: n, schools: n, placesOffered: 30 }),
    );
    const out = await expectSafe(rows, totalOf(rows));
    expect(out.rows.map((r) => r.values.enrolments)).toEqual([0, null, 0, null, 30]);
    expect(out.rows.every((r) => r.values.cohorts === 1 && r.values.placesOffered === 30)).toBe(true);
  });

  it('reported case 1: enrolments − completed no longer gives a withheld withdrawn back', async () => {
    // EE1 2023/24: 29 enrolments, 25 completed, 4 withdrawn, every cohort finished.
    const rows = [
      row('EE1 2023/24', { schools: 12, participants: 29, enrolments: 29, completed: 25, withdrawn: 4 }),
      row('EE1 2024/25', { schools: 14, participants: 31, enrolments: 31, completed: 26, withdrawn: 5 }),
      row('EE2 2023/24', { schools: 10, participants: 22, enrolments: 22, completed: 17, withdrawn: 5 }),
    ];
    const out = await expectSafe(rows, totalOf(rows));
    const ee1 = out.rows[0]!;
    expect(ee1.values.withdrawn).toBeNull();
    expect(ee1.values.enrolments === null || ee1.values.completed === null).toBe(true);
  });

  it('reported case 2: a status grouping’s total no longer gives its withheld rows back', async () => {
    const rows = [
      row(
        'COMPLETED',
        { schools: 12, participants: 25, enrolments: 25, completed: 25 },
        { status: 'COMPLETED' },
      ),
      row('WITHDRAWN', { schools: 4, participants: 4, enrolments: 4, withdrawn: 4 }, { status: 'WITHDRAWN' }),
    ];
    const out = await expectSafe(rows, totalOf(rows, { schools: 12 }));
    expect(out.rows[1]!.values.enrolments).toBeNull();
    // completed in the WITHDRAWN row is 0 by definition: shown, not withheld.
    expect(out.rows[1]!.values.completed).toBe(0);
  });

  it('withholds a small total, and then every small row too', async () => {
    const rows = [1, 2, 0].map((n, i) =>
      row(`r${i}`, { enrolments: n, participants: n, schools: n, completed: n }),
    );
    const out = await expectSafe(rows, totalOf(rows));
    expect(out.total.values.enrolments).toBeNull();
    expect(out.rows.map((r) => r.values.enrolments)).toEqual([null, null, 0]);
  });

  it('withholds funding with the places it would reveal, and says which measures do not apply', async () => {
    const rows = [
      row('a', {
        placesOffered: 30,
        placesFilled: 3,
        fundingPence: 3 * 120_000,
        enrolments: 40,
        completed: 40,
        participants: 40,
        schools: 20,
      }),
      row('b', {
        placesOffered: 30,
        placesFilled: 9,
        fundingPence: 9 * 120_000,
        enrolments: 40,
        completed: 40,
        participants: 40,
        schools: 20,
      }),
      row('c', {
        placesOffered: 30,
        placesFilled: 20,
        fundingPence: 20 * 120_000,
        enrolments: 40,
        completed: 40,
        participants: 40,
        schools: 20,
        completionRate: null,
      }),
    ];
    const out = await expectSafe(rows, totalOf(rows));
    expect(out.rows[0]!.withheld).toEqual(['placesFilled', 'fundingPence']);
    expect(out.rows[0]!.values.enrolments).toBe(40);
    expect(out.rows[2]!.notApplicable).toContain('completionRate');
  });

  it('does not change its input', () => {
    const rows = [3, 9].map((n, i) => row(`r${i}`, { enrolments: n }));
    const total = totalOf(rows);
    suppress(rows, total, THRESHOLD);
    expect(rows.map((r) => r.values.enrolments)).toEqual([3, 9]);
  });
});

// ───────────── random tables ─────────────

/** One row: counts that obey every relation the auditor knows. */
const rowArbitrary = fc
  .record({
    enrolments: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 80 })),
    completedShare: fc.double({ min: 0, max: 1, noNaN: true }),
    withdrawnShare: fc.double({ min: 0, max: 1, noNaN: true }),
    participantShare: fc.double({ min: 0, max: 1, noNaN: true }),
    schoolShare: fc.double({ min: 0, max: 1, noNaN: true }),
    final: fc.boolean(),
    // Catalogue capacities are public and bound places filled: a capacity under the threshold would
    // confine the cell by itself (the auditor allows for that; real cohorts offer more places).
    capacity: fc.integer({ min: 5, max: 40 }),
    filledShare: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map((r) => {
    const e = r.enrolments;
    const c = Math.floor(e * r.completedShare);
    const w = r.final ? e - c : Math.floor((e - c) * r.withdrawnShare);
    const p = e === 0 ? 0 : Math.max(1, Math.floor(e * r.participantShare));
    const s = p === 0 ? 0 : Math.max(1, Math.floor(p * r.schoolShare));
    const filled = Math.floor(r.capacity * r.filledShare);
    return { e, c, w, p, s, final: r.final, capacity: r.capacity, filled };
  });

const tableArbitrary = fc.record({
  rows: fc.array(rowArbitrary, { minLength: 1, maxLength: 10 }),
  overlap: fc.double({ min: 0, max: 1, noNaN: true }),
  byStatus: fc.boolean(),
});

describe('disclosure control on random tables (property-based, audited by linear programming)', () => {
  it(
    'leaves no withheld cell narrower than the threshold',
    async () => {
      await fc.assert(
        fc.asyncProperty(tableArbitrary, async ({ rows: raw, overlap }) => {
          const rows = raw.map((r, i) =>
            row(
              `r${i}`,
              {
                enrolments: r.e,
                completed: r.c,
                withdrawn: r.w,
                participants: r.p,
                schools: r.s,
                placesOffered: r.capacity,
                placesFilled: r.filled,
                fundingPence: r.filled * 100_000,
              },
              { final: r.final },
            ),
          );
          // Distinct counts of the total: between the largest row and the sum of the rows.
          const distinct = (m: 'schools' | 'participants') => {
            const sum = rows.reduce((a, r) => a + (r.values[m] ?? 0), 0);
            const max = Math.max(0, ...rows.map((r) => r.values[m] ?? 0));
            return Math.round(max + (sum - max) * (1 - overlap));
          };
          const total = totalOf(rows, {
            schools: distinct('schools'),
            participants: distinct('participants'),
          });
          const out = suppress(rows, total, THRESHOLD);
          const narrow = await narrowCells(audited(out), THRESHOLD);
          expect(narrow).toEqual([]);
        }),
        { numRuns: RUNS, seed: 20261127 },
      );
    },
    20 * 60_000,
  );

  it(
    'protects tables grouped by enrolment status, whose rows’ outcomes follow from the status',
    async () => {
      const statuses = ['ACCEPTED', 'ACTIVE', 'COMPLETED', 'WITHDRAWN'] as const;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 60 })), {
            minLength: 4,
            maxLength: 4,
          }),
          async (counts) => {
            const rows = statuses.map((status, i) => {
              const n = counts[i]!;
              return row(
                status,
                {
                  enrolments: n,
                  participants: n,
                  schools: Math.ceil(n / 2),
                  completed: status === 'COMPLETED' ? n : 0,
                  withdrawn: status === 'WITHDRAWN' ? n : 0,
                },
                { status, final: status === 'COMPLETED' || status === 'WITHDRAWN' },
              );
            });
            const total = totalOf(rows, {}, { final: false });
            const out = suppress(rows, total, THRESHOLD);
            expect(await narrowCells(audited(out), THRESHOLD)).toEqual([]);
          },
        ),
        { numRuns: RUNS, seed: 27112026 },
      );
    },
    20 * 60_000,
  );
});
