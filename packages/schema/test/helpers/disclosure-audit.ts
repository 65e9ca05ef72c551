// The disclosure auditor: for every withheld cell of a statistics table, the least and greatest
// value it can take given the visible cells and every relation the table obeys (linear
// programming, solved by HiGHS). The request path never runs this; the tests do, on what the API
// and the CSV answered. A table passes when no withheld cell's range is narrower than the threshold.
import highsLoader from 'highs';

export const AUDITED = [
  'schools',
  'participants',
  'enrolments',
  'completed',
  'withdrawn',
  'placesFilled',
] as const;
export type AuditedMeasure = (typeof AUDITED)[number];

/** A cell as published: a number, withheld, or not applicable to the row. */
export type Published = number | 'withheld' | 'n/a';

export interface AuditRow {
  label: string;
  cells: Record<AuditedMeasure, Published>;
  /** Public: cohort capacity (bounds placesFilled), 'n/a' when places do not apply. */
  placesOffered: number | 'n/a';
  /** Every cohort of the row has finished: enrolments = completed + withdrawn. */
  final: boolean;
  /** The row's enrolment status when grouped by it. */
  status?: string | null;
}

export interface AuditTable {
  rows: AuditRow[];
  total: AuditRow;
  /** The rows split the total's schools and people (no school or person in two rows). */
  partition?: boolean;
}

export interface Interval {
  cell: string;
  min: number;
  max: number;
}

type Highs = Awaited<ReturnType<typeof highsLoader>>;
let solver: Promise<Highs> | undefined;

const name = (row: number, m: AuditedMeasure) => `x_${row < 0 ? 'T' : row}_${m}`;

/** Builds the relations as linear constraints over the withheld cells (visible ones are constants). */
function constraints(table: AuditTable): { vars: Map<string, string>; rows: string[] } {
  const all = [...table.rows, table.total];
  const index = (i: number) => (i === table.rows.length ? -1 : i);
  const vars = new Map<string, string>(); // variable → human label
  const term = (i: number, m: AuditedMeasure): { v?: string; c: number } | null => {
    const cell = all[i]!.cells[m];
    if (cell === 'n/a') return null;
    if (cell === 'withheld') {
      const v = name(index(i), m);
      vars.set(v, `${all[i]!.label}.${m}`);
      return { v, c: 0 };
    }
    return { c: cell };
  };
  const out: string[] = [];
  // sum(coef × term) (op) 0
  const add = (parts: [number, { v?: string; c: number } | null][], op: '=' | '>=' | '<=') => {
    if (parts.some(([, t]) => t === null)) return;
    let constant = 0;
    const linear: string[] = [];
    for (const [coef, t] of parts) {
      if (coef === 0) continue;
      if (t!.v) linear.push(`${coef >= 0 ? '+' : '-'} ${Math.abs(coef)} ${t!.v}`);
      else constant += coef * t!.c;
    }
    if (linear.length === 0) return;
    out.push(`${linear.join(' ')} ${op} ${-constant}`);
  };
  const T = table.rows.length;
  const additive: AuditedMeasure[] = table.partition
    ? ['schools', 'participants', 'enrolments', 'completed', 'withdrawn', 'placesFilled']
    : ['enrolments', 'completed', 'withdrawn', 'placesFilled'];
  if (table.rows.length > 0) {
    for (const m of additive)
      add(
        [...table.rows.map((_, i) => [1, term(i, m)] as [number, ReturnType<typeof term>]), [-1, term(T, m)]],
        '=',
      );
    if (!table.partition) {
      for (const m of ['schools', 'participants'] as const) {
        // each row ≤ total ≤ the sum of the rows
        for (let i = 0; i < T; i++)
          add(
            [
              [1, term(i, m)],
              [-1, term(T, m)],
            ],
            '<=',
          );
        add(
          [
            [1, term(T, m)],
            ...table.rows.map((_, i) => [-1, term(i, m)] as [number, ReturnType<typeof term>]),
          ],
          '<=',
        );
      }
    }
  }
  for (let i = 0; i <= T; i++) {
    const row = all[i]!;
    add(
      [
        [1, term(i, 'enrolments')],
        [-1, term(i, 'completed')],
        [-1, term(i, 'withdrawn')],
      ],
      row.final ? '=' : '>=',
    );
    add(
      [
        [1, term(i, 'schools')],
        [-1, term(i, 'enrolments')],
      ],
      '<=',
    );
    add(
      [
        [1, term(i, 'participants')],
        [-1, term(i, 'enrolments')],
      ],
      '<=',
    );
    if (row.placesOffered !== 'n/a')
      add(
        [
          [1, term(i, 'placesFilled')],
          [-1, { c: row.placesOffered }],
        ],
        '<=',
      );
    if (row.status) {
      add(
        [
          [1, term(i, 'completed')],
          [row.status === 'COMPLETED' ? -1 : 0, term(i, 'enrolments')],
        ],
        '=',
      );
      add(
        [
          [1, term(i, 'withdrawn')],
          [row.status === 'WITHDRAWN' ? -1 : 0, term(i, 'enrolments')],
        ],
        '=',
      );
    }
  }
  return { vars, rows: out.filter((c) => c.includes('x_')) };
}

const BOX = 1e7;

function lp(objective: string, sense: 'Minimize' | 'Maximize', rows: string[], vars: Iterable<string>) {
  return [
    sense,
    ` obj: ${objective}`,
    'Subject To',
    ...rows.map((r, i) => ` c${i}: ${r}`),
    'Bounds',
    // A large finite box instead of infinity: HiGHS may report an unbounded maximum as
    // "Infeasible" after presolve; a maximum at the box edge reads as unbounded.
    ...[...vars].map((v) => ` 0 <= ${v} <= ${BOX}`),
    'End',
  ].join('\n');
}

/** The feasible range of every withheld cell. Throws if the published table is inconsistent. */
export async function intervals(table: AuditTable): Promise<Interval[]> {
  solver ??= highsLoader();
  const highs = await solver;
  const { vars, rows } = constraints(table);
  const result: Interval[] = [];
  for (const [v, label] of vars) {
    const bound = (sense: 'Minimize' | 'Maximize') => {
      const solution = highs.solve(lp(v, sense, rows, vars.keys()));
      if (solution.Status !== 'Optimal')
        throw new Error(`audit of ${label}: the published table is ${solution.Status}`);
      return solution.ObjectiveValue >= BOX - 1 ? Number.POSITIVE_INFINITY : solution.ObjectiveValue;
    };
    result.push({ cell: label, min: bound('Minimize'), max: bound('Maximize') });
  }
  return result;
}

/**
 * The withheld cells whose range is narrower than the threshold (empty: the table is safe). A
 * cell that public facts already confine more tightly (places filled can never exceed the places
 * offered, which the catalogue publishes) needs only the range those facts leave.
 */
export async function narrowCells(table: AuditTable, threshold: number): Promise<Interval[]> {
  const found = await intervals(table);
  if (found.length === 0) return [];
  // What public facts alone allow: the same table with every count unknown (places offered,
  // statuses and the relations stay known).
  const unknown = (row: AuditRow): AuditRow => ({
    ...row,
    cells: Object.fromEntries(
      Object.entries(row.cells).map(([m, v]) => [m, v === 'n/a' ? 'n/a' : 'withheld']),
    ) as AuditRow['cells'],
  });
  const placesLabels = new Set(found.filter((i) => i.cell.endsWith('.placesFilled')).map((i) => i.cell));
  const apriori = new Map<string, number>();
  if (placesLabels.size > 0) {
    const blind = await intervals({ ...table, rows: table.rows.map(unknown), total: unknown(table.total) });
    for (const i of blind) if (placesLabels.has(i.cell)) apriori.set(i.cell, i.max - i.min);
  }
  return found.filter(
    (i) => i.max - i.min < Math.min(threshold, apriori.get(i.cell) ?? Number.POSITIVE_INFINITY) - 1e-6,
  );
}

interface PublishedRow {
  values: Record<string, number | null>;
  withheld?: string[];
  final?: boolean;
  status?: string | null;
}

/** A row as the schema's suppression (or the API, with its measures named) publishes it. */
export function auditRow(label: string, row: PublishedRow): AuditRow {
  const cells = {} as Record<AuditedMeasure, Published>;
  for (const m of AUDITED) {
    const value = row.values[m];
    cells[m] = typeof value === 'number' ? value : row.withheld?.includes(m) ? 'withheld' : 'n/a';
  }
  const offered = row.values.placesOffered;
  return {
    label,
    cells,
    placesOffered: typeof offered === 'number' ? offered : 'n/a',
    final: row.final ?? false,
    status: row.status ?? null,
  };
}
