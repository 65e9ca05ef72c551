// The shape of the reference data files in this folder: facts from the programme documents
// (codes, statuses, dates, amounts, links), with all descriptive text in our own words.
import type {
  EligibilityCheck,
  FundingPayer,
  FundingUnit,
  MasteryPhase,
  ProgrammeFamily,
  ProgrammeKind,
  ProgrammePhase,
  ProgrammeStatus,
  ProgrammeYearStatus,
  SchoolPhase,
  SuccessionEvidence,
} from '../../generated/client/enums.ts';

export interface RegionSeed {
  code: string;
  name: string;
  sortOrder: number;
}

export interface HubSeed {
  code: string;
  name: string;
  shortName: string;
  regionCode: string;
  numberInRegion: number;
  altNames: string[];
  areasServed: string[];
  /** An organisational address only; never a person's. */
  contactEmail: string | null;
  leadOrganisations: { name: string; town: string | null; academicYear: string; inferred: boolean }[];
}

export interface HubPredecessorSeed {
  name: string;
  regionCode: string;
  listedIn: string;
  leadOrganisations: string[];
  town: string | null;
  successorCode: string | null;
  evidence: SuccessionEvidence;
}

export interface ProgrammeSeed {
  /** The programme's id in the domain documents, e.g. secondary-tfm-development. */
  slug: string;
  /** Upper-case code used to build cohort codes, e.g. SEC-TFM-DEV. */
  shortCode: string;
  name: string;
  family: ProgrammeFamily;
  phase: ProgrammePhase;
  kind: ProgrammeKind;
  masteryPhase: MasteryPhase | null;
  status: ProgrammeStatus;
  summary: string;
  audience: string[];
  outcomes: string[];
  timeCommitment: string[];
  fullyFunded: boolean | null;
  /** Slug of the programme that replaced this one. */
  replacedBy: string | null;
  years: {
    academicYear: string;
    projectCode: string | null;
    status: ProgrammeYearStatus;
    /** ISO date (YYYY-MM-DD) of a national application deadline. */
    applicationDeadline: string | null;
  }[];
  eligibility: {
    kind: EligibilityCheck;
    description: string;
    /** For SCHOOL_PHASE. */
    schoolPhases?: SchoolPhase[];
    /** Slug, for the programme checks. */
    requiredProgramme?: string;
  }[];
  funding: {
    payer: FundingPayer;
    amountPence: number | null;
    unit: FundingUnit;
    description: string;
    academicYear: string | null;
  }[];
  /** Programmes this one leads to; `required` when the later one needs this one first. */
  leadsTo: { programme: string; required: boolean; rule: string }[];
}
