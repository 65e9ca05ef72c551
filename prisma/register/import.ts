// Loading the register into `school`: rows are streamed into a temporary table in batches, then
// applied with a handful of set-based statements in one transaction (no per-row round trips).
// A school is matched by URN; a row changes only when something in it differs, so a second run
// of the same file changes nothing, not even `updated_at`. Each real school gets the hub that
// serves its local authority (`hub_area`), or none.
import { type Sql, transactionCommittingIf } from '../sql.ts';
import { type ReadProgress, type RegisterRow, type RegisterSchool, readRegister } from './gias.ts';
import { type LinkRow, readLinks } from './links.ts';

export interface SkippedRow {
  line: number;
  urn: string | null;
  kind: 'out-of-scope' | 'invalid';
  reason: string;
}

export interface ImportReport {
  file: string;
  /** Nothing was written: --dry-run, or --strict with invalid rows. */
  dryRun: boolean;
  strict: boolean;
  applied: boolean;
  /** Records after the header. */
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Schools this run marked closed (a subset of `updated`). */
  closed: number;
  outOfScope: number;
  invalid: number;
  /** Every row not loaded, in file order. */
  skipped: SkippedRow[];
  /** In-scope schools whose local authority no hub serves yet, by LA. */
  unmappedLocalAuthorities: { code: string; name: string; schools: number }[];
  links?: {
    file: string;
    rows: number;
    recorded: number;
    unchanged: number;
    ignored: number;
    invalid: SkippedRow[];
  };
}

export interface ImportOptions {
  dryRun?: boolean;
  strict?: boolean;
  links?: string;
  onProgress?: (progress: ReadProgress) => void;
}

/** Rows sent to the database per statement while the file streams. */
const BATCH = 5_000;

const STAGE_COLUMNS: { name: string; type: string; value: (s: RegisterSchool) => unknown }[] = [
  { name: 'line', type: 'int', value: (s) => s.line },
  { name: 'urn', type: 'text', value: (s) => s.urn },
  { name: 'name', type: 'text', value: (s) => s.name },
  { name: 'status', type: 'text', value: (s) => s.status },
  { name: 'phase', type: 'text', value: (s) => s.phase },
  { name: 'type', type: 'text', value: (s) => s.type },
  { name: 'establishment_type', type: 'text', value: (s) => s.establishmentType },
  { name: 'state_funded', type: 'bool', value: (s) => s.stateFunded },
  { name: 'la_code', type: 'text', value: (s) => s.localAuthorityCode },
  { name: 'la', type: 'text', value: (s) => s.localAuthority },
  { name: 'postcode', type: 'text', value: (s) => s.postcode },
  { name: 'trust', type: 'text', value: (s) => s.trust },
  { name: 'opened_on', type: 'date', value: (s) => s.openedOn },
  { name: 'closed_on', type: 'date', value: (s) => s.closedOn },
];

/** The school as the register has it, with the hub of its LA: compared field by field. */
const REGISTER_VALUES = `s.name, s.phase::"SchoolPhase", s.type::"SchoolType", s.establishment_type, s.state_funded,
  s.la, s.la_code, s.postcode, s.trust, s.status::"SchoolStatus", s.opened_on, s.closed_on, a.hub_id, false`;
const SCHOOL_COLUMNS = `name, phase, type, establishment_type, state_funded, local_authority, local_authority_code,
  postcode, trust, status, opened_on, closed_on, hub_id, synthetic`;

export async function importRegister(
  sql: Sql,
  file: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const report: ImportReport = {
    file,
    dryRun: Boolean(options.dryRun),
    strict: Boolean(options.strict),
    applied: false,
    rows: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    closed: 0,
    outOfScope: 0,
    invalid: 0,
    skipped: [],
    unmappedLocalAuthorities: [],
  };
  // A dry run, or --strict with invalid rows, counts everything and then rolls back.
  report.applied = await transactionCommittingIf(sql, async (tx) => {
    await stage(tx, file, report, options.onProgress);
    await apply(tx, report);
    if (options.links) report.links = await applyLinks(tx, options.links);
    return !options.dryRun && !(options.strict && report.invalid > 0);
  });
  report.skipped.sort((a, b) => a.line - b.line);
  return report;
}

/** Streams the file into a temporary table, recording every row it does not load. */
async function stage(tx: Sql, file: string, report: ImportReport, onProgress?: ImportOptions['onProgress']) {
  await tx.exec(`CREATE TEMPORARY TABLE register_stage (
    ${STAGE_COLUMNS.map((c) => `${c.name} ${c.type}`).join(', ')}
  ) ON COMMIT DROP`);
  const insert = `INSERT INTO register_stage SELECT * FROM unnest(${STAGE_COLUMNS.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')})`;
  // The first line of each URN: a URN on two rows makes both ambiguous, whatever else they hold.
  const firstLine = new Map<string, number>();
  const ambiguous = new Map<string, number[]>();
  let batch: RegisterSchool[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await tx.query(
      insert,
      STAGE_COLUMNS.map((c) => batch.map(c.value)),
    );
    batch = [];
  };
  const skip = (row: Exclude<RegisterRow, { kind: 'school' }>) =>
    report.skipped.push({ line: row.line, urn: row.urn, kind: row.kind, reason: row.reason });

  for await (const row of readRegister(file, onProgress)) {
    report.rows++;
    const urn = row.kind === 'school' ? row.school.urn : row.urn;
    const line = row.kind === 'school' ? row.school.line : row.line;
    if (urn) {
      const first = firstLine.get(urn);
      if (first === undefined) firstLine.set(urn, line);
      else ambiguous.set(urn, [...(ambiguous.get(urn) ?? [first]), line]);
    }
    if (row.kind === 'school') {
      batch.push(row.school);
      if (batch.length >= BATCH) await flush();
    } else skip(row);
  }
  await flush();

  if (ambiguous.size > 0) {
    await tx.query('DELETE FROM register_stage WHERE urn = ANY($1::text[])', [[...ambiguous.keys()]]);
    // Whatever the first verdict on these lines was, the URN's repetition is the reason now.
    const lines = new Set([...ambiguous.values()].flat());
    report.skipped = report.skipped.filter((s) => !lines.has(s.line));
    for (const [urn, all] of ambiguous)
      for (const line of all)
        report.skipped.push({
          line,
          urn,
          kind: 'invalid',
          reason: `URN ${urn} is on ${all.length} rows (lines ${all.join(', ')}): ambiguous, none is loaded`,
        });
  }
  report.invalid = report.skipped.filter((s) => s.kind === 'invalid').length;
  report.outOfScope = report.skipped.length - report.invalid;
  await tx.exec('ANALYZE register_stage');
}

/** Updates what differs, inserts what is new, and counts what stayed the same. */
async function apply(tx: Sql, report: ImportReport) {
  const [{ closed }] = (await tx.query<{ closed: number }>(
    `SELECT count(*)::int AS closed FROM register_stage s JOIN school t ON t.urn = s.urn
      WHERE s.status = 'CLOSED' AND t.status <> 'CLOSED'`,
  )) as [{ closed: number }];
  const updated = await tx.query(
    `UPDATE school t SET (${SCHOOL_COLUMNS}, updated_at) = (${REGISTER_VALUES}, now())
       FROM register_stage s LEFT JOIN hub_area a ON a.local_authority_code = s.la_code
      WHERE t.urn = s.urn
        AND (t.name, t.phase, t.type, t.establishment_type, t.state_funded, t.local_authority,
             t.local_authority_code, t.postcode, t.trust, t.status, t.opened_on, t.closed_on, t.hub_id, t.synthetic)
            IS DISTINCT FROM (${REGISTER_VALUES})
     RETURNING t.id`,
  );
  const inserted = await tx.query(
    `INSERT INTO school (urn, ${SCHOOL_COLUMNS})
     SELECT s.urn, ${REGISTER_VALUES}
       FROM register_stage s LEFT JOIN hub_area a ON a.local_authority_code = s.la_code
      WHERE NOT EXISTS (SELECT 1 FROM school t WHERE t.urn = s.urn)
     RETURNING id`,
  );
  const [{ staged }] = (await tx.query<{ staged: number }>(
    'SELECT count(*)::int AS staged FROM register_stage',
  )) as [{ staged: number }];
  report.closed = closed;
  report.updated = updated.length;
  report.inserted = inserted.length;
  report.unchanged = staged - updated.length - inserted.length;
  report.unmappedLocalAuthorities = await tx.query(
    `SELECT s.la_code AS code, min(s.la) AS name, count(*)::int AS schools
       FROM register_stage s
      WHERE NOT EXISTS (SELECT 1 FROM hub_area a WHERE a.local_authority_code = s.la_code)
      GROUP BY s.la_code ORDER BY count(*) DESC, s.la_code`,
  );
}

/** Records predecessor → successor links from the links file (see links.ts for which). */
async function applyLinks(tx: Sql, file: string): Promise<NonNullable<ImportReport['links']>> {
  const result = { file, rows: 0, recorded: 0, unchanged: 0, ignored: 0, invalid: [] as SkippedRow[] };
  const links = new Map<string, LinkRow>();
  for await (const row of readLinks(file)) {
    result.rows++;
    if (row.kind === 'invalid')
      result.invalid.push({ line: row.line, urn: row.urn, kind: 'invalid', reason: row.reason });
    else if (row.kind === 'ignored') result.ignored++;
    // Both directions of a link are usually listed: one row per pair.
    else links.set(`${row.link.predecessorUrn}>${row.link.successorUrn}`, row.link);
  }
  const rows = [...links.values()];
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    const written = await tx.query(
      `INSERT INTO school_link (predecessor_urn, successor_urn, link_type, linked_on)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[])
       ON CONFLICT (predecessor_urn, successor_urn) DO UPDATE
          SET link_type = excluded.link_type, linked_on = excluded.linked_on
        WHERE (school_link.link_type, school_link.linked_on) IS DISTINCT FROM (excluded.link_type, excluded.linked_on)
       RETURNING 1`,
      [
        batch.map((l) => l.predecessorUrn),
        batch.map((l) => l.successorUrn),
        batch.map((l) => l.linkType),
        batch.map((l) => l.linkedOn),
      ],
    );
    result.recorded += written.length;
    result.unchanged += batch.length - written.length;
  }
  return result;
}
