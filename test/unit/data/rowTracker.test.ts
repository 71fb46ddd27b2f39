import { describe, expect, it } from 'vitest';
import { missingReferenceReason, RowTracker } from '../../../subgraphs/firm/data/rowTracker.js';
import { tableSpec } from '../../../subgraphs/firm/data/tableSpecs.js';

const at = (line: number) => ({ file: 'x.csv', line });
const describeAt = (l: { file: string; line: number }) => `${l.file} line ${l.line}`;

describe('RowTracker', () => {
  it('refuses a key given twice, naming where it was first', () => {
    const tracker = new RowTracker<{ file: string; line: number }>();
    const spec = tableSpec('purchaseOrderLines');
    expect(tracker.add(spec, { firmId: 'f', orderId: 'PO1', lineNo: 1 }, at(2), describeAt)).toBeUndefined();
    expect(tracker.add(spec, { firmId: 'f', orderId: 'PO1', lineNo: 2 }, at(3), describeAt)).toBeUndefined();
    expect(tracker.add(spec, { firmId: 'f', orderId: 'PO1', lineNo: 1 }, at(4), describeAt)).toEqual({
      column: 'lineNo', code: 'DUPLICATE_KEY', reason: "duplicate key orderId + lineNo 'PO1/1' (first at x.csv line 2)",
    });
    expect(tracker.size).toBe(2);
  });

  it('leaves pending only the in-firm references that no row of the import satisfies, wherever that row comes', () => {
    const tracker = new RowTracker<{ file: string; line: number }>();
    tracker.add(tableSpec('parts'), { firmId: 'f', partId: 'P1' }, at(2));
    tracker.add(tableSpec('lots'), { firmId: 'f', lotId: 'L1', partId: 'P1', runId: null }, at(2));
    tracker.add(tableSpec('lots'), { firmId: 'f', lotId: 'L2', partId: 'P2', runId: 'R1' }, at(3));
    tracker.add(tableSpec('lots'), { firmId: 'f', lotId: 'L3', partId: 'P2', runId: null }, at(4));
    // a component lot of the firm's own is in-firm; a supplier's is key-only
    tracker.add(tableSpec('lotComponents'), { firmId: 'f', lotId: 'L1', lineNo: 1, componentFirmId: 'f', componentLotId: 'L9' }, at(2));
    tracker.add(tableSpec('lotComponents'), { firmId: 'f', lotId: 'L1', lineNo: 2, componentFirmId: 'supplier', componentLotId: 'S-L1' }, at(3));
    // the run comes after the lot that points at it
    tracker.add(tableSpec('productionRuns'), { firmId: 'f', runId: 'R1', partId: 'P1', lotId: 'L2' }, at(2));
    const pending = tracker.pendingReferences();
    expect([...pending.keys()].sort()).toEqual(['lots', 'parts']);
    expect([...(pending.get('parts') ?? new Map())]).toEqual([['P2', { column: 'partId', location: at(3) }]]);
    expect([...(pending.get('lots') ?? new Map())]).toEqual([['L9', { column: 'componentLotId', location: at(2) }]]);
    expect(pending.get('productionRuns')?.size ?? 0).toBe(0);
  });

  it('says what a missing reference is', () => {
    expect(missingReferenceReason('partId', tableSpec('parts'), 'P2')).toBe(
      "partId 'P2' does not exist: no row of parts with partId 'P2', neither in this import nor in the database",
    );
  });
});
