import type { AggregateAsk } from './aggregateAccess.js';

/** What a released cell holds of one measured field (its non-null values). */
export interface FieldStats {
  /** Rows of the cell where the field is not null. */
  count: number;
  /** `null` when no row of the cell has a value (likewise `min`, `max`). */
  sum: number | null;
  min: number | null;
  max: number | null;
}

/** A cell of the release table (at least k rows), as the database releases it. */
export interface ReleasedCell {
  /** The cell's values of the request's `groupBy` fields, in order (as text; `null` for null). */
  key: readonly (string | null)[];
  /** Its rows. */
  n: number;
  /** Per measured field of the request. */
  stats: Readonly<Record<string, FieldStats>>;
}

/** One group of an aggregate answer (the shape of `AggregateGroup`). */
export interface RolledUpGroup {
  key: { field: string; value: string | null }[];
  count: number;
  /** One value per asked measure, in order. */
  values: (number | null)[];
}

interface Totals {
  key: readonly (string | null)[];
  n: number;
  stats: Map<string, FieldStats>;
}

const EMPTY: FieldStats = { count: 0, sum: null, min: null, max: null };

function add(a: number | null, b: number | null, f: (x: number, y: number) => number): number | null {
  return a === null ? b : b === null ? a : f(a, b);
}

function merge(a: FieldStats, b: FieldStats): FieldStats {
  return {
    count: a.count + b.count,
    sum: add(a.sum, b.sum, (x, y) => x + y),
    min: add(a.min, b.min, Math.min),
    max: add(a.max, b.max, Math.max),
  };
}

function value(t: Totals, measure: AggregateAsk['measures'][number]): number | null {
  if (measure.fn === 'count') return t.n;
  const s = t.stats.get(measure.field ?? '') ?? EMPTY;
  if (measure.fn === 'avg') return s.count === 0 || s.sum === null ? null : s.sum / s.count;
  return s[measure.fn];
}

/**
 * An aggregate answer rolled up from released cells, grouped by the request's `groupBy`:
 * count = Σ n, sum = Σ sum, avg = Σ sum / Σ (non-null) count, min = min of the mins, max =
 * max of the maxes. So every answer, at every grouping, is a function of the same released
 * cells, and no combination of answers says anything about a cell held back. Groups come in
 * the order of their first cell (the database orders cells by the request's keys).
 * @example
 * rollUpCells([{ key: ['hardness'], n: 5, stats: { value: { count: 5, sum: 750, min: 140, max: 160 } } },
 *              { key: ['hardness'], n: 6, stats: { value: { count: 6, sum: 906, min: 145, max: 158 } } }],
 *   { groupBy: ['characteristic'], measures: [{ fn: 'count' }, { fn: 'avg', field: 'value' }] })
 * // [{ key: [{ field: 'characteristic', value: 'hardness' }], count: 11, values: [11, 150.5454...] }]
 */
export function rollUpCells(cells: readonly ReleasedCell[], ask: AggregateAsk): RolledUpGroup[] {
  const groups = new Map<string, Totals>();
  for (const cell of cells) {
    const id = JSON.stringify(cell.key);
    let t = groups.get(id);
    if (!t) {
      t = { key: cell.key, n: 0, stats: new Map() };
      groups.set(id, t);
    }
    t.n += cell.n;
    for (const [field, s] of Object.entries(cell.stats)) t.stats.set(field, merge(t.stats.get(field) ?? EMPTY, s));
  }
  return [...groups.values()].map((t) => ({
    key: ask.groupBy.map((field, i) => ({ field, value: t.key[i] ?? null })),
    count: t.n,
    values: ask.measures.map((m) => value(t, m)),
  }));
}
