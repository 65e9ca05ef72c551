// The domain's enumerations, each value described (GraphiQL is the documentation). Every enum the
// database holds lives here, built from Prisma's; enums only the API has (orderings, a decision)
// live beside the type that uses them.
import { $Enums } from '@maths-hubs/db/client';
import { builder } from '../builder.ts';

/**
 * A GraphQL enum with exactly the values of a Prisma enum, each described: a value added to the
 * Prisma schema fails the type check here until it is described, and none can be invented.
 */
function prismaEnum<const Values extends Record<string, string>>(
  _values: Values,
  name: string,
  options: { description: string; values: { [K in keyof Values]: { description: string } } },
) {
  return builder.enumType<string, { [K in keyof Values]: { description: string } }>(name, options);
}

export const SchoolPhase = prismaEnum($Enums.SchoolPhase, 'SchoolPhase', {
  description: 'Phase of education, as the DfE register records it.',
  values: {
    NURSERY: { description: 'Nursery (under 5).' },
    PRIMARY: { description: 'Primary (ages 4–11).' },
    MIDDLE: {
      description: 'Middle school, deemed primary or secondary (demo data; the register says which).',
    },
    MIDDLE_DEEMED_PRIMARY: { description: 'Middle school deemed primary (e.g. ages 8–12).' },
    MIDDLE_DEEMED_SECONDARY: { description: 'Middle school deemed secondary (e.g. ages 9–13).' },
    SECONDARY: { description: 'Secondary (ages 11–16 or 11–18).' },
    ALL_THROUGH: { description: 'All-through (primary and secondary).' },
    SIXTEEN_PLUS: { description: 'Post-16: sixth-form and further education colleges.' },
    NOT_APPLICABLE: { description: 'No single phase, e.g. many special schools.' },
  } as const,
});

export const SchoolType = prismaEnum($Enums.SchoolType, 'SchoolType', {
  description: 'Kind of establishment.',
  values: {
    ACADEMY: { description: 'An academy (state-funded, independent of the local authority).' },
    FREE_SCHOOL: { description: 'A free school (a kind of academy).' },
    LA_MAINTAINED: { description: 'Maintained by the local authority.' },
    SPECIAL: { description: 'A special school.' },
    UTC: { description: 'A university technical college.' },
    FE_COLLEGE: { description: 'A further education college.' },
    SIXTH_FORM_COLLEGE: { description: 'A sixth-form college.' },
    INDEPENDENT: { description: 'An independent school (including independent special schools).' },
    OTHER: { description: 'Another kind the programme serves: secure units, special post-16 institutions.' },
  } as const,
});

export const SchoolStatus = prismaEnum($Enums.SchoolStatus, 'SchoolStatus', {
  description: 'Where a school stands in the DfE register (Get Information About Schools).',
  values: {
    OPEN: { description: 'Open.' },
    OPEN_PROPOSED_TO_CLOSE: { description: 'Open, with a closing date set (see closedOn).' },
    PROPOSED_TO_OPEN: { description: 'Registered but not open yet (see openedOn).' },
    CLOSED: {
      description:
        'Closed. Kept, never deleted: enrolments and applications still point at it, and an academy conversion closes the old URN (see successors).',
    },
  } as const,
});

export const ProgrammeFamily = prismaEnum($Enums.ProgrammeFamily, 'ProgrammeFamily', {
  description: 'The strand of the national offer a programme belongs to.',
  values: {
    TEACHING_FOR_MASTERY: {
      description: 'Teaching for Mastery: Development, Embedding, Sustaining, Mastery Specialists.',
    },
    LEADERSHIP: { description: 'Communities for subject leaders and trust maths leads.' },
    CURRICULUM: { description: 'Work on a part of the curriculum, e.g. Year 7 foundations.' },
    CROSS_PHASE: { description: 'Work across phases, e.g. Years 5–8 or post-16 resits.' },
    POST_16: { description: 'Post-16 teaching, e.g. A level pedagogy.' },
    SKTM: {
      description: 'Specialist Knowledge for Teaching Mathematics: ECTs, non-specialists, TAs, Core Maths.',
    },
    ITT: { description: 'Partnerships with initial teacher training providers.' },
    PD_ACCREDITATION: {
      description: 'Accredited professional development leadership (PD Lead, School Development Lead).',
    },
    HISTORIC: { description: 'Programmes that no longer run.' },
  } as const,
});

export const ProgrammePhase = prismaEnum($Enums.ProgrammePhase, 'ProgrammePhase', {
  description: 'The phase of education a programme is for.',
  values: {
    PRIMARY: { description: 'Primary teachers.' },
    SECONDARY: { description: 'Secondary teachers.' },
    PRIMARY_SECONDARY: { description: 'Primary and secondary together (transition).' },
    CROSS_PHASE: { description: 'Any phase.' },
    POST_16: { description: 'Post-16 teachers.' },
    ALL_PHASE: { description: 'Every phase.' },
    UNSPECIFIED: { description: 'The documents do not say.' },
  } as const,
});

export const ProgrammeKind = prismaEnum($Enums.ProgrammeKind, 'ProgrammeKind', {
  description: 'The format of a programme.',
  values: {
    WORK_GROUP: { description: 'A Work Group: teachers from several schools meeting through a year.' },
    COMMUNITY: { description: 'A professional community meeting through the year.' },
    SUPPORT_PROGRAMME: { description: 'Support in school, e.g. Embedding year support.' },
    SKTM_PROGRAMME: { description: 'A subject-knowledge programme.' },
    SPECIALIST_PROGRAMME: { description: 'A multi-year programme training Mastery Specialists.' },
    LEAD_PROGRAMME: { description: 'A programme training professional development leads.' },
    HISTORIC_PROGRAMME: { description: 'A programme that has been replaced.' },
    EXCHANGE: { description: 'A teacher exchange.' },
  } as const,
});

export const MasteryPhase = prismaEnum($Enums.MasteryPhase, 'MasteryPhase', {
  description: 'A school’s journey in Teaching for Mastery.',
  values: {
    DEVELOPMENT: { description: 'First year: two Mastery Advocates in a Work Group.' },
    EMBEDDING: { description: 'The year after Development: embedding across the department.' },
    SUSTAINING: { description: 'Later years: keeping it going.' },
  } as const,
});

export const ProgrammeStatus = prismaEnum($Enums.ProgrammeStatus, 'ProgrammeStatus', {
  description: 'Whether a programme is still part of the offer.',
  values: {
    OFFERED: { description: 'Part of the current offer.' },
    REPLACED: { description: 'Replaced by another programme (see `replacedBy`).' },
    HISTORIC: { description: 'Ran in the past.' },
    REFERENCED: { description: 'Mentioned in the documents but not offered by the hubs.' },
  } as const,
});

export const EligibilityCheck = prismaEnum($Enums.EligibilityCheck, 'EligibilityCheck', {
  description: 'What an eligibility rule checks.',
  values: {
    STATE_FUNDED_IN_ENGLAND: { description: 'The school is state-funded and in England.' },
    SCHOOL_PHASE: { description: 'The school’s phase is one of `schoolPhases`.' },
    SCHOOL_IN_COHORT_AREA: { description: 'The school is in an area the cohort serves.' },
    COMPLETED_PROGRAMME_PREVIOUS_YEAR: {
      description: 'The school took part in `requiredProgramme` the year before.',
    },
    COMPLETED_PROGRAMME: { description: 'The person or school completed `requiredProgramme` earlier.' },
    SCHOOL_IN_PROGRAMME: { description: 'The school takes part in `requiredProgramme`.' },
    TEXT_ONLY: { description: 'Guidance for applicants, not checked automatically.' },
  } as const,
});

export const FundingPayer = prismaEnum($Enums.FundingPayer, 'FundingPayer', {
  description: 'Who pays a funding line.',
  values: {
    MATHS_HUBS_PROGRAMME: { description: 'The Maths Hubs Programme.' },
    DFE: { description: 'The Department for Education.' },
    AMSP: { description: 'The Advanced Mathematics Support Programme (co-funder).' },
    PARTICIPANT: { description: 'The participant pays.' },
  } as const,
});

export const FundingUnit = prismaEnum($Enums.FundingUnit, 'FundingUnit', {
  description: 'What a funding amount is counted per.',
  values: {
    PER_DEPARTMENT: { description: 'Per participating maths department.' },
    PER_SCHOOL: { description: 'Per school.' },
    PER_DAY: { description: 'Per day of release.' },
    PER_PARTICIPANT: { description: 'Per person.' },
    TRAVEL_COSTS: { description: 'Travel costs are covered.' },
  } as const,
});

export const EnrolmentRole = prismaEnum($Enums.EnrolmentRole, 'EnrolmentRole', {
  description: 'The part a participant plays in a cohort.',
  values: {
    MASTERY_ADVOCATE: {
      description: 'One of a school’s two Mastery Advocates in a Teaching for Mastery Work Group.',
    },
    MASTERY_SPECIALIST: { description: 'A Mastery Specialist (training, or leading Work Groups).' },
    HEAD_OF_DEPARTMENT: { description: 'Head of the maths department.' },
    SUBJECT_LEADER: { description: 'A maths subject leader.' },
    ECT: { description: 'An early career teacher.' },
    NON_SPECIALIST_TEACHER: { description: 'A teacher of maths without maths teacher training.' },
    TA: { description: 'A teaching assistant.' },
    PD_LEAD: { description: 'A professional development lead.' },
    SCHOOL_DEVELOPMENT_LEAD: { description: 'A school development lead.' },
    MAT_MATHS_LEAD: { description: 'A multi-academy trust’s maths lead.' },
    ITT_PROVIDER_LEAD: { description: 'A lead from an initial teacher training provider.' },
    TEACHER: { description: 'A teacher in another role.' },
  } as const,
});

export const EnrolmentStatus = prismaEnum($Enums.EnrolmentStatus, 'EnrolmentStatus', {
  description: 'Where a participant stands in a cohort.',
  values: {
    APPLIED: { description: 'Named on an application not yet decided.' },
    ACCEPTED: { description: 'Accepted; the cohort has not started.' },
    ACTIVE: { description: 'Taking part.' },
    COMPLETED: { description: 'Finished the cohort.' },
    WITHDRAWN: { description: 'Left before the end.' },
    DECLINED: { description: 'Not accepted.' },
  } as const,
});

export const ApplicationStatus = prismaEnum($Enums.ApplicationStatus, 'ApplicationStatus', {
  description: 'Where an application stands.',
  values: {
    SUBMITTED: { description: 'Waiting for the hub’s decision.' },
    WAITLISTED: { description: 'On the waiting list.' },
    ACCEPTED: { description: 'Accepted: the school has a place.' },
    DECLINED: { description: 'Not accepted.' },
    WITHDRAWN: { description: 'Withdrawn by the school.' },
  } as const,
});

export const SessionKind = prismaEnum($Enums.SessionKind, 'SessionKind', {
  description: 'The kind of a cohort session.',
  values: {
    HALF_DAY_MEETING: { description: 'A half-day Work Group meeting.' },
    IN_SCHOOL_SUPPORT: { description: 'Support in a participant’s school.' },
    RESIDENTIAL: { description: 'A residential.' },
    WORKSHOP: { description: 'A workshop.' },
    CONFERENCE: { description: 'A conference, e.g. the Mastery conference in June.' },
  } as const,
});

export const SessionMode = prismaEnum($Enums.SessionMode, 'SessionMode', {
  description: 'How a session is delivered.',
  values: {
    IN_PERSON: { description: 'Face to face.' },
    ONLINE: { description: 'Online.' },
  } as const,
});

export const AttendanceStatus = prismaEnum($Enums.AttendanceStatus, 'AttendanceStatus', {
  description: 'Whether an enrolled participant attended a session.',
  values: {
    PRESENT: { description: 'Attended.' },
    ABSENT: { description: 'Did not attend.' },
    EXCUSED: { description: 'Did not attend, with apologies.' },
  } as const,
});

export const ApiRole = prismaEnum($Enums.ApiRole, 'ApiRole', {
  description: 'What an API key may do.',
  values: {
    HUB_STAFF: { description: 'Staff of one hub: its cohorts, applications and people.' },
    ANALYST: { description: 'Aggregates across every hub, small numbers suppressed; no personal data.' },
    NATIONAL_ADMIN: { description: 'Everything, including API keys and the audit log.' },
  } as const,
});

export const ViewerRole = builder.enumType('ViewerRole', {
  description: 'Who the caller is.',
  values: {
    ANONYMOUS: { description: 'No API key: the public catalogue and recruiting cohorts.' },
    HUB_STAFF: { description: 'Staff of one hub.' },
    ANALYST: { description: 'An analyst.' },
    NATIONAL_ADMIN: { description: 'A national admin.' },
  } as const,
});

export const CohortStatus = prismaEnum($Enums.CohortStatus, 'CohortStatus', {
  description:
    'Where a cohort is in its lifecycle: PLANNED → RECRUITING → RUNNING → COMPLETED, or CANCELLED.',
  values: {
    PLANNED: { description: 'Announced, not yet taking applications.' },
    RECRUITING: { description: 'Taking applications until its deadline.' },
    RUNNING: { description: 'Under way.' },
    COMPLETED: { description: 'Finished.' },
    CANCELLED: { description: 'Will not run.' },
  } as const,
});

export const ProgrammeYearStatus = prismaEnum($Enums.ProgrammeYearStatus, 'ProgrammeYearStatus', {
  description: 'How a programme is offered in one academic year.',
  values: {
    RECRUITING: { description: 'Taking applications.' },
    AVAILABLE: { description: 'Offered nationally; apply through your local hub.' },
    EXPRESSION_OF_INTEREST: { description: 'Registering interest for the following year.' },
    CLOSED: { description: 'Applications have closed for the year.' },
    NOT_LISTED: { description: 'Not shown on that year’s hub page; whether it ran is unknown.' },
  } as const,
});

export const SuccessionEvidence = prismaEnum($Enums.SuccessionEvidence, 'SuccessionEvidence', {
  description: 'How sure we are that an earlier hub became a current one.',
  values: {
    SAME_NAME: { description: 'The same name appears in both lists.' },
    PROBABLE_HIGH: { description: 'The names overlap strongly and the list position matches.' },
    PROBABLE_MEDIUM: {
      description: 'Some overlap (list position, part of the name); plausible, unconfirmed.',
    },
    NOT_EVIDENT: { description: 'No document links this earlier hub to a current one.' },
  } as const,
});
