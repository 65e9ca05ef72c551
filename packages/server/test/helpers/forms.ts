// A complete, valid Work Group application (the 2024/25 form) for tests to submit or vary.

/** A head of department's statement of `words` words. */
export const statementOf = (words: number) => Array.from({ length: words }, (_, i) => `word${i}`).join(' ');

export const applicationForm = (
  cohortCode: string,
  schoolUrn: string,
  overrides: Record<string, unknown> = {},
) => ({
  cohortCode,
  schoolUrn,
  contactTelephone: '0121 496 0000',
  headteacher: { name: 'Head Teacher', email: 'head@school.example.org' },
  headOfDepartment: { name: 'Head Maths', email: 'hod@school.example.org', trn: 'RP12/34567' },
  advocates: [
    {
      name: 'Ada One',
      email: 'ada.one@school.example.org',
      trn: '1234567',
      yearGroupsTaught: 'Years 7-9',
      responsibility: 'KS3 lead',
    },
    {
      name: 'Bo Two',
      email: 'bo.two@school.example.org',
      trn: 'uqt',
      yearGroupsTaught: 'Years 7, 8',
      responsibility: 'Teacher',
    },
  ],
  statement: statementOf(140),
  commitmentsConfirmed: true,
  ...overrides,
});
