// The mutations' input checks as plain functions: each refusal on the field a form shows it by.
import { describe, expect, it } from 'vitest';
import { checkApplicationForm } from '../../src/rules/application-form.ts';
import { checkCohortChange, checkNewCohort } from '../../src/rules/cohort.ts';
import { COHORT_TRANSITIONS, checkTransition } from '../../src/rules/lifecycle.ts';
import { checkNewSession, checkRegister } from '../../src/rules/session.ts';
import type { UserErrorShape } from '../../src/rules/user-errors.ts';

const byField = (errors: UserErrorShape[]) =>
  Object.fromEntries(errors.map((e) => [e.field?.join('.') ?? '', `${e.code}: ${e.message}`]));

const date = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('checkApplicationForm', () => {
  const advocate = (n: number) => ({
    name: ` Teacher ${n} `,
    email: ` Teacher${n}@School.org.uk `,
    trn: `rp12/3456${n}`,
    yearGroupsTaught: 'Years 7 and 8',
    responsibility: 'Teacher of maths',
  });
  const form = {
    contactTelephone: '0121 496 0000',
    headteacher: { name: 'A Head', email: 'head@school.org.uk' },
    headOfDepartment: { name: 'A Hod', email: 'HOD@school.org.uk', trn: '1234567' },
    advocates: [advocate(1), advocate(2)],
    priorSpecialistWork: '  ',
    statement: 'We want to deepen our teaching of maths.',
    commitmentsConfirmed: true,
  };
  const workGroup = { family: 'TEACHING_FOR_MASTERY', kind: 'WORK_GROUP' };

  it('accepts a good form and returns it as it will be stored', () => {
    const { value, errors } = checkApplicationForm(form, workGroup);
    expect(errors).toEqual([]);
    expect(value?.advocates[0]).toEqual({
      name: 'Teacher 1',
      email: 'teacher1@school.org.uk',
      trn: '1234561',
      yearGroupsTaught: 'Years 7 and 8',
      responsibility: 'Teacher of maths',
    });
    expect(value?.headOfDepartment.email).toBe('hod@school.org.uk');
    expect(value?.priorSpecialistWork).toBeNull();
  });

  it('names every bad field once, with the first thing to fix', () => {
    const errors = checkApplicationForm(
      {
        ...form,
        contactTelephone: '12',
        headteacher: { name: '', email: '' },
        advocates: [{ ...advocate(1), trn: 'QTS', yearGroupsTaught: ' ' }, advocate(1), advocate(3)],
        statement: Array(166).fill('word').join(' '),
        commitmentsConfirmed: false,
      },
      workGroup,
    ).errors;
    expect(byField(errors)).toEqual({
      'input.contactTelephone': 'INVALID: "12" is not a telephone number (e.g. 0121 496 0000).',
      'input.headteacher.name': "INVALID: Give the headteacher's name.",
      'input.headteacher.email': "INVALID: Give the headteacher's email address.",
      'input.advocates.0.trn': expect.stringMatching(/^INVALID: "QTS" is not a Teacher Reference Number/),
      'input.advocates.0.yearGroupsTaught': 'INVALID: Say which year groups this teacher teaches.',
      'input.statement': expect.stringMatching(/166 words/),
      'input.commitmentsConfirmed': 'INVALID: The school must confirm the commitments to apply.',
      // the duplicate and the count are both on the list; the map keeps the last
      'input.advocates': expect.stringMatching(/exactly two Mastery Advocates per school; 3 given/),
    });
    expect(errors.filter((e) => e.field?.join('.') === 'input.advocates')).toHaveLength(2);
  });

  it('takes one to four advocates outside Teaching for Mastery Work Groups', () => {
    const other = { family: 'SUBJECT_KNOWLEDGE', kind: 'PROGRAMME' };
    expect(checkApplicationForm({ ...form, advocates: [advocate(1)] }, other).errors).toEqual([]);
    expect(checkApplicationForm({ ...form, advocates: [] }, other).errors[0]?.message).toMatch(
      /one and four/,
    );
    expect(checkApplicationForm({ ...form, advocates: [advocate(1)] }, workGroup).errors).toHaveLength(1);
  });
});

describe('checkNewCohort and checkCohortChange', () => {
  const cohort = {
    name: 'Work Group',
    capacity: 10,
    academicYear: '2026/27',
    applicationDeadline: date('2026-12-01'),
    startsOn: date('2027-01-10'),
    endsOn: date('2027-06-30'),
  };
  const now = date('2026-11-01');

  it('accepts a coherent cohort', () => expect(checkNewCohort(cohort, now)).toEqual([]));

  it('refuses names, places and dates that do not fit', () => {
    const errors = checkNewCohort(
      {
        ...cohort,
        name: '  ',
        capacity: 501,
        applicationDeadline: date('2026-10-31'),
        startsOn: date('2027-09-02'),
        endsOn: date('2027-09-01'),
      },
      now,
    );
    expect(byField(errors)).toEqual({
      'input.name': 'INVALID: Give a name of 1 to 200 characters.',
      'input.capacity': 'INVALID: Offer between 1 and 500 places.',
      'input.applicationDeadline': 'INVALID: The deadline 2026-10-31 has passed.',
      'input.endsOn': 'INVALID: The cohort ends (2027-09-01) before it starts (2027-09-02).',
      'input.startsOn': 'INVALID: 2027-09-02 is not in the academic year 2026/27 (September to August).',
    });
  });

  it('judges a change against the cohort as it is', () => {
    const before = { ...cohort, status: 'RECRUITING', placesTaken: 4 };
    expect(checkCohortChange(before, { capacity: 4, status: 'RUNNING' })).toEqual([]);
    expect(byField(checkCohortChange(before, { capacity: 3, status: 'COMPLETED', name: null }))).toEqual({
      'input.capacity': 'INVALID: Capacity must be between the 4 places already taken and 500.',
      'input.status':
        'INVALID: A recruiting cohort cannot become completed: it can become running or cancelled.',
    });
    expect(checkCohortChange(before, { startsOn: date('2026-11-30') })[0]?.field).toEqual([
      'input',
      'applicationDeadline',
    ]);
  });

  it('says when a state is final', () => {
    expect(checkTransition('cohort', COHORT_TRANSITIONS, 'CANCELLED', 'RUNNING')[0]?.message).toBe(
      'A cancelled cohort cannot become running.',
    );
    expect(checkTransition('cohort', COHORT_TRANSITIONS, 'RUNNING', 'RUNNING')).toEqual([]);
  });
});

describe('checkNewSession and checkRegister', () => {
  const cohort = {
    code: 'WM1-X',
    status: 'RUNNING',
    startsOn: date('2027-01-10'),
    endsOn: date('2027-06-30'),
  };
  const session = { title: 'Launch', durationMinutes: 90, startsAt: new Date('2027-01-10T15:30:00Z') };

  it('keeps sessions sensible and inside the cohort’s dates', () => {
    expect(checkNewSession(session, cohort)).toEqual([]);
    expect(
      byField(
        checkNewSession(
          { title: '', durationMinutes: 10, startsAt: new Date('2027-07-01T09:00:00Z') },
          { ...cohort, status: 'COMPLETED' },
        ),
      ),
    ).toEqual({
      'input.cohortId': 'INVALID: WM1-X is completed: no more sessions.',
      'input.title': 'INVALID: Give a title of 1 to 200 characters.',
      'input.durationMinutes': 'INVALID: A session lasts between 15 minutes and a day (1440).',
      'input.startsAt': 'INVALID: 2027-07-01 is outside the cohort’s dates (2027-01-10 to 2027-06-30).',
    });
  });

  it('records attendance once a session has started, each enrolment once', () => {
    const startsAt = new Date('2027-01-10T15:30:00Z');
    expect(checkRegister(startsAt, new Date('2027-01-10T15:30:00Z'), [1, 2, null])).toEqual([]);
    expect(byField(checkRegister(startsAt, new Date('2027-01-10T15:29:59Z'), [1, 1]))).toEqual({
      'input.sessionId': expect.stringMatching(/once it has started/),
      'input.records': 'INVALID: Each enrolment may appear once.',
    });
    expect(
      checkRegister(
        startsAt,
        startsAt,
        Array.from({ length: 501 }, (_, i) => i),
      )[0]?.message,
    ).toBe('Record at most 500 people at once.');
  });
});
