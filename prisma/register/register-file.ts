// Writes files in the register's exact dialect (GIAS.md): the 135-column header in order, every
// text field quoted, the bare-integer columns bare when filled, "" for blanks, CR LF, Windows-1252.
// Tests build their fixtures with it, and the benchmark its 50,000-row file; no download is used.
import iconv from 'iconv-lite';

export const GIAS_COLUMNS = [
  'URN',
  'LA (code)',
  'LA (name)',
  'EstablishmentNumber',
  'EstablishmentName',
  'TypeOfEstablishment (code)',
  'TypeOfEstablishment (name)',
  'EstablishmentTypeGroup (code)',
  'EstablishmentTypeGroup (name)',
  'EstablishmentStatus (code)',
  'EstablishmentStatus (name)',
  'ReasonEstablishmentOpened (code)',
  'ReasonEstablishmentOpened (name)',
  'OpenDate',
  'ReasonEstablishmentClosed (code)',
  'ReasonEstablishmentClosed (name)',
  'CloseDate',
  'PhaseOfEducation (code)',
  'PhaseOfEducation (name)',
  'StatutoryLowAge',
  'StatutoryHighAge',
  'Boarders (code)',
  'Boarders (name)',
  'NurseryProvision (name)',
  'OfficialSixthForm (code)',
  'OfficialSixthForm (name)',
  'Gender (code)',
  'Gender (name)',
  'ReligiousCharacter (code)',
  'ReligiousCharacter (name)',
  'ReligiousEthos (name)',
  'Diocese (code)',
  'Diocese (name)',
  'AdmissionsPolicy (code)',
  'AdmissionsPolicy (name)',
  'SchoolCapacity',
  'SpecialClasses (code)',
  'SpecialClasses (name)',
  'CensusDate',
  'NumberOfPupils',
  'NumberOfBoys',
  'NumberOfGirls',
  'PercentageFSM',
  'TrustSchoolFlag (code)',
  'TrustSchoolFlag (name)',
  'Trusts (code)',
  'Trusts (name)',
  'SchoolSponsorFlag (name)',
  'SchoolSponsors (name)',
  'FederationFlag (name)',
  'Federations (code)',
  'Federations (name)',
  'UKPRN',
  'FEHEIdentifier',
  'FurtherEducationType (name)',
  'LastChangedDate',
  'Street',
  'Locality',
  'Address3',
  'Town',
  'County (name)',
  'Postcode',
  'SchoolWebsite',
  'TelephoneNum',
  'HeadTitle (name)',
  'HeadFirstName',
  'HeadLastName',
  'HeadPreferredJobTitle',
  'BSOInspectorateName (name)',
  'InspectorateReport',
  'DateOfLastInspectionVisit',
  'NextInspectionVisit',
  'TeenMoth (name)',
  'TeenMothPlaces',
  'CCF (name)',
  'SENPRU (name)',
  'EBD (name)',
  'PlacesPRU',
  'FTProv (name)',
  'EdByOther (name)',
  'Section41Approved (name)',
  'SEN1 (name)',
  'SEN2 (name)',
  'SEN3 (name)',
  'SEN4 (name)',
  'SEN5 (name)',
  'SEN6 (name)',
  'SEN7 (name)',
  'SEN8 (name)',
  'SEN9 (name)',
  'SEN10 (name)',
  'SEN11 (name)',
  'SEN12 (name)',
  'SEN13 (name)',
  'TypeOfResourcedProvision (name)',
  'ResourcedProvisionOnRoll',
  'ResourcedProvisionCapacity',
  'SenUnitOnRoll',
  'SenUnitCapacity',
  'GOR (code)',
  'GOR (name)',
  'DistrictAdministrative (code)',
  'DistrictAdministrative (name)',
  'AdministrativeWard (code)',
  'AdministrativeWard (name)',
  'ParliamentaryConstituency (code)',
  'ParliamentaryConstituency (name)',
  'UrbanRural (code)',
  'UrbanRural (name)',
  'GSSLACode (name)',
  'Easting',
  'Northing',
  'MSOA (name)',
  'LSOA (name)',
  'InspectorateName (name)',
  'SENStat',
  'SENNoStat',
  'BoardingEstablishment (name)',
  'PropsName',
  'PreviousLA (code)',
  'PreviousLA (name)',
  'PreviousEstablishmentNumber',
  'Country (name)',
  'UPRN',
  'SiteName',
  'QABName (code)',
  'QABName (name)',
  'EstablishmentAccredited (code)',
  'EstablishmentAccredited (name)',
  'QABReport',
  'CHNumber',
  'MSOA (code)',
  'LSOA (code)',
  'FSM',
  'AccreditationExpiryDate',
] as const;

export type GiasColumn = (typeof GIAS_COLUMNS)[number];
export type GiasRecord = Partial<Record<GiasColumn, string | number>>;

/** Written without quotes when they hold a value (GIAS.md "Quoting"). */
const BARE = new Set<string>([
  'URN',
  'StatutoryLowAge',
  'StatutoryHighAge',
  'SchoolCapacity',
  'UKPRN',
  'Easting',
  'Northing',
  'SENStat',
  'SENNoStat',
]);

const quoted = (value: string) => `"${value.replaceAll('"', '""')}"`;

/** One record's line, in the register's quoting, without its line end. */
export function registerLine(record: GiasRecord, columns: readonly string[] = GIAS_COLUMNS): string {
  return columns
    .map((column) => {
      const value = record[column as GiasColumn];
      if (value === undefined || value === '') return '""';
      return BARE.has(column) && /^\d+$/.test(String(value)) ? String(value) : quoted(String(value));
    })
    .join(',');
}

/** A whole file as bytes: header, records, CR LF between them, Windows-1252. */
export function registerFile(
  records: (GiasRecord | string)[],
  { columns = GIAS_COLUMNS as readonly string[], finalLineBreak = false } = {},
): Buffer {
  const lines = [
    columns.map(quoted).join(','),
    ...records.map((r) => (typeof r === 'string' ? r : registerLine(r, columns))),
  ];
  return iconv.encode(lines.join('\r\n') + (finalLineBreak ? '\r\n' : ''), 'win1252');
}

/** Regions by GOR code, with the local authorities a generated row may fall in. */
const AREAS: { gor: string; gorName: string; las: [string, string][] }[] = [
  {
    gor: 'F',
    gorName: 'West Midlands',
    las: [
      ['330', 'Birmingham'],
      ['333', 'Sandwell'],
      ['332', 'Dudley'],
      ['336', 'Wolverhampton'],
    ],
  },
  {
    gor: 'B',
    gorName: 'North West',
    las: [
      ['895', 'Cheshire East'],
      ['896', 'Cheshire West and Chester'],
      ['344', 'Wirral'],
    ],
  },
  {
    gor: 'D',
    gorName: 'Yorkshire and the Humber',
    las: [
      ['383', 'Leeds'],
      ['373', 'Sheffield'],
    ],
  },
  {
    gor: 'H',
    gorName: 'London',
    las: [
      ['202', 'Camden'],
      ['213', 'Westminster'],
    ],
  },
  {
    gor: 'K',
    gorName: 'South West',
    las: [
      ['801', 'Bristol, City of'],
      ['878', 'Devon'],
    ],
  },
];
const KINDS = [
  { code: '34', name: 'Academy converter', group: ['10', 'Academies'], phase: ['2', 'Primary'] },
  { code: '34', name: 'Academy converter', group: ['10', 'Academies'], phase: ['4', 'Secondary'] },
  {
    code: '01',
    name: 'Community school',
    group: ['4', 'Local authority maintained schools'],
    phase: ['2', 'Primary'],
  },
  {
    code: '03',
    name: 'Voluntary controlled school',
    group: ['4', 'Local authority maintained schools'],
    phase: ['2', 'Primary'],
  },
  { code: '28', name: 'Academy sponsor led', group: ['10', 'Academies'], phase: ['4', 'Secondary'] },
  {
    code: '07',
    name: 'Community special school',
    group: ['5', 'Special schools'],
    phase: ['0', 'Not applicable'],
  },
  {
    code: '11',
    name: 'Other independent school',
    group: ['3', 'Independent schools'],
    phase: ['7', 'All-through'],
  },
  {
    code: '15',
    name: 'Local authority nursery school',
    group: ['4', 'Local authority maintained schools'],
    phase: ['1', 'Nursery'],
  },
  { code: '18', name: 'Further education', group: ['1', 'Colleges'], phase: ['6', '16 plus'] },
] as const;
const STATUS = [
  ['1', 'Open'],
  ['1', 'Open'],
  ['1', 'Open'],
  ['2', 'Closed'],
  ['2', 'Closed'],
  ['3', 'Open, but proposed to close'],
  ['4', 'Proposed to open'],
] as const;
const NAMES = [
  'St Mary’s',
  'Oakfield',
  'Brook Lane',
  'Château Vert',
  'Hillside',
  'Our Lady’s',
  'Riverside',
  'Marlborough',
];
const SUFFIX = [
  'Primary School',
  'Academy',
  'C of E Primary School',
  'High School',
  'School – Upper Site',
  'College',
];

/** Code and name pairs of where a row is and what it is. */
interface Place {
  la: readonly [string, string];
  gor: readonly [string, string];
  type: readonly [string, string];
  group: readonly [string, string];
  phase: readonly [string, string];
}
const WALES: Place = {
  la: ['660', 'Isle of Anglesey'],
  gor: ['W', 'Wales (pseudo)'],
  type: ['30', 'Welsh establishment'],
  group: ['6', 'Welsh schools'],
  phase: ['0', 'Not applicable'],
};
const OVERSEAS: Place = {
  la: ['702', 'BFPO Overseas Establishments'],
  gor: ['Z', 'Not Applicable'],
  type: ['26', "Service children's education"],
  group: ['9', 'Other types'],
  phase: ['2', 'Primary'],
};

/**
 * `count` rows shaped like the register's: mostly open English schools, a share closed, a few
 * proposed, one in a hundred Welsh, one in two hundred overseas. URNs from `firstUrn`, in order;
 * deterministic, so two runs write the same file.
 */
export function generatedRecords(count: number, firstUrn = 100000): GiasRecord[] {
  const records: GiasRecord[] = [];
  for (let i = 0; i < count; i++) {
    const urn = firstUrn + i;
    const area = AREAS[i % AREAS.length]!;
    const [laCode, laName] = area.las[(i >> 3) % area.las.length]!;
    const kind = KINDS[(i * 7) % KINDS.length]!;
    const [statusCode, statusName] = STATUS[(i * 5) % STATUS.length]!;
    const welsh = i % 100 === 99;
    // One row in a hundred is Welsh and one in two hundred overseas; the rest are English.
    const place: Place = welsh
      ? WALES
      : i % 200 === 150
        ? OVERSEAS
        : {
            la: [laCode, laName],
            gor: [area.gor, area.gorName],
            type: [kind.code, kind.name],
            group: kind.group,
            phase: kind.phase,
          };
    const closed = statusCode === '2';
    records.push({
      URN: urn,
      'LA (code)': place.la[0],
      'LA (name)': place.la[1],
      EstablishmentNumber: String(2000 + (i % 7000)),
      EstablishmentName: `${NAMES[i % NAMES.length]} ${SUFFIX[(i >> 2) % SUFFIX.length]}`,
      'TypeOfEstablishment (code)': place.type[0],
      'TypeOfEstablishment (name)': place.type[1],
      'EstablishmentTypeGroup (code)': place.group[0],
      'EstablishmentTypeGroup (name)': place.group[1],
      'EstablishmentStatus (code)': statusCode,
      'EstablishmentStatus (name)': statusName,
      'ReasonEstablishmentOpened (code)': '00',
      'ReasonEstablishmentOpened (name)': 'Not applicable',
      OpenDate:
        i % 13 === 0 ? '01-01-1800' : `${String((i % 28) + 1).padStart(2, '0')}-09-${2000 + (i % 24)}`,
      'ReasonEstablishmentClosed (code)': closed ? '10' : '00',
      'ReasonEstablishmentClosed (name)': closed ? 'Academy Converter' : 'Not applicable',
      CloseDate: closed ? `31-08-${2010 + (i % 14)}` : statusCode === '3' ? '31-08-2027' : '',
      'PhaseOfEducation (code)': place.phase[0],
      'PhaseOfEducation (name)': place.phase[1],
      StatutoryLowAge: welsh ? '' : 4,
      StatutoryHighAge: welsh ? '' : 11,
      'Gender (code)': '3',
      'Gender (name)': 'Mixed',
      SchoolCapacity: 210 + (i % 900),
      NumberOfPupils: String(180 + (i % 800)),
      'TrustSchoolFlag (code)': '0',
      'TrustSchoolFlag (name)': 'Not applicable',
      'Trusts (code)': i % 3 === 0 ? String(3000 + (i % 400)) : '',
      'Trusts (name)': i % 3 === 0 ? `The ${NAMES[(i >> 1) % NAMES.length]} Learning Trust` : '',
      UKPRN: 10000000 + i,
      LastChangedDate: '12-04-2025',
      Street: `${1 + (i % 200)} School Lane`,
      Town: area.gorName === 'London' ? 'London' : 'Townsville',
      Postcode: i % 37 === 0 ? '' : `B${1 + (i % 98)} ${1 + (i % 9)}AA`,
      'GOR (code)': place.gor[0],
      'GOR (name)': place.gor[1],
      Easting: 400000 + (i % 9999),
      Northing: 280000 + (i % 9999),
      'Country (name)': welsh ? 'Wales' : 'United Kingdom',
      // The columns the import does not read, filled as the register fills them, so that the
      // file is as long as a real one (about 1.2 kB a row: 60 MB for 51,000 rows). Made up:
      // no real school, person or address.
      ...registerPadding(i, place.la[1]),
    });
  }
  return records;
}

const WARDS = ['Hillfields', 'Kingsbury', 'Moor Green', 'Northfield', 'Sutton Vesey', 'Weoley & Selly Oak'];
const SEN = [
  'SpLD - Specific Learning Difficulty',
  'MLD - Moderate Learning Difficulty',
  'SEMH - Social, Emotional and Mental Health',
  'SLCN - Speech, language and Communication',
  'ASD - Autistic Spectrum Disorder',
];

/** Plausible values for the columns the import skips (none of them real). */
function registerPadding(i: number, laName: string): GiasRecord {
  const ward = WARDS[i % WARDS.length]!;
  return {
    'ReasonEstablishmentOpened (code)': '00',
    'Boarders (code)': '1',
    'Boarders (name)': 'No boarders',
    'NurseryProvision (name)': i % 4 === 0 ? 'Has Nursery Classes' : 'No Nursery Classes',
    'OfficialSixthForm (code)': '2',
    'OfficialSixthForm (name)': 'Does not have a sixth form',
    'ReligiousCharacter (code)': i % 5 === 0 ? '02' : '00',
    'ReligiousCharacter (name)': i % 5 === 0 ? 'Church of England' : 'Does not apply',
    'ReligiousEthos (name)': i % 5 === 0 ? 'Church of England' : 'Does not apply',
    'Diocese (code)': i % 5 === 0 ? 'CE23' : '0000',
    'Diocese (name)': i % 5 === 0 ? 'Diocese of Somewhere' : 'Not applicable',
    'AdmissionsPolicy (code)': '0',
    'AdmissionsPolicy (name)': 'Not applicable',
    'SpecialClasses (code)': '2',
    'SpecialClasses (name)': 'No Special Classes',
    CensusDate: '16-01-2025',
    NumberOfBoys: String(90 + (i % 400)),
    NumberOfGirls: String(90 + (i % 400)),
    PercentageFSM: ((i % 600) / 10).toFixed(1),
    'TrustSchoolFlag (code)': '5',
    'TrustSchoolFlag (name)': 'Supported by a multi-academy trust',
    'SchoolSponsorFlag (name)': 'Not applicable',
    'FederationFlag (name)': 'Not under a federation',
    'FurtherEducationType (name)': 'Not applicable',
    Locality: `${ward} Park`,
    Address3: '',
    'County (name)': 'Somewhereshire',
    SchoolWebsite: `https://school-${i}.example.org.uk`,
    TelephoneNum: `01632 ${String(960000 + (i % 1000))}`,
    'HeadTitle (name)': 'Ms',
    HeadFirstName: 'Alex',
    HeadLastName: `Example${i % 100}`,
    HeadPreferredJobTitle: 'Headteacher',
    'InspectorateName (name)': 'Ofsted',
    DateOfLastInspectionVisit: '14-03-2023',
    'SEN1 (name)': SEN[i % SEN.length],
    'SEN2 (name)': SEN[(i + 2) % SEN.length],
    'TypeOfResourcedProvision (name)': 'Not applicable',
    'DistrictAdministrative (code)': `E0800${String(i % 100).padStart(4, '0')}`,
    'DistrictAdministrative (name)': laName,
    'AdministrativeWard (code)': `E0503${String(i % 10000).padStart(4, '0')}`,
    'AdministrativeWard (name)': ward,
    'ParliamentaryConstituency (code)': `E1400${String(i % 1000).padStart(4, '0')}`,
    'ParliamentaryConstituency (name)': `${laName} ${ward}`,
    'UrbanRural (code)': 'A1',
    'UrbanRural (name)': '(England/Wales) Urban major conurbation',
    'GSSLACode (name)': `E0800${String(i % 100).padStart(4, '0')}`,
    'MSOA (name)': `${laName} ${String(i % 200).padStart(3, '0')}`,
    'LSOA (name)': `${laName} ${String(i % 200).padStart(3, '0')}${'ABCDE'[i % 5]}`,
    'BoardingEstablishment (name)': 'Not applicable',
    'PreviousLA (code)': '999',
    'PreviousLA (name)': 'Does not apply',
    UPRN: String(100070000000 + i),
    'MSOA (code)': `E0200${String(i % 10000).padStart(4, '0')}`,
    'LSOA (code)': `E0100${String(i % 10000).padStart(4, '0')}`,
    FSM: String(i % 300),
  };
}
