// The dashboard's rendering: the chart (Observable Plot) and the table of a statistics Table.
// A cell without a figure is never drawn or written as zero: the chart gives it a hatched
// ("suppressed") or grey ("n/a") band across the axis with its word on it, and the table the word.
import * as Plot from '@observablehq/plot';
import { h } from '../dom.ts';
import {
  CELL_WORDS,
  type Cell,
  cellText,
  formatValue,
  MEASURES,
  type Measure,
  type Row,
  type Table,
} from './data.ts';

// ───────────── chart ─────────────

const COLOURS = {
  figure: '#1d70b8',
  text: '#0b0c0c',
  hatch: '#505a5f',
  band: '#f3f2f1',
  bandStroke: '#6f777b',
};
const HATCH_ID = 'mh-hatch';

/** One row of the chart: a figure, or the word for why there is none. */
interface Point {
  label: string;
  status: Cell['status'];
  value: number;
  text: string;
  description: string;
}

function pointsOf(rows: Row[], measure: Measure): Point[] {
  const name = measure.label.toLowerCase();
  return rows.map((row) => {
    const cell = row.cells[measure.field];
    const text = cellText(cell, measure);
    return {
      label: row.label,
      status: cell.status,
      value: cell.status === 'value' ? cell.value : 0,
      text,
      description:
        cell.status === 'value'
          ? `${row.label}: ${name} ${text}`
          : `${row.label}: ${name} ${text} (not zero)`,
    };
  });
}

/** A Plot mark that only adds the hatch pattern the suppressed bands are filled with. */
const hatchPattern: Plot.RenderFunction = (_index, _scales, _values, _dimensions, context) => {
  const ns = 'http://www.w3.org/2000/svg';
  const doc = context.document;
  const defs = doc.createElementNS(ns, 'defs');
  const pattern = doc.createElementNS(ns, 'pattern');
  for (const [name, value] of Object.entries({
    id: HATCH_ID,
    width: '6',
    height: '6',
    patternUnits: 'userSpaceOnUse',
    patternTransform: 'rotate(45)',
  }))
    pattern.setAttribute(name, value);
  const background = doc.createElementNS(ns, 'rect');
  for (const [name, value] of Object.entries({ width: '6', height: '6', fill: 'white' }))
    background.setAttribute(name, value);
  const line = doc.createElementNS(ns, 'line');
  for (const [name, value] of Object.entries({ x1: '0', y1: '0', x2: '0', y2: '6', stroke: COLOURS.hatch }))
    line.setAttribute(name, value);
  line.setAttribute('stroke-width', '2');
  pattern.append(background, line);
  defs.append(pattern);
  return defs;
};

/**
 * The chart of one measure: horizontal bars by region or hub, columns by academic year. Each row
 * is exactly one mark (a rect): a bar for a figure (class mh-figure), a hatched band for a
 * suppressed one (mh-suppressed), a grey band for one that does not apply or is missing
 * (mh-not-applicable). Each rect has an aria-label and a tooltip saying what it is.
 */
export function renderChart(table: Table, measure: Measure, width: number): SVGSVGElement | HTMLElement {
  const points = pointsOf(table.rows, measure);
  const figures = points.filter((p) => p.status === 'value');
  const suppressed = points.filter((p) => p.status === 'withheld');
  const blank = points.filter((p) => p.status === 'notApplicable' || p.status === 'missing');
  // The value axis ends at a round number above the largest figure; the bands of rows without a
  // figure span all of it, so that they read as "unknown", never as a value.
  const largest = Math.max(1, ...figures.map((p) => p.value));
  const [, top = 1] = Plot.scale({
    x: { domain: [0, measure.kind === 'rate' ? 1 : largest * 1.1], nice: true },
  }).domain as number[];
  const tickFormat = (v: number) => formatValue(v, measure);
  const vertical = table.view.groupBy === 'ACADEMIC_YEAR';
  const ariaLabel = `${vertical ? 'Column' : 'Bar'} chart of ${measure.label.toLowerCase()} by ${
    vertical ? 'academic year' : table.view.groupBy === 'HUB' ? 'hub' : 'region'
  }`;
  const ariaDescription = `${figures.length} figures, ${suppressed.length} suppressed, ${blank.length} not applicable. The table below gives every figure.`;
  const common = { className: 'mh-mark', title: 'description', ariaLabel: 'description' } as const;
  const word = {
    text: (p: Point) => (p.status === 'value' ? p.text : CELL_WORDS[p.status as keyof typeof CELL_WORDS]),
    fill: COLOURS.text,
    stroke: 'white',
    strokeWidth: 4,
    fontWeight: 'bold',
    fontSize: 12,
    ariaHidden: 'true',
  } as const;

  if (!vertical) {
    const longest = Math.max(...points.map((p) => p.label.length), 5);
    return Plot.plot({
      width,
      height: 50 + points.length * 26,
      marginLeft: Math.min(320, 20 + longest * 7),
      marginRight: 80,
      style: { fontSize: '12px' },
      ariaLabel,
      ariaDescription,
      x: { domain: [0, top], grid: true, label: measure.label, tickFormat },
      y: { domain: points.map((p) => p.label), label: null },
      marks: [
        hatchPattern,
        Plot.barX(figures, {
          ...common,
          x: 'value',
          y: 'label',
          fill: COLOURS.figure,
          className: 'mh-figure',
        }),
        Plot.barX(suppressed, {
          ...common,
          x1: 0,
          x2: top,
          y: 'label',
          fill: `url(#${HATCH_ID})`,
          stroke: COLOURS.text,
          strokeDasharray: '4,3',
          className: 'mh-suppressed',
        }),
        Plot.barX(blank, {
          ...common,
          x1: 0,
          x2: top,
          y: 'label',
          fill: COLOURS.band,
          stroke: COLOURS.bandStroke,
          strokeDasharray: '1,2',
          className: 'mh-not-applicable',
        }),
        Plot.text(figures, {
          x: 'value',
          y: 'label',
          text: 'text',
          textAnchor: 'start',
          dx: 4,
          ariaHidden: 'true',
        }),
        Plot.text([...suppressed, ...blank], { ...word, x: 0, y: 'label', textAnchor: 'start', dx: 8 }),
        Plot.ruleX([0], { ariaHidden: 'true' }),
      ],
    });
  }

  const band = (width - 110) / Math.max(points.length, 1);
  return Plot.plot({
    width,
    height: 380,
    marginLeft: 70,
    marginBottom: 40,
    style: { fontSize: '12px' },
    ariaLabel,
    ariaDescription,
    x: { domain: points.map((p) => p.label), label: 'Academic year', padding: 0.2 },
    y: { domain: [0, top], grid: true, label: measure.label, tickFormat },
    marks: [
      hatchPattern,
      Plot.barY(figures, { ...common, x: 'label', y: 'value', fill: COLOURS.figure, className: 'mh-figure' }),
      Plot.barY(suppressed, {
        ...common,
        x: 'label',
        y1: 0,
        y2: top,
        fill: `url(#${HATCH_ID})`,
        stroke: COLOURS.text,
        strokeDasharray: '4,3',
        className: 'mh-suppressed',
      }),
      Plot.barY(blank, {
        ...common,
        x: 'label',
        y1: 0,
        y2: top,
        fill: COLOURS.band,
        stroke: COLOURS.bandStroke,
        strokeDasharray: '1,2',
        className: 'mh-not-applicable',
      }),
      Plot.text(figures, { x: 'label', y: 'value', text: 'text', dy: -8, ariaHidden: 'true' }),
      Plot.text([...suppressed, ...blank], { ...word, x: 'label', y: top / 2, rotate: band < 90 ? -90 : 0 }),
      Plot.ruleY([0], { ariaHidden: 'true' }),
    ],
  });
}

// ───────────── table ─────────────

/** The table of every measure: one row per group, the total in the footer. */
export function renderTable(table: Table, caption: string, selected: Measure): HTMLTableElement {
  const keyHeader =
    table.view.groupBy === 'ACADEMIC_YEAR'
      ? 'Academic year'
      : table.view.groupBy === 'HUB'
        ? 'Hub'
        : 'Region';
  const line = (row: Row) =>
    h(
      'tr',
      { 'data-id': row.id, class: row.total ? 'total' : null },
      h('th', { scope: 'row' }, row.label),
      ...MEASURES.map((m) => {
        const cell = row.cells[m.field];
        return h(
          'td',
          {
            'data-measure': m.field,
            'data-status': cell.status,
            class: [cell.status === 'value' ? 'num' : `word ${cell.status}`, m === selected ? 'selected' : '']
              .join(' ')
              .trim(),
            title:
              cell.status === 'withheld'
                ? 'Withheld to protect people: not zero'
                : cell.status === 'notApplicable'
                  ? 'Not applicable'
                  : null,
          },
          cellText(cell, m),
        );
      }),
      h('td', { 'data-measure': 'final' }, row.final ? 'yes' : 'no'),
    );
  return h(
    'table',
    { id: 'stats-table' },
    h('caption', { id: 'stats-table-caption' }, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, keyHeader),
        ...MEASURES.map((m) => h('th', { scope: 'col', class: m === selected ? 'selected' : null }, m.label)),
        h('th', { scope: 'col' }, 'All cohorts finished'),
      ),
    ),
    h('tbody', {}, ...table.rows.map(line)),
    h('tfoot', {}, line(table.total)),
  );
}
