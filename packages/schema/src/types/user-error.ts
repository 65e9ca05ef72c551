// The shape every mutation payload shares: bad input is data, with a path a form can show it by.
// Constructors and rules: ../rules/user-errors.ts; the payload kit: ../mutations.ts.
import { builder } from '../builder.ts';
import type { UserErrorCode as Code, UserErrorShape } from '../rules/user-errors.ts';

export type { UserErrorShape } from '../rules/user-errors.ts';

export const UserErrorCode = builder.enumType('UserErrorCode', {
  description: 'Why an input was not accepted.',
  values: {
    INVALID: { description: 'A value is malformed or out of range; `field` says which.' },
    NOT_FOUND: { description: 'Something the input refers to does not exist (or is not visible to you).' },
    FORBIDDEN: { description: 'Your API key may not do this.' },
    DUPLICATE: { description: 'This would repeat something that must be unique.' },
    DEADLINE_PASSED: { description: 'The cohort’s application deadline has passed.' },
    INELIGIBLE: { description: 'The school or person does not meet the programme’s eligibility rules.' },
    COHORT_FULL: { description: 'The cohort has no places left.' },
    TOO_MANY_ATTEMPTS: {
      description:
        'Too many attempts of this kind failed lately (from this client, or at this cohort): the message says when to try again.',
    },
  } as const satisfies Record<Code, { description: string }>,
});

export const UserError = builder.objectRef<UserErrorShape>('UserError').implement({
  description: 'A problem with a mutation’s input, to show beside the field it concerns.',
  fields: (t) => ({
    field: t.exposeStringList('field', {
      nullable: true,
      description:
        'The path to the input field, e.g. ["input", "advocates", "0", "trn"]; null when it concerns the whole input.',
    }),
    message: t.exposeString('message', {
      description: 'What is wrong and how to put it right, in plain words.',
    }),
    code: t.expose('code', { type: UserErrorCode, description: 'A stable code for programs.' }),
  }),
});
