// Reading England's school register: the GIAS "all establishment data" file (see
// ../shared/domain/GIAS.md). Bytes are Windows-1252 (decoded with iconv-lite's own table: Node's
// TextDecoder gets bytes 80–9F wrong), records are CSV with CR LF, and every row is checked and
// classified: a school to load, a row outside the programme's scope (counted, not an error), or
// an invalid row (reported with its line and reason). Nothing here touches a database.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';

export type SchoolStatus = 'OPEN' | 'CLOSED' | 'OPEN_PROPOSED_TO_CLOSE' | 'PROPOSED_TO_OPEN';
export type SchoolPhase =
  | 'NURSERY'
  | 'PRIMARY'
  | 'MIDDLE_DEEMED_PRIMARY'
  | 'MIDDLE_DEEMED_SECONDARY'
  | 'SECONDARY'
  | 'SIXTEEN_PLUS'
  | 'ALL_THROUGH'
  | 'NOT_APPLICABLE';
export type SchoolType =
  | 'ACADEMY'
  | 'FREE_SCHOOL'
  | 'LA_MAINTAINED'
  | 'SPECIAL'
  | 'UTC'
  | 'FE_COLLEGE'
  | 'SIXTH_FORM_COLLEGE'
  | 'INDEPENDENT'
  | 'OTHER';

/** One school as the register has it, ready to load. */
export interface RegisterSchool {
  /** The file's line the record starts on (the header is line 1). */
  line: number;
  urn: string;
  name: string;
  status: SchoolStatus;
  phase: SchoolPhase;
  type: SchoolType;
  /** The register's own name for the type, e.g. "Academy converter". */
  establishmentType: string;
  stateFunded: boolean;
  localAuthorityCode: string;
  localAuthority: string;
  postcode: string | null;
  trust: string | null;
  /** ISO dates (yyyy-mm-dd), or null when blank or a placeholder. */
  openedOn: string | null;
  closedOn: string | null;
}

export type RegisterRow =
  | { kind: 'school'; school: RegisterSchool }
  /** Outside the programme: Welsh, overseas, or a type it never serves. Counted, not an error. */
  | { kind: 'out-of-scope'; line: number; urn: string | null; reason: string }
  | { kind: 'invalid'; line: number; urn: string | null; reason: string };

/**
 * Each establishment type in the file: our coarse type, whether it is state-funded (by type, not
 * by group: GIAS.md "Which rows are state-funded"), or why the programme does not serve it.
 * Colleges count as state-funded: a product decision (Maths Hubs work with them).
 */
const TYPES: Record<string, { type: SchoolType; stateFunded: boolean } | { outOfScope: string }> = {
  'Community school': { type: 'LA_MAINTAINED', stateFunded: true },
  'Voluntary aided school': { type: 'LA_MAINTAINED', stateFunded: true },
  'Voluntary controlled school': { type: 'LA_MAINTAINED', stateFunded: true },
  'Foundation school': { type: 'LA_MAINTAINED', stateFunded: true },
  'Pupil referral unit': { type: 'LA_MAINTAINED', stateFunded: true },
  'Local authority nursery school': { type: 'LA_MAINTAINED', stateFunded: true },
  'Community special school': { type: 'SPECIAL', stateFunded: true },
  'Foundation special school': { type: 'SPECIAL', stateFunded: true },
  'Non-maintained special school': { type: 'SPECIAL', stateFunded: false },
  'Other independent special school': { type: 'INDEPENDENT', stateFunded: false },
  'Other independent school': { type: 'INDEPENDENT', stateFunded: false },
  'City technology college': { type: 'INDEPENDENT', stateFunded: true },
  'Academy sponsor led': { type: 'ACADEMY', stateFunded: true },
  'Academy special sponsor led': { type: 'ACADEMY', stateFunded: true },
  'Academy converter': { type: 'ACADEMY', stateFunded: true },
  'Academy alternative provision converter': { type: 'ACADEMY', stateFunded: true },
  'Academy alternative provision sponsor led': { type: 'ACADEMY', stateFunded: true },
  'Academy special converter': { type: 'ACADEMY', stateFunded: true },
  'Academy 16-19 converter': { type: 'ACADEMY', stateFunded: true },
  'Academy 16 to 19 sponsor led': { type: 'ACADEMY', stateFunded: true },
  // Not in DfE's list of state-funded schools (GIAS.md marks it unconfirmed); a secure setting.
  'Academy secure 16 to 19': { type: 'ACADEMY', stateFunded: false },
  'Free schools': { type: 'FREE_SCHOOL', stateFunded: true },
  'Free schools special': { type: 'FREE_SCHOOL', stateFunded: true },
  'Free schools alternative provision': { type: 'FREE_SCHOOL', stateFunded: true },
  'Free schools 16 to 19': { type: 'FREE_SCHOOL', stateFunded: true },
  'Studio schools': { type: 'FREE_SCHOOL', stateFunded: true },
  'University technical college': { type: 'UTC', stateFunded: true },
  'Further education': { type: 'FE_COLLEGE', stateFunded: true },
  'Sixth form centres': { type: 'SIXTH_FORM_COLLEGE', stateFunded: true },
  'Secure units': { type: 'OTHER', stateFunded: false },
  'Special post 16 institution': { type: 'OTHER', stateFunded: false },
  'Welsh establishment': { outOfScope: 'a Welsh establishment: the programme is for England' },
  'Higher education institutions': { outOfScope: 'a university: the programme serves schools and colleges' },
  'Offshore schools': { outOfScope: 'an offshore school: the programme is for England' },
  'British schools overseas': { outOfScope: 'a British school overseas: the programme is for England' },
  "Service children's education": {
    outOfScope: "a service children's school overseas: the programme is for England",
  },
  'Online provider': { outOfScope: 'an online provider: the programme serves schools and colleges' },
  Miscellaneous: { outOfScope: 'a miscellaneous establishment the programme does not serve' },
  'Institution funded by other government department': {
    outOfScope: 'an institution funded by another government department: the programme does not serve it',
  },
};

const PHASES: Record<string, SchoolPhase> = {
  'not applicable': 'NOT_APPLICABLE',
  nursery: 'NURSERY',
  primary: 'PRIMARY',
  'middle deemed primary': 'MIDDLE_DEEMED_PRIMARY',
  secondary: 'SECONDARY',
  'middle deemed secondary': 'MIDDLE_DEEMED_SECONDARY',
  '16 plus': 'SIXTEEN_PLUS',
  'all-through': 'ALL_THROUGH',
  'all through': 'ALL_THROUGH',
};

const STATUSES: Record<string, SchoolStatus> = {
  open: 'OPEN',
  closed: 'CLOSED',
  'open, but proposed to close': 'OPEN_PROPOSED_TO_CLOSE',
  'proposed to open': 'PROPOSED_TO_OPEN',
};

/** GOR codes of England's nine regions, and of the two the programme does not serve. */
const ENGLISH_GOR = new Set(['A', 'B', 'D', 'E', 'F', 'G', 'H', 'J', 'K']);
const NON_ENGLISH_GOR: Record<string, string> = {
  W: 'in Wales (GOR "Wales (pseudo)"): the programme is for England',
  Z: 'outside England (GOR "Not Applicable")',
};

/** The columns the import reads; others may come and go (GIAS.md "Header drift"). */
export const REQUIRED_COLUMNS = [
  'URN',
  'LA (code)',
  'LA (name)',
  'EstablishmentName',
  'TypeOfEstablishment (name)',
  'EstablishmentStatus (name)',
  'OpenDate',
  'CloseDate',
  'PhaseOfEducation (name)',
  'Trusts (name)',
  'Postcode',
  'GOR (code)',
] as const;

type Column = (typeof REQUIRED_COLUMNS)[number];

/** A register date ("dd-mm-yyyy") as ISO, null when blank or a placeholder before 1901. */
export function registerDate(text: string): string | null | undefined {
  if (text === '') return null;
  const match = /^(\d{2})-(\d{2})-(\d{4})$/.exec(text);
  if (!match) return undefined;
  const [, dd, mm, yyyy] = match;
  const date = new Date(Date.UTC(Number(yyyy), Number(mm) - 1, Number(dd)));
  if (date.getUTCDate() !== Number(dd) || date.getUTCMonth() !== Number(mm) - 1) return undefined;
  if (Number(yyyy) <= 1900) return null; // 01-01-1800, 01-01-1900: "no date"
  return `${yyyy}-${mm}-${dd}`;
}

/** "b1  2aa" → "B1 2AA"; null when blank. */
export function normalisePostcode(text: string): string | null {
  const compact = text.replace(/\s+/g, '').toUpperCase();
  if (compact === '') return null;
  return compact.length > 3 ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : compact;
}

/** Fields the register fills with words where it means "none". */
const NONE = new Set(['', 'not applicable', 'does not apply', 'none']);

/** Checks and classifies one record against the header's column positions. */
export function classify(
  record: string[],
  line: number,
  columns: Record<Column, number>,
  width: number,
): RegisterRow {
  const field = (name: Column) => (record[columns[name]] ?? '').trim();
  const rawUrn = field('URN');
  const urn = /^\d{6}$/.test(rawUrn) ? rawUrn : null;
  const invalid = (reason: string): RegisterRow => ({ kind: 'invalid', line, urn, reason });
  if (record.length !== width) return invalid(`has ${record.length} fields where the header has ${width}`);
  if (!urn) return invalid(rawUrn === '' ? 'has no URN' : `URN "${rawUrn}" is not six digits`);
  const name = field('EstablishmentName');
  if (name === '') return invalid('has no establishment name');

  const gor = field('GOR (code)');
  const typeName = field('TypeOfEstablishment (name)');
  const kind = TYPES[typeName];
  const outside = NON_ENGLISH_GOR[gor];
  if (outside || (kind && 'outOfScope' in kind))
    return {
      kind: 'out-of-scope',
      line,
      urn,
      reason: `is ${outside ?? (kind as { outOfScope: string }).outOfScope}`,
    };
  if (!ENGLISH_GOR.has(gor)) return invalid(`GOR (code) "${gor}" is not a region of the register`);
  if (!kind) return invalid(`TypeOfEstablishment "${typeName}" is not one the register uses`);

  const statusName = field('EstablishmentStatus (name)');
  const status = STATUSES[statusName.toLowerCase()];
  if (!status) return invalid(`EstablishmentStatus "${statusName}" is not one the register uses`);
  const phaseName = field('PhaseOfEducation (name)');
  const phase = PHASES[phaseName.toLowerCase()];
  if (!phase) return invalid(`PhaseOfEducation "${phaseName}" is not one the register uses`);
  const openedOn = registerDate(field('OpenDate'));
  if (openedOn === undefined) return invalid(`OpenDate "${field('OpenDate')}" is not a dd-mm-yyyy date`);
  const closedOn = registerDate(field('CloseDate'));
  if (closedOn === undefined) return invalid(`CloseDate "${field('CloseDate')}" is not a dd-mm-yyyy date`);
  const laCode = field('LA (code)');
  if (!/^\d{3}$/.test(laCode)) return invalid(`LA (code) "${laCode}" is not three digits`);
  const trust = field('Trusts (name)');

  return {
    kind: 'school',
    school: {
      line,
      urn,
      name,
      status,
      phase,
      type: kind.type,
      establishmentType: typeName,
      stateFunded: kind.stateFunded,
      localAuthorityCode: laCode,
      localAuthority: field('LA (name)'),
      postcode: normalisePostcode(field('Postcode')),
      trust: NONE.has(trust.toLowerCase()) ? null : trust,
      openedOn,
      closedOn,
    },
  };
}

export class RegisterFileError extends Error {
  override name = 'RegisterFileError';
}

/** Bytes read so far and the file's size, for progress. */
export interface ReadProgress {
  bytesRead: number;
  totalBytes: number;
  rows: number;
}

/**
 * The records of a register-dialect file (Windows-1252, CSV, CR LF or LF), header included, each
 * with the line it starts on, read as a stream.
 */
export async function* csvRecords(
  file: string,
  onProgress?: (progress: ReadProgress) => void,
): AsyncGenerator<{ record: string[]; line: number }> {
  const totalBytes = (await stat(file)).size;
  const bytes = createReadStream(file, { highWaterMark: 1 << 20 });
  let bytesRead = 0;
  bytes.on('data', (chunk) => {
    bytesRead += chunk.length;
  });
  const records = bytes.pipe(iconv.decodeStream('win1252')).pipe(
    parse({
      relax_column_count: true,
      // The register never doubles quotes inside a field; a stray quote must not swallow the file.
      relax_quotes: true,
      info: true,
    }),
  );
  let rows = 0;
  for await (const { record, info } of records as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>) {
    if (record.length === 1 && record[0] === '') continue; // a blank line
    rows++;
    if (onProgress && rows % 2000 === 0) onProgress({ bytesRead, totalBytes, rows });
    yield { record, line: info.lines };
  }
  onProgress?.({ bytesRead: totalBytes, totalBytes, rows });
}

/** Column positions by name, or a RegisterFileError naming the columns a file lacks. */
export function columnsOf<C extends string>(
  file: string,
  header: string[],
  required: readonly C[],
  what: string,
) {
  const names = header.map((name) => name.trim());
  const missing = required.filter((name) => !names.includes(name));
  if (missing.length > 0)
    throw new RegisterFileError(
      `${file} is not ${what}: its header lacks ${missing.map((m) => `"${m}"`).join(', ')}`,
    );
  return Object.fromEntries(required.map((name) => [name, names.indexOf(name)])) as Record<C, number>;
}

/**
 * Streams a register file, yielding each record classified. Throws RegisterFileError when the
 * header lacks a column the import needs.
 */
export async function* readRegister(
  file: string,
  onProgress?: (progress: ReadProgress) => void,
): AsyncGenerator<RegisterRow> {
  let columns: Record<Column, number> | undefined;
  let width = 0;
  for await (const { record, line } of csvRecords(file, onProgress)) {
    if (!columns) {
      columns = columnsOf(file, record, REQUIRED_COLUMNS, 'a GIAS establishment file');
      width = record.length;
      continue;
    }
    yield classify(record, line, columns, width);
  }
  if (!columns)
    throw new RegisterFileError(`${file} is empty: a GIAS establishment file starts with its header`);
}
