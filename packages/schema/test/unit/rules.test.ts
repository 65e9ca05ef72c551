// The business rules as plain functions.
import { describe, expect, it } from 'vitest';
import {
  checkEligibility,
  checkPeopleEligibility,
  type EligibilityFacts,
} from '../../src/rules/eligibility.ts';
import { COHORT_TRANSITIONS, canMove, ENROLMENT_TRANSITIONS } from '../../src/rules/lifecycle.ts';
import { parseInput } from '../../src/rules/user-errors.ts';
import {
  controlCharacterErrors,
  isEmail,
  normaliseTrn,
  statement,
  wordCount,
} from '../../src/rules/validation.ts';

const checkStatement = (text: string) => parseInput(statement, text, ['statement']).errors;

describe('TRNs', () => {
  it('accepts seven digits, the payslip form and UQT, normalised', () => {
    expect(normaliseTrn('1234567')).toBe('1234567');
    expect(normaliseTrn(' rp12/34567 ')).toBe('1234567');
    expect(normaliseTrn('uqt')).toBe('UQT');
    expect(normaliseTrn('12 345 67')).toBe('1234567');
  });
  it('rejects everything else, blank included', () => {
    for (const bad of ['', '123456', '12345678', 'RP1/23456', 'RP12-34567', 'QTS', 'abcdefg'])
      expect(normaliseTrn(bad), bad).toBeNull();
  });
});

describe('emails and statements', () => {
  it('knows an email address', () => {
    expect(isEmail('a.b@school.sch.uk')).toBe(true);
    for (const bad of ['a@b', 'a b@c.org', '@c.org', 'a@@c.org', '']) expect(isEmail(bad), bad).toBe(false);
  });
  it('counts words and allows 10% over 150', () => {
    expect(wordCount('  one two\nthree  ')).toBe(3);
    expect(checkStatement(Array(165).fill('w').join(' '))).toEqual([]);
    expect(checkStatement(Array(166).fill('w').join(' '))[0]?.message).toMatch(/166 words/);
    expect(checkStatement('   ')[0]?.code).toBe('INVALID');
  });
  it('finds control characters anywhere in an input, with the path', () => {
    expect(controlCharacterErrors({ a: 'ok', b: [{ c: 'x\u0000y' }] })).toEqual([
      expect.objectContaining({ field: ['input', 'b', '0', 'c'], code: 'INVALID' }),
    ]);
    expect(controlCharacterErrors({ a: 'tab\tand\nnewline are fine' })).toEqual([]);
  });
});

describe('eligibility', () => {
  const facts = (over: Partial<EligibilityFacts> = {}): EligibilityFacts => ({
    school: { stateFunded: true, phase: 'SECONDARY', localAuthority: 'Dudley' },
    cohort: { academicYear: '2024/25', areasServed: [] },
    schoolProgrammeYears: new Set(),
    ...over,
  });
  const rule = (
    kind: string,
    extra: Partial<{ schoolPhases: string[]; requiredProgrammeSlug: string }> = {},
  ) => ({
    kind,
    description: `${kind} rule.`,
    schoolPhases: extra.schoolPhases ?? [],
    requiredProgrammeSlug: extra.requiredProgrammeSlug ?? null,
  });

  it('passes a school that meets every rule, and ignores text-only guidance', () => {
    expect(
      checkEligibility(
        [
          rule('STATE_FUNDED_IN_ENGLAND'),
          rule('SCHOOL_PHASE', { schoolPhases: ['SECONDARY'] }),
          rule('TEXT_ONLY'),
        ],
        facts(),
      ),
    ).toEqual([]);
  });
  it('needs the previous year, not any year, for COMPLETED_PROGRAMME_PREVIOUS_YEAR', () => {
    const r = [rule('COMPLETED_PROGRAMME_PREVIOUS_YEAR', { requiredProgrammeSlug: 'dev' })];
    expect(checkEligibility(r, facts({ schoolProgrammeYears: new Set(['dev|2023/24']) }))).toEqual([]);
    expect(
      checkEligibility(r, facts({ schoolProgrammeYears: new Set(['dev|2022/23']) }))[0]?.message,
    ).toMatch(/in 2023\/24/);
  });
  it('needs the school in the programme for SCHOOL_IN_PROGRAMME (this year or before)', () => {
    const r = [rule('SCHOOL_IN_PROGRAMME', { requiredProgrammeSlug: 'dev' })];
    expect(checkEligibility(r, facts({ schoolProgrammeYears: new Set(['dev|2024/25']) }))).toEqual([]);
    expect(checkEligibility(r, facts({ schoolProgrammeYears: new Set(['dev|2025/26']) }))).toHaveLength(1);
  });
  it('needs every named person to have done the programme for COMPLETED_PROGRAMME', () => {
    const r = [rule('COMPLETED_PROGRAMME', { requiredProgrammeSlug: 'ect1' })];
    const people = new Map([
      ['a@x.org', new Set(['ect1'])],
      ['b@x.org', new Set<string>()],
    ]);
    expect(checkEligibility(r, facts())).toEqual([]); // not a rule about the school
    expect(checkPeopleEligibility(r, people, true)[0]?.message).toMatch(/Not found for: b@x.org/);
    // Without detail, the refusal names nobody: it cannot tell anyone who has taken part.
    const told = checkPeopleEligibility(r, people, false)[0]?.message;
    expect(told).toMatch(/One or more of the advocates named has not taken part in ect1/);
    expect(told).not.toMatch(/@/);
    expect(checkPeopleEligibility(r, new Map([['a@x.org', new Set(['ect1'])]]), false)).toEqual([]);
  });
  it('holds a cohort to its areas whatever the programme says', () => {
    expect(
      checkEligibility(
        [],
        facts({ cohort: { academicYear: '2024/25', areasServed: ['Birmingham', 'dudley'] } }),
      ),
    ).toEqual([]);
    expect(
      checkEligibility([], facts({ cohort: { academicYear: '2024/25', areasServed: ['Birmingham'] } })),
    ).toHaveLength(1);
  });
});

describe('lifecycles', () => {
  it('moves cohorts one step at a time, or cancels them', () => {
    expect(canMove(COHORT_TRANSITIONS, 'PLANNED', 'RECRUITING')).toBe(true);
    expect(canMove(COHORT_TRANSITIONS, 'RECRUITING', 'RUNNING')).toBe(true);
    expect(canMove(COHORT_TRANSITIONS, 'RUNNING', 'COMPLETED')).toBe(true);
    expect(canMove(COHORT_TRANSITIONS, 'PLANNED', 'RUNNING')).toBe(false);
    expect(canMove(COHORT_TRANSITIONS, 'COMPLETED', 'CANCELLED')).toBe(false);
    expect(canMove(COHORT_TRANSITIONS, 'RUNNING', 'RECRUITING')).toBe(false);
  });
  it('never revives a finished enrolment', () => {
    expect(canMove(ENROLMENT_TRANSITIONS, 'ACCEPTED', 'ACTIVE')).toBe(true);
    expect(canMove(ENROLMENT_TRANSITIONS, 'COMPLETED', 'ACTIVE')).toBe(false);
    expect(canMove(ENROLMENT_TRANSITIONS, 'WITHDRAWN', 'ACTIVE')).toBe(false);
  });
});
