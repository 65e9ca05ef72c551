// Which hub serves which local authority (hub_area), and the bulk load of that mapping from a
// small CSV: `pnpm db:import-hub-areas FILE` with the header local_authority_code,local_authority,hub_code
// (a blank hub_code removes the mapping). Changing a mapping moves the real schools of those local
// authorities at once; demo schools keep the hubs they were generated with.
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { type Sql, transactionCommittingIf } from '../sql.ts';

/**
 * Gives the real schools of the local authorities in $1 (text[]) the hub that now serves them,
 * or none; returns one row per school moved. Shared by setHubArea and the bulk import.
 */
export const MOVE_SCHOOLS_SQL = `
  UPDATE school s SET hub_id = a.hub_id, updated_at = now()
    FROM unnest($1::text[]) AS x(code)
    LEFT JOIN hub_area a ON a.local_authority_code = x.code
   WHERE NOT s.synthetic AND s.local_authority_code = x.code AND s.hub_id IS DISTINCT FROM a.hub_id
  RETURNING s.id`;

export interface HubAreaRow {
  line: number;
  localAuthorityCode: string;
  localAuthority: string;
  /** Null: no hub serves it any more. */
  hubCode: string | null;
}

export interface HubAreasReport {
  file: string;
  applied: boolean;
  rows: number;
  set: number;
  removed: number;
  unchanged: number;
  schoolsMoved: number;
  invalid: { line: number; reason: string }[];
}

const HEADER = ['local_authority_code', 'local_authority', 'hub_code'];

/** Reads and checks the CSV (UTF-8, comma-separated); every bad line is reported with its reason. */
export async function readHubAreas(
  file: string,
  hubCodes: Set<string>,
): Promise<{ rows: HubAreaRow[]; invalid: HubAreasReport['invalid'] }> {
  const records = parse(await readFile(file, 'utf8'), {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const [header, ...body] = records;
  const names = header?.record.map((h) => h.trim().toLowerCase()) ?? [];
  if (HEADER.some((h, i) => names[i] !== h))
    return { rows: [], invalid: [{ line: 1, reason: `the header must be ${HEADER.join(',')}` }] };
  const rows: HubAreaRow[] = [];
  const invalid: HubAreasReport['invalid'] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of body) {
    const line = info.lines;
    const [code = '', name = '', hub = ''] = record.map((v) => v.trim());
    const hubCode = hub.toUpperCase() || null;
    if (record.length !== 3) invalid.push({ line, reason: `has ${record.length} fields, not 3` });
    else if (!/^\d{3}$/.test(code))
      invalid.push({ line, reason: `local_authority_code "${code}" is not three digits` });
    else if (name === '' && hubCode) invalid.push({ line, reason: 'local_authority (its name) is empty' });
    else if (hubCode && !hubCodes.has(hubCode)) invalid.push({ line, reason: `there is no hub "${hub}"` });
    else if (seen.has(code)) invalid.push({ line, reason: `LA ${code} is also on line ${seen.get(code)}` });
    else {
      seen.set(code, line);
      rows.push({ line, localAuthorityCode: code, localAuthority: name, hubCode });
    }
  }
  return { rows, invalid };
}

/** Applies the file in one transaction, or nothing at all if any line is bad. */
export async function importHubAreas(
  sql: Sql,
  file: string,
  { dryRun = false } = {},
): Promise<HubAreasReport> {
  const hubs = await sql.query<{ id: number; code: string }>('SELECT id, code FROM hub');
  const { rows, invalid } = await readHubAreas(file, new Set(hubs.map((h) => h.code)));
  const report: HubAreasReport = {
    file,
    applied: false,
    rows: rows.length + invalid.length,
    set: 0,
    removed: 0,
    unchanged: 0,
    schoolsMoved: 0,
    invalid,
  };
  if (invalid.length > 0) return report;
  const hubId = new Map(hubs.map((h) => [h.code, h.id]));
  const mapped = rows.filter((r) => r.hubCode);
  const removedCodes = rows.filter((r) => !r.hubCode).map((r) => r.localAuthorityCode);
  report.applied = await transactionCommittingIf(sql, async (tx) => {
    const set = await tx.query(
      `INSERT INTO hub_area (local_authority_code, local_authority, hub_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[])
         ON CONFLICT (local_authority_code) DO UPDATE
            SET local_authority = excluded.local_authority, hub_id = excluded.hub_id, updated_at = now()
          WHERE (hub_area.local_authority, hub_area.hub_id) IS DISTINCT FROM (excluded.local_authority, excluded.hub_id)
         RETURNING 1`,
      [
        mapped.map((r) => r.localAuthorityCode),
        mapped.map((r) => r.localAuthority),
        mapped.map((r) => hubId.get(r.hubCode!)),
      ],
    );
    const removed = await tx.query(
      'DELETE FROM hub_area WHERE local_authority_code = ANY($1::text[]) RETURNING 1',
      [removedCodes],
    );
    const moved = await tx.query(MOVE_SCHOOLS_SQL, [rows.map((r) => r.localAuthorityCode)]);
    report.set = set.length;
    report.removed = removed.length;
    report.unchanged = rows.length - set.length - removed.length;
    report.schoolsMoved = moved.length;
    return !dryRun;
  });
  return report;
}
