// The linked-table auditor: attacks many published tables of the same enrolments at once, as an
// analyst who may ask for any grouping would. Cells of every table are variables of one linear
// programme, tied by what holds between tables (a cell is the sum of its cells one dimension
// deeper), bounded by what was published; HiGHS gives each target cell's feasible range. It also
// tries plain differencing: a cell worked out as its parent minus its siblings.
import highsLoader from 'highs';

/** One cell of one table: what was published (null: withheld) and, for scoring, the truth. */
export interface LinkedCell {
  published: number | null;
  truth: number;
}

/** A parent cell is the sum of its children (one dimension deeper, every value of it). */
export interface Relation {
  parent: string;
  children: string[];
}

/** How a published figure bounds the truth: exactly (or nothing, when withheld), or rounded. */
export type Reading = { kind: 'exact-or-withheld' } | { kind: 'rounded'; base: number };

const BOX = 1e7;

function bounds(cell: LinkedCell, reading: Reading): [number, number] {
  if (cell.published === null) return [0, BOX];
  if (reading.kind === 'exact-or-withheld') return [cell.published, cell.published];
  // Rounded to a multiple of the base, up or down: the truth is within base − 1 of it.
  return [Math.max(0, cell.published - reading.base + 1), cell.published + reading.base - 1];
}

type Highs = Awaited<ReturnType<typeof highsLoader>>;
let solver: Promise<Highs> | undefined;

/** Each target's least and greatest value, given every cell's bounds and every relation. */
export async function linkedIntervals(
  cells: Map<string, LinkedCell>,
  relations: Relation[],
  reading: Reading,
  targets: string[],
): Promise<Map<string, { min: number; max: number }>> {
  solver ??= highsLoader();
  const highs = await solver;
  const ids = [...cells.keys()];
  const index = new Map(ids.map((id, i) => [id, `x${i}`]));
  const rows = relations
    .filter((r) => cells.has(r.parent))
    .map((r, i) => {
      const children = r.children.filter((c) => cells.has(c)).map((c) => `- ${index.get(c)}`);
      return ` r${i}: ${index.get(r.parent)} ${children.join(' ')} = 0`;
    });
  const boxes = ids.map((id) => {
    const [lo, hi] = bounds(cells.get(id)!, reading);
    return ` ${lo} <= ${index.get(id)} <= ${hi}`;
  });
  const solve = (target: string, sense: 'Minimize' | 'Maximize') => {
    const model = [sense, ` obj: ${index.get(target)}`, 'Subject To', ...rows, 'Bounds', ...boxes, 'End'];
    const solution = highs.solve(model.join('\n'));
    if (solution.Status !== 'Optimal') throw new Error(`linked audit of ${target}: ${solution.Status}`);
    return solution.ObjectiveValue;
  };
  const result = new Map<string, { min: number; max: number }>();
  for (const target of targets)
    result.set(target, { min: solve(target, 'Minimize'), max: solve(target, 'Maximize') });
  return result;
}

/**
 * Plain differencing: each child worked out as its parent minus its published siblings. Counts
 * the attempts at children whose truth is from 1 to `threshold` − 1, and those that gave it
 * exactly, per child.
 */
export function differencing(cells: Map<string, LinkedCell>, relations: Relation[], threshold: number) {
  const perCell = new Map<string, { attempts: number; recovered: number }>();
  let attempts = 0;
  let recovered = 0;
  for (const { parent, children } of relations) {
    const p = cells.get(parent);
    if (!p || p.published === null) continue;
    for (const child of children) {
      const target = cells.get(child);
      if (!target || target.truth < 1 || target.truth > threshold - 1) continue;
      const siblings = children.filter((c) => c !== child).map((c) => cells.get(c)?.published ?? 0);
      if (siblings.some((v) => v === null)) continue;
      const estimate = p.published - siblings.reduce((a: number, b) => a + (b ?? 0), 0);
      const score = perCell.get(child) ?? { attempts: 0, recovered: 0 };
      score.attempts++;
      attempts++;
      if (estimate === target.truth) {
        score.recovered++;
        recovered++;
      }
      perCell.set(child, score);
    }
  }
  return { attempts, recovered, perCell };
}
