// How big a synthetic layer is: the small demo layer, and the national one the benchmarks use.

import type { SchoolKind } from './catalogue.ts';

export interface Scale {
  name: 'demo' | 'national';
  firstUrn: number;
  emailDomain: string;
  /** Schools per hub, by kind. */
  schoolsPerHub: Record<SchoolKind, number>;
  /** How many different staff a school can send, by kind; people are reused beyond that. */
  staffPerSchool: Record<SchoolKind, number>;
  /** Programmes each hub runs in a year, and cohorts of each. */
  programmesPerHubYear: number;
  groupsPerProgramme: number;
  /** Places per cohort: [min, max]. */
  places: [number, number];
}

export const SCALES: Record<Scale['name'], Scale> = {
  demo: {
    name: 'demo',
    firstUrn: 900001,
    emailDomain: 'demo.example.org',
    schoolsPerHub: { secondary: 24, primary: 12, special: 3, college: 2, independent: 1 },
    staffPerSchool: { secondary: 5, primary: 2, special: 2, college: 3, independent: 2 },
    programmesPerHubYear: 3,
    groupsPerProgramme: 1,
    places: [4, 8],
  },
  national: {
    name: 'national',
    firstUrn: 600001,
    emailDomain: 'national.example.org',
    schoolsPerHub: { secondary: 110, primary: 455, special: 22, college: 9, independent: 4 },
    staffPerSchool: { secondary: 42, primary: 4, special: 6, college: 12, independent: 2 },
    programmesPerHubYear: 7,
    groupsPerProgramme: 3,
    places: [64, 104],
  },
};
