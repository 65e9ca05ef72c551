// The Work Group application form's own rules (../shared/domain/forms.json): what a school must
// write, before anything about the cohort or the school is looked up. Pure, unit-tested.
import { z } from 'zod';
import { type Checked, invalid, parseInput } from './user-errors.ts';
import { emailAddress, personName, statement, teacherReferenceNumber, telephone } from './validation.ts';

const advocate = z.object({
  name: personName('advocate'),
  email: emailAddress('advocate'),
  trn: teacherReferenceNumber('advocate'),
  yearGroupsTaught: z.string().trim().min(1, 'Say which year groups this teacher teaches.'),
  responsibility: z.string().trim().min(1, 'Give this teacher’s role in the department.'),
});

const applicationForm = z.object({
  contactTelephone: telephone,
  headteacher: z.object({ name: personName('headteacher'), email: emailAddress('headteacher') }),
  headOfDepartment: z.object({
    name: personName('head of department'),
    email: emailAddress('head of department'),
    trn: teacherReferenceNumber('head of department'),
  }),
  advocates: z.array(advocate),
  priorSpecialistWork: z
    .string()
    .trim()
    .max(2000, 'Keep this under 2,000 characters.')
    .nullish()
    .transform((value) => value || null),
  statement,
  commitmentsConfirmed: z.literal(true, 'The school must confirm the commitments to apply.'),
});

/** The form as stored: trimmed, e-mail addresses lower-cased, TRNs normalised. */
export type ApplicationForm = z.output<typeof applicationForm>;

/** Teaching for Mastery Work Groups take exactly two Mastery Advocates per school. */
export const takesTwoAdvocates = (programme: { family: string; kind: string }) =>
  programme.family === 'TEACHING_FOR_MASTERY' && programme.kind === 'WORK_GROUP';

/**
 * Checks the form a school filled in. `programme` (when the cohort is known) decides how many
 * advocates the form takes.
 */
export function checkApplicationForm(
  input: Omit<z.input<typeof applicationForm>, 'commitmentsConfirmed'> & { commitmentsConfirmed: boolean },
  programme: { family: string; kind: string } | null,
): Checked<ApplicationForm> {
  const { value, errors } = parseInput(applicationForm, input);
  const advocates = input.advocates;
  const emails = advocates.map((a) => a.email.trim().toLowerCase());
  if (new Set(emails).size !== emails.length)
    errors.push(invalid(['advocates'], 'Name two different teachers.'));
  if (programme && takesTwoAdvocates(programme) && advocates.length !== 2) {
    errors.push(
      invalid(
        ['advocates'],
        `A Teaching for Mastery Work Group takes exactly two Mastery Advocates per school; ${advocates.length} given.`,
      ),
    );
  } else if (advocates.length === 0 || advocates.length > 4) {
    errors.push(invalid(['advocates'], 'Name between one and four participating teachers.'));
  }
  return errors.length === 0 && value ? { value, errors } : { errors };
}
