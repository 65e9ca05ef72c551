// The cell key method's perturbation table: published in docs/ptable-base5.csv, unbiased, bounded,
// and never publishing a count from 1 to the threshold.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  KEY_SPACE,
  perturbation,
  perturbRow,
  published,
  roundingBase,
} from '../../src/reporting/cell-key.ts';

describe('the perturbation table', () => {
  it('is the one published in docs/ptable-base5.csv', () => {
    const csv = readFileSync(new URL('../../../../docs/ptable-base5.csv', import.meta.url), 'utf8');
    const [, ...lines] = csv.trim().split('\n');
    const ranges = lines.map((l) => l.split(',').map(Number));
    for (let count = 0; count < 50; count++)
      for (let key = 0; key < KEY_SPACE; key++) {
        const row = ranges.find(([r, from, to]) => r === count % 5 && key >= from! && key <= to!);
        expect(row?.[3], `count ${count}, key ${key}`).toBe(perturbation(count, key, 5));
      }
  });

  it('publishes multiples of the base, within base − 1, right on average, zero as zero', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100_000 }), (t, count) => {
        const base = roundingBase(t);
        let sum = 0;
        for (let key = 0; key < KEY_SPACE; key++) {
          const p = published(count, key, base);
          expect(p % base).toBe(0);
          expect(Math.abs(p - count)).toBeLessThan(base);
          sum += p - count;
        }
        // Unbiased up to the key space's granularity (a key is 1/256 of the probability).
        expect(Math.abs(sum / KEY_SPACE)).toBeLessThanOrEqual(base / KEY_SPACE + 1e-9);
        expect(published(0, count % KEY_SPACE, base)).toBe(0);
      }),
    );
  });

  it('makes rates from the published counts, and withholds an attendance rate over few people', () => {
    const row = perturbRow(
      {
        key: {},
        values: {
          cohorts: 2,
          schools: 3,
          participants: 7,
          enrolments: 7,
          completed: 6,
          withdrawn: 1,
          completionRate: 6 / 7,
          attendanceRate: 0.9,
          placesOffered: 30,
          placesFilled: 3,
          fundingPence: 360_000,
        },
        cellKeys: { enrolments: 0, completed: 255, withdrawn: 255, participants: 0, schools: 0 },
      },
      4,
    );
    expect(row.values).toMatchObject({ enrolments: 10, completed: 5, withdrawn: 0, completionRate: 1 });
    expect(row.values).toMatchObject({
      cohorts: 2,
      placesOffered: 30,
      placesFilled: 3,
      fundingPence: 360_000,
    });
    expect(row.values.attendanceRate).toBe(0.9); // 10 published enrolments: shown
    const few = perturbRow(
      {
        ...row,
        values: { ...row.values, enrolments: 4, attendanceRate: 0.5 },
        cellKeys: { enrolments: 255, completed: 0, withdrawn: 0, participants: 0, schools: 0 },
      },
      4,
    );
    expect(few.values.attendanceRate).toBeNull();
    expect(few.withheld).toEqual(['attendanceRate']);
  });
});
