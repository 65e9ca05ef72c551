// The rows the generator makes and the loader writes. They refer to each other by natural keys
// (URN, email, cohort code): database ids exist only once the loader has inserted the rows.

import type { SchoolKind } from './catalogue.ts';

export interface SchoolRow {
  urn: string;
  name: string;
  phase: string;
  type: string;
  stateFunded: boolean;
  localAuthority: string;
  postcode: string;
  trust: string | null;
  hubId: number;
  kind: SchoolKind;
}
export interface PersonRow {
  name: string;
  email: string;
  trn: string;
  qts: boolean;
  yearsTeaching: number;
  urn: string;
}
export interface CohortRow {
  code: string;
  name: string;
  programmeId: number;
  hubId: number;
  academicYear: string;
  status: string;
  capacity: number;
  placesTaken: number;
  deadline: string;
  startsOn: string;
  endsOn: string;
  leadEmail: string | null;
}
export interface SessionRow {
  cohortCode: string;
  kind: string;
  title: string;
  startsAt: string;
  minutes: number;
  mode: string;
}
export interface ApplicationRow {
  cohortCode: string;
  urn: string;
  status: string;
  submittedAt: string;
  decidedAt: string | null;
  headteacher: string;
  hod: string;
  hodTrn: string;
  statement: string;
  advocates: { name: string; email: string; trn: string }[];
}
export interface EnrolmentRow {
  email: string;
  cohortCode: string;
  urn: string;
  role: string;
  status: string;
}

export interface Generated {
  schools: SchoolRow[];
  people: PersonRow[];
  cohorts: CohortRow[];
  sessions: SessionRow[];
  applications: ApplicationRow[];
  enrolments: EnrolmentRow[];
}
