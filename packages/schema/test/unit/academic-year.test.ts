import { describe, expect, it } from 'vitest';
import { academicYearProblem } from '../../src/scalars.ts';

describe('academic years', () => {
  it('accepts consecutive years written 2024/25, including across a century', () => {
    expect(academicYearProblem('2024/25')).toBeNull();
    expect(academicYearProblem('2099/00')).toBeNull();
  });
  it('explains the expected form', () => {
    expect(academicYearProblem('2024-25')).toBe(
      '"2024-25" is not an academic year: expected the form 2024/25.',
    );
    expect(academicYearProblem('2024/2025')).toMatch(/expected the form 2024\/25/);
  });
  it('rejects years that are not consecutive, suggesting the right one', () => {
    expect(academicYearProblem('2024/26')).toBe(
      '"2024/26" is not an academic year: the years must be consecutive, e.g. 2024/25.',
    );
  });
});
