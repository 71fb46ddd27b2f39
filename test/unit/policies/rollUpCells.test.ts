import { describe, expect, it } from 'vitest';
import { rollUpCells, type ReleasedCell } from '../../../policies/rollUpCells.js';

const cell = (key: (string | null)[], n: number, value?: { count: number; sum: number | null; min: number | null; max: number | null }): ReleasedCell => ({ key, n, stats: value ? { value } : {} });

describe('rollUpCells', () => {
  it('count = Σ n, sum = Σ sum, avg = Σ sum / Σ non-null count, min of mins, max of maxes; groups in the order of their first cell', () => {
    const cells = [
      cell(['tensile'], 5, { count: 4, sum: 1200, min: 290, max: 310 }),
      cell(['hardness'], 6, { count: 6, sum: 900, min: 140, max: 160 }),
      cell(['tensile'], 7, { count: 7, sum: 2135, min: 301, max: 312.5 }),
    ];
    const measures = [{ fn: 'count' as const }, { fn: 'sum' as const, field: 'value' }, { fn: 'avg' as const, field: 'value' }, { fn: 'min' as const, field: 'value' }, { fn: 'max' as const, field: 'value' }];
    expect(rollUpCells(cells, { groupBy: ['characteristic'], measures })).toEqual([
      { key: [{ field: 'characteristic', value: 'tensile' }], count: 12, values: [12, 3335, 3335 / 11, 290, 312.5] },
      { key: [{ field: 'characteristic', value: 'hardness' }], count: 6, values: [6, 900, 150, 140, 160] },
    ]);
  });

  it('a field without values is null (not 0) in sum, avg, min and max; a null key is a group of its own', () => {
    const cells = [cell([null], 5, { count: 0, sum: null, min: null, max: null }), cell(['mm'], 5, { count: 0, sum: null, min: null, max: null }), cell([null], 6)];
    const measures = [{ fn: 'count' as const }, { fn: 'sum' as const, field: 'value' }, { fn: 'avg' as const, field: 'value' }, { fn: 'max' as const, field: 'value' }];
    expect(rollUpCells(cells, { groupBy: ['unit'], measures })).toEqual([
      { key: [{ field: 'unit', value: null }], count: 11, values: [11, null, null, null] },
      { key: [{ field: 'unit', value: 'mm' }], count: 5, values: [5, null, null, null] },
    ]);
  });

  it('no grouping: one group of every released cell; no cell: no group', () => {
    const cells = [cell(['a', 'x'], 5), cell(['b', 'y'], 9)].map((c) => ({ ...c, key: [] }));
    expect(rollUpCells(cells, { groupBy: [], measures: [{ fn: 'count' }] })).toEqual([{ key: [], count: 14, values: [14] }]);
    expect(rollUpCells([], { groupBy: [], measures: [{ fn: 'count' }] })).toEqual([]);
  });
});
