// Disclosure control on hand-made tables.
import { describe, expect, it } from 'vitest';
import { type StatsValues, type Suppressible, suppress } from '../../../schema/src/reporting/suppression.ts';

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
const row = (key: string, v: Partial<StatsValues>): Suppressible<string> => ({
  key,
  values: values(v),
  suppressed: false,
});
const sum = (rows: Suppressible<string>[], m: keyof StatsValues) =>
  rows.reduce((a, r) => a + (r.values[m] as number), 0);
const table = (counts: number[]) => {
  const rows = counts.map((n, i) => row(`r${i}`, { participants: n, enrolments: n }));
  return {
    rows,
    total: row('total', { participants: sum(rows, 'participants'), enrolments: sum(rows, 'enrolments') }),
  };
};

describe('suppression', () => {
  it('leaves a table with no small counts alone', () => {
    const { rows, total } = table([10, 25, 7]);
    const out = suppress(rows, total, 4);
    expect(out.rows.map((r) => r.values.participants)).toEqual([10, 25, 7]);
    expect(out.rows.every((r) => !r.suppressed)).toBe(true);
    expect(out.total.values.participants).toBe(42);
  });

  it('withholds counts from 1 to the threshold, keeps zeros and larger counts', () => {
    const out = suppress(table([0, 1, 4, 5, 30]).rows, table([0, 1, 4, 5, 30]).total, 4);
    expect(out.rows.map((r) => r.values.participants)).toEqual([0, null, null, 5, 30]);
    expect(out.rows.map((r) => r.suppressed)).toEqual([false, true, true, false, false]);
  });

  it('withholds the next smallest cell when only one is withheld, so the total cannot give it back', () => {
    const { rows, total } = table([3, 9, 12, 40]);
    const out = suppress(rows, total, 4);
    expect(out.rows.map((r) => r.values.participants)).toEqual([null, null, 12, 40]);
    expect(out.total.values.participants).toBe(64);
  });

  it('does not pick a zero as the second cell (a zero reveals nothing)', () => {
    const { rows, total } = table([0, 2, 0, 17, 30]);
    const out = suppress(rows, total, 4);
    expect(out.rows.map((r) => r.values.participants)).toEqual([0, null, 0, null, 30]);
  });

  it('needs no secondary cell when two or more are already withheld', () => {
    const { rows, total } = table([2, 3, 50]);
    expect(suppress(rows, total, 4).rows.map((r) => r.values.participants)).toEqual([null, null, 50]);
  });

  it('withholds a small total too, and then every row is small as well', () => {
    const { rows, total } = table([1, 2]);
    const out = suppress(rows, total, 4);
    expect(out.total.values.participants).toBeNull();
    expect(out.total.suppressed).toBe(true);
    expect(out.rows.map((r) => r.values.participants)).toEqual([null, null]);
  });

  it('withholds rates and money derived from withheld counts', () => {
    const rows = [
      row('a', {
        completed: 3,
        withdrawn: 1,
        completionRate: 0.75,
        enrolments: 3,
        attendanceRate: 0.9,
        placesFilled: 2,
        fundingPence: 400_000,
      }),
      row('b', {
        completed: 20,
        withdrawn: 5,
        completionRate: 0.8,
        enrolments: 25,
        attendanceRate: 0.85,
        placesFilled: 12,
        fundingPence: 2_400_000,
      }),
      row('c', {
        completed: 30,
        withdrawn: 6,
        completionRate: 30 / 36,
        enrolments: 36,
        attendanceRate: 0.8,
        placesFilled: 18,
        fundingPence: 3_600_000,
      }),
    ];
    const total = row('t', {
      completed: 53,
      withdrawn: 12,
      enrolments: 64,
      placesFilled: 32,
      fundingPence: 6_400_000,
      completionRate: 53 / 65,
    });
    const out = suppress(rows, total, 4);
    const a = out.rows[0]!.values;
    expect([
      a.completed,
      a.withdrawn,
      a.completionRate,
      a.enrolments,
      a.attendanceRate,
      a.placesFilled,
      a.fundingPence,
    ]).toEqual([null, null, null, null, null, null, null]);
    // b is the next smallest in every measure where only a was withheld.
    const b = out.rows[1]!.values;
    expect([
      b.completed,
      b.withdrawn,
      b.enrolments,
      b.placesFilled,
      b.fundingPence,
      b.completionRate,
    ]).toEqual([null, null, null, null, null, null]);
    expect(out.rows[2]!.values.enrolments).toBe(36);
  });

  it('never leaves a single withheld cell in a measure column, whatever the table', () => {
    // A brute-force check over many small tables.
    for (let seed = 1; seed < 400; seed++) {
      const counts = Array.from(
        { length: 2 + (seed % 5) },
        (_, i) => ((seed * (i + 3) * 7919) % 23) % (seed % 3 === 0 ? 6 : 40),
      );
      const { rows, total } = table(counts);
      const out = suppress(rows, total, 4);
      const hidden = out.rows.filter((r) => r.values.participants === null).length;
      if (out.total.values.participants !== null)
        expect(hidden === 0 || hidden >= 2, `counts ${counts}`).toBe(true);
      for (const r of out.rows) {
        const v = r.values.participants;
        expect(v === null || v === 0 || v > 4, `counts ${counts}`).toBe(true);
      }
    }
  });

  it('does not change its input', () => {
    const { rows, total } = table([1, 10, 20]);
    suppress(rows, total, 4);
    expect(rows[0]!.values.participants).toBe(1);
  });
});
