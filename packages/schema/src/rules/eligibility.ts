// Eligibility as data: each programme's rules (EligibilityRule rows) checked against facts about
// the school, the cohort and the people named. A plain function, unit-tested.
import { shiftAcademicYear } from '../scalars.ts';
import { type UserErrorShape, userError } from './user-errors.ts';

export interface RuleRow {
  kind: string;
  description: string;
  schoolPhases: string[];
  requiredProgrammeSlug: string | null;
}

export interface EligibilityFacts {
  school: { stateFunded: boolean; phase: string; localAuthority: string };
  cohort: { academicYear: string; areasServed: string[] };
  /** "slug|2023/24" for each programme year the school took part in (an accepted place). */
  schoolProgrammeYears: Set<string>;
}

/**
 * Returns one INELIGIBLE error per rule about the school and the cohort not met, saying which and
 * why. Rules about the people named are checkPeopleEligibility's.
 */
export function checkEligibility(rules: RuleRow[], facts: EligibilityFacts): UserErrorShape[] {
  const fail = (message: string, path = ['schoolUrn']) => userError('INELIGIBLE', path, message);
  const errors: UserErrorShape[] = [];
  for (const rule of rules) {
    const required = rule.requiredProgrammeSlug;
    switch (rule.kind) {
      case 'STATE_FUNDED_IN_ENGLAND':
        if (!facts.school.stateFunded)
          errors.push(fail(`${rule.description} This school is not state-funded.`));
        break;
      case 'SCHOOL_PHASE':
        if (rule.schoolPhases.length > 0 && !rule.schoolPhases.includes(facts.school.phase)) {
          errors.push(
            fail(
              `${rule.description} This school's phase is ${facts.school.phase.toLowerCase().replaceAll('_', ' ')}.`,
            ),
          );
        }
        break;
      case 'SCHOOL_IN_COHORT_AREA':
        break; // checked for every cohort below, whether or not the programme lists it
      case 'COMPLETED_PROGRAMME_PREVIOUS_YEAR': {
        const year = shiftAcademicYear(facts.cohort.academicYear, -1);
        if (required && !facts.schoolProgrammeYears.has(`${required}|${year}`)) {
          errors.push(fail(`${rule.description} This school did not take part in ${required} in ${year}.`));
        }
        break;
      }
      case 'SCHOOL_IN_PROGRAMME':
        if (
          required &&
          ![...facts.schoolProgrammeYears].some(
            (k) => k.startsWith(`${required}|`) && k.split('|')[1]! <= facts.cohort.academicYear,
          )
        ) {
          errors.push(fail(`${rule.description} This school has no place in ${required}.`));
        }
        break;
      default:
        break; // COMPLETED_PROGRAMME: checkPeopleEligibility; TEXT_ONLY: guidance, not checked
    }
  }
  // A cohort that names areas takes schools from those areas only.
  const areas = facts.cohort.areasServed.map((a) => a.toLowerCase());
  if (areas.length > 0 && !areas.includes(facts.school.localAuthority.toLowerCase())) {
    errors.push(
      fail(
        `This cohort takes schools in ${facts.cohort.areasServed.join(', ')} only; this school is in ${facts.school.localAuthority}.`,
      ),
    );
  }
  return errors;
}

/**
 * The rules about the people named (COMPLETED_PROGRAMME: each advocate has done a programme).
 * They read other people's records, so the caller checks them only for an otherwise valid form,
 * and the refusal names the addresses not found only when `detail` is allowed (the cohort's own
 * hub, a national admin): an answer that named them would tell anyone who has taken part.
 * `peopleProgrammes`: the programme slugs each named person (by email) has completed or is taking.
 */
export function checkPeopleEligibility(
  rules: RuleRow[],
  peopleProgrammes: Map<string, Set<string>>,
  detail: boolean,
): UserErrorShape[] {
  const errors: UserErrorShape[] = [];
  for (const rule of rules) {
    const required = rule.requiredProgrammeSlug;
    if (rule.kind !== 'COMPLETED_PROGRAMME' || !required) continue;
    const missing = [...peopleProgrammes.entries()]
      .filter(([, slugs]) => !slugs.has(required))
      .map(([email]) => email);
    if (missing.length === 0) continue;
    const which = detail
      ? `Not found for: ${missing.join(', ')}.`
      : `One or more of the advocates named has not taken part in ${required}; the hub running this cohort can tell you which.`;
    errors.push(userError('INELIGIBLE', ['advocates'], `${rule.description} ${which}`));
  }
  return errors;
}
