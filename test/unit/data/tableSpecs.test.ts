import { getTableColumns } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { rowKey, specOfName, tableSpec, TABLE_SPECS } from '../../../subgraphs/firm/data/tableSpecs.js';
import { tables } from '../../../subgraphs/firm/db/tables.js';
import { LOT_STATUSES } from '../../../subgraphs/firm/db/statuses.js';

describe('TABLE_SPECS', () => {
  it('covers every data table once, with every column of its drizzle table', () => {
    expect(TABLE_SPECS.map((s) => s.table).sort()).toEqual(Object.keys(tables).sort());
    for (const spec of TABLE_SPECS) {
      const columns = getTableColumns(tables[spec.table]);
      expect(spec.columns.map((c) => c.name)).toEqual(Object.keys(columns));
      expect(spec.columns.map((c) => c.sqlName)).toEqual(Object.values(columns).map((c) => c.name));
    }
  });

  it('reads types, required, enums and keys from the tables', () => {
    const lots = tableSpec('lots');
    expect(lots.file).toBe('lots');
    expect(lots.key).toEqual(['lotId']);
    const byName = Object.fromEntries(lots.columns.map((c) => [c.name, c]));
    expect(byName.status).toMatchObject({ type: 'enum', required: true, enumValues: LOT_STATUSES, sqlName: 'status' });
    expect(byName.runId).toMatchObject({ type: 'id', required: false });
    expect(byName.producedAt?.type).toBe('datetime');
    expect(byName.quantity?.type).toBe('float');
    expect(byName.firmId).toMatchObject({ owner: true, type: 'id' });
    expect(tableSpec('purchaseOrderLines').key).toEqual(['orderId', 'lineNo']);
    expect(tableSpec('purchaseOrderLines').columns.find((c) => c.name === 'requestedDate')?.type).toBe('date');
    expect(tableSpec('shipmentLots').key).toEqual(['shipmentId', 'lotId']);
    expect(tableSpec('bomLines').columns.find((c) => c.name === 'lineNo')).toMatchObject({ type: 'int', key: true });
  });

  it('lists parents before the children that point at them (but for the run ↔ lot pair)', () => {
    const order = TABLE_SPECS.map((s) => s.table);
    for (const spec of TABLE_SPECS) {
      for (const ref of spec.references) {
        if ((spec.table === 'productionRuns' && ref.table === 'lots') || ref.table === spec.table) continue;
        expect(order.indexOf(ref.table), `${spec.table}.${ref.column}`).toBeLessThan(order.indexOf(spec.table));
      }
    }
  });

  it("states exactly the database's in-firm foreign keys as references (plus the conditional own-firm ones)", () => {
    for (const spec of TABLE_SPECS) {
      const columnsByName = Object.fromEntries(Object.entries(getTableColumns(spec.drizzle)).map(([k, c]) => [c.name, k]));
      const fks = getTableConfig(spec.drizzle).foreignKeys.map((fk) => {
        const ref = fk.reference();
        const target = TABLE_SPECS.find((s) => s.drizzle === ref.foreignTable);
        return { column: columnsByName[ref.columns[0]?.name ?? ''], table: target?.table, key: ref.foreignColumns.map((c) => c.name) };
      });
      const stated = spec.references.filter((r) => r.whenOwnFirm === undefined);
      expect(fks.map((f) => `${f.column}→${f.table}`).sort(), spec.table).toEqual(stated.map((r) => `${r.column}→${r.table}`).sort());
      for (const f of fks) expect(f.key).toEqual([tableSpec(f.table ?? 'parts').columns.find((c) => c.key)?.sqlName]);
    }
  });

  it('finds a spec by file name or table name, and writes keys as the write log does', () => {
    expect(specOfName('purchase-order-lines.csv')?.table).toBe('purchaseOrderLines');
    expect(specOfName('inventory')?.table).toBe('inventoryPositions');
    expect(specOfName('bomLines')?.file).toBe('bom-lines');
    expect(specOfName('colours.csv')).toBeUndefined();
    expect(rowKey(tableSpec('purchaseOrderLines'), { orderId: 'PO1', lineNo: 2 })).toBe('PO1/2');
  });
});
