// The disclosure audit on real responses: every grouping of one and two dimensions of the demo
// data (West Midlands), for anonymous, analyst and hub-staff callers; the single-object stats of
// hubs, their cohorts and a programme, audited as one table; and progression. Every withheld
// cell's feasible range, worked out by linear programming from what is shown, must be at least
// the threshold wide. This audits per-table suppression (STATS_PROTECTION=suppression), table by
// table, which is all it promises; linked-tables.test.ts shows what it cannot protect across
// tables, and audits the default, the cell key method.

import { DIMENSIONS } from '@maths-hubs/schema';
import {
  type AuditRow,
  type AuditTable,
  auditRow,
  narrowCells,
} from '@maths-hubs/schema/testing/disclosure-audit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../src/config.ts';
import { type Caller, type TestApi, testApi } from './helpers/api.ts';
import { testDbKind } from './helpers/fixtures.ts';

const THRESHOLD = 4;
let api: TestApi;
beforeAll(async () => {
  // The audit asks for every grouping as every caller, within a minute: far more than one client's
  // budget, so the anonymous budget is raised (cost limits and the response cache stay as in production).
  const rate = DEFAULT_LIMITS.rate!;
  api = await testApi({
    limits: { ...DEFAULT_LIMITS, rate: { ...rate, budgets: { ...rate.budgets, ANONYMOUS: 10_000_000 } } },
    statsProtection: 'SUPPRESSION',
  });
});
afterAll(async () => {
  await api?.close();
});

const ROW = `cohorts schools participants enrolments completed withdrawn completionRate attendanceRate
  placesOffered placesFilled fundingPence withheld notApplicable final`;
const QUERY = `query($groupBy: [StatsDimension!]!, $filter: StatsFilter) {
  cohortStats(groupBy: $groupBy, filter: $filter) {
    rows { key { region { code } hub { code } programme { slug } programmeFamily masteryPhase academicYear role schoolPhase localAuthority enrolmentStatus } ${ROW} }
    total { ${ROW} }
  }
}`;

const GROUPINGS = [
  ...DIMENSIONS.map((d) => [d]),
  ...DIMENSIONS.flatMap((a, i) => DIMENSIONS.slice(i + 1).map((b) => [a, b])),
];

/** An API row (measures by GraphQL name, `withheld` as enum values) as the auditor reads it. */
function fromApi(label: string, row: any, status: string | null = null): AuditRow {
  const withheld = (row.withheld as string[]).map((m) =>
    m.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
  );
  return auditRow(label, { values: row, withheld, final: row.final, status });
}

function tableOf(stats: { rows: any[]; total: any }): AuditTable {
  return {
    rows: stats.rows.map((r, i) => fromApi(`row ${i} ${JSON.stringify(r.key)}`, r, r.key.enrolmentStatus)),
    total: fromApi('total', stats.total),
  };
}

describe(`disclosure audit of cohortStats on the demo data (${testDbKind()})`, () => {
  it('audits every grouping of one and two dimensions for anonymous, analyst and hub-staff callers', async () => {
    const audited = new Map<string, number>(); // identical responses are audited once
    let tables = 0;
    let withheldCells = 0;
    for (const groupBy of GROUPINGS) {
      for (const caller of ['anonymous', 'analyst', 'wm1Staff'] as Caller[]) {
        const result = await api.gql(QUERY, { groupBy, filter: { regionCodes: ['WM'] } }, caller);
        if (result.errors?.length) {
          // Anonymous callers may not group by schools' phase or local authority.
          expect(caller).toBe('anonymous');
          expect(result.errors[0]!.extensions?.code).toBe('UNAUTHENTICATED');
          continue;
        }
        const key = JSON.stringify(result.data.cohortStats);
        if (audited.has(key)) continue;
        const table = tableOf(result.data.cohortStats);
        const narrow = await narrowCells(table, THRESHOLD);
        expect(narrow, `${groupBy.join(' × ')} as ${caller}`).toEqual([]);
        audited.set(key, narrow.length);
        tables++;
        withheldCells += [...table.rows, table.total].reduce(
          (n, r) => n + Object.values(r.cells).filter((c) => c === 'withheld').length,
          0,
        );
      }
    }
    expect(tables).toBeGreaterThanOrEqual(GROUPINGS.length);
    // The audit looked at something: the demo data has small groups to protect.
    expect(withheldCells).toBeGreaterThan(100);
  }, 240_000); // dozens of tables, each audited by linear programming: slow on a loaded machine
});

describe(`disclosure audit across levels: hubs, cohorts, programmes, progression (${testDbKind()})`, () => {
  it('audits each hub with its cohorts as one table, for all years and each year', async () => {
    const data = await api.ok(
      `{ hubs(first: 10, filter: { regionCode: "WM" }) { nodes { code
          stats { ${ROW} }
          y2324: stats(academicYear: "2023/24") { ${ROW} }
          cohorts(first: 100) { nodes { code academicYear stats { ${ROW} } } } } } }`,
      {},
      'analyst',
    );
    let withheld = 0;
    for (const hub of data.hubs.nodes) {
      const cohorts = hub.cohorts.nodes;
      const all: AuditTable = {
        rows: cohorts.map((c: any) => fromApi(c.code, c.stats)),
        total: fromApi(hub.code, hub.stats),
      };
      expect(await narrowCells(all, THRESHOLD), `${hub.code}, all years`).toEqual([]);
      const year: AuditTable = {
        rows: cohorts
          .filter((c: any) => c.academicYear === '2023/24')
          .map((c: any) => fromApi(c.code, c.stats)),
        total: fromApi(`${hub.code} 2023/24`, hub.y2324),
      };
      expect(await narrowCells(year, THRESHOLD), `${hub.code}, 2023/24`).toEqual([]);
      withheld += cohorts.filter((c: any) => c.stats.withheld.length > 0).length;
    }
    expect(withheld).toBeGreaterThan(0);
  });

  it('audits a programme with its cohorts as one table', async () => {
    const data = await api.ok(
      `{ programme(slug: "secondary-tfm-development") {
          stats(academicYear: "2024/25") { ${ROW} }
          cohorts(first: 100, filter: { academicYear: "2024/25" }) { nodes { code stats { ${ROW} } } } } }`,
    );
    const table: AuditTable = {
      rows: data.programme.cohorts.nodes.map((c: any) => fromApi(c.code, c.stats)),
      total: fromApi('programme', data.programme.stats),
    };
    expect(table.rows.length).toBeGreaterThan(1);
    expect(await narrowCells(table, THRESHOLD)).toEqual([]);
  });

  it('audits progression: those who went on and those who did not split the total', async () => {
    const pairs = [
      ['secondary-tfm-development', 'secondary-tfm-embedding-year-support', '2023/24'],
      ['sktm-secondary-ect-phase-1', 'sktm-secondary-ect-phase-2', '2023/24'],
    ];
    for (const [from, to, year] of pairs) {
      const { progression: p } = await api.ok(
        `{ progression(fromProgramme: "${from}", toProgramme: "${to}", fromYear: "${year}") { schools schoolsProgressed participants participantsProgressed } }`,
        {},
        'analyst',
      );
      const cell = (v: number | null) => (v === null ? ('withheld' as const) : v);
      const row = (
        label: string,
        schools: number | null | 'unknown',
        participants: number | null | 'unknown',
      ): AuditRow => ({
        label,
        cells: {
          schools: schools === 'unknown' ? 'withheld' : cell(schools),
          participants: participants === 'unknown' ? 'withheld' : cell(participants),
          enrolments: 'n/a',
          completed: 'n/a',
          withdrawn: 'n/a',
          placesFilled: 'n/a',
        },
        placesOffered: 'n/a',
        final: false,
      });
      const table: AuditTable = {
        rows: [
          row('went on', p.schoolsProgressed, p.participantsProgressed),
          row('did not', 'unknown', 'unknown'),
        ],
        total: row('took part', p.schools, p.participants),
        partition: true,
      };
      // "did not" is never published: only the published cells need protecting.
      const narrow = (await narrowCells(table, THRESHOLD)).filter((i) => !i.cell.startsWith('did not'));
      expect(narrow, `${from} → ${to}`).toEqual([]);
    }
  });
});

/** Parses the report's CSV (comment lines skipped; quoted cells may hold commas). */
function parseCsv(text: string): string[][] {
  const lines: string[][] = [];
  for (const line of text.split('\r\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quoted && ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) {
        cells.push(cell);
        cell = '';
      } else cell += ch;
    }
    cells.push(cell);
    lines.push(cells);
  }
  return lines;
}

const CSV_MEASURES: Record<string, AuditedMeasureName> = {
  Schools: 'schools',
  Participants: 'participants',
  Enrolments: 'enrolments',
  Completed: 'completed',
  Withdrawn: 'withdrawn',
  'Places filled': 'placesFilled',
};
type AuditedMeasureName =
  | 'schools'
  | 'participants'
  | 'enrolments'
  | 'completed'
  | 'withdrawn'
  | 'placesFilled';

function tableFromCsv(text: string): AuditTable {
  const [header, ...lines] = parseCsv(text);
  const at = (name: string) => header!.indexOf(name);
  const toRow = (cells: string[], label: string): AuditRow => {
    const published = (v: string) => (v === '[c]' ? 'withheld' : v === '[z]' ? 'n/a' : Number(v));
    const row = Object.fromEntries(
      Object.entries(CSV_MEASURES).map(([h, m]) => [m, published(cells[at(h)]!)]),
    ) as AuditRow['cells'];
    const offered = cells[at('Places offered')]!;
    const status = at('Enrolment status') >= 0 ? cells[at('Enrolment status')]! : null;
    return {
      label,
      cells: row,
      placesOffered: offered === '[z]' ? 'n/a' : Number(offered),
      final: cells[at('All cohorts finished')] === 'yes',
      status: status && status !== 'All' && status !== '(none)' ? status : null,
    };
  };
  const groups = lines.filter((l) => l[0] === 'Group');
  const total = lines.find((l) => l[0] === 'Total')!;
  return { rows: groups.map((l, i) => toRow(l, `csv row ${i}`)), total: toRow(total, 'csv total') };
}

describe(`disclosure audit of the CSV report (${testDbKind()})`, () => {
  it('audits the CSV of every one-dimension grouping and a few pairs, as anonymous and analyst', async () => {
    const groupings = [
      ...DIMENSIONS.map((d) => [d]),
      ['HUB', 'ACADEMIC_YEAR'],
      ['ACADEMIC_YEAR', 'ENROLMENT_STATUS'],
      ['HUB', 'ROLE'],
      ['PROGRAMME', 'ACADEMIC_YEAR'],
    ];
    let withheld = 0;
    for (const groupBy of groupings) {
      for (const caller of ['anonymous', 'analyst'] as Caller[]) {
        const response = await api.app.fetch(
          `http://localhost/reports/cohort-stats.csv?groupBy=${groupBy.join(',')}&regionCodes=WM`,
          { headers: caller === 'anonymous' ? {} : { authorization: `Bearer ${api.keys.analyst}` } },
        );
        if (caller === 'anonymous' && groupBy.some((d) => d === 'SCHOOL_PHASE' || d === 'LOCAL_AUTHORITY')) {
          expect(response.status).toBe(401);
          continue;
        }
        expect(response.status).toBe(200);
        const text = await response.text();
        withheld += (text.match(/\[c\]/g) ?? []).length;
        const table = tableFromCsv(text);
        expect(await narrowCells(table, THRESHOLD), `CSV ${groupBy.join(' × ')} as ${caller}`).toEqual([]);
      }
    }
    expect(withheld).toBeGreaterThan(50);
  });
});
