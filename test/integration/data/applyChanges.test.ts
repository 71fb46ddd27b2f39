import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyChanges, ChangeWriter, DuplicateKeyError } from '../../../subgraphs/firm/data/applyChanges.js';
import { existingKeys } from '../../../subgraphs/firm/data/existingKeys.js';
import { tableSpec, type TableName } from '../../../subgraphs/firm/data/tableSpecs.js';
import { validateRow, type TypedRow } from '../../../subgraphs/firm/data/validateRow.js';
import { openFirmDatabase, type FirmDatabase } from '../../../subgraphs/firm/db/openFirmDatabase.js';
import { tables } from '../../../subgraphs/firm/db/tables.js';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../../harness/createTestDatabase.js';

const firmId = 'titanforge';

function row(table: TableName, raw: Record<string, unknown>): TypedRow {
  const result = validateRow(tableSpec(table), raw, { firmId });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.row;
}

const parts = Array.from({ length: 2500 }, (_, i) =>
  row('parts', { partId: `P${i}`, partNumber: `TF-${i}`, name: `part ${i}`, category: 'forging', uom: 'pcs', unitCost: String(i + 0.5) }),
);
const bom = [row('bomLines', { partId: 'P1', lineNo: '1', componentFirmId: 'nordstahl', componentPartId: 'N1', quantityPer: '2', uom: 'kg' })];

describe.each(testDatabaseKinds())('applyChanges on %s', (kind) => {
  let testDb: TestDatabase;
  let firm: FirmDatabase;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    firm = await openFirmDatabase({ databaseUrl: testDb.url, dataDir: testDb.dataDir });
  });
  afterAll(async () => {
    await firm?.close();
    await testDb?.drop();
  });

  it('upserts several tables in one transaction, a statement per batch, and counts what changed', async () => {
    const before = firm.statements();
    const changes = await applyChanges(firm.db, { upserts: { bomLines: bom, parts } });
    // 2,500 parts: one statement (batches of 5,000 rows, one array parameter per column); 1 for the BOM line
    expect(firm.statements() - before).toBe(2);
    expect(changes.map((c) => [c.table, c.upserted, c.deleted, c.keys.length, c.truncated ?? false])).toEqual([
      ['parts', 2500, 0, 100, true],
      ['bomLines', 1, 0, 1, false],
    ]);
    expect(changes[1]?.keys).toEqual(['P1/1']);
    expect((await firm.db.select().from(tables.parts)).length).toBe(2500);
  });

  it('changes nothing when the same rows are written again, and only the rows that differ otherwise', async () => {
    expect(await applyChanges(firm.db, { upserts: { parts, bomLines: bom } })).toEqual([]);
    const changed = parts.slice(0, 3).map((p, i) => (i === 1 ? { ...p, name: 'renamed' } : p));
    expect(await applyChanges(firm.db, { upserts: { parts: changed } })).toEqual([{ table: 'parts', upserted: 1, deleted: 0, keys: ['P1'] }]);
  });

  it('deletes by key (composite keys too), counting only rows that existed, children before parents', async () => {
    const changes = await applyChanges(firm.db, { deletes: { parts: [{ partId: 'P2499' }, { partId: 'nope' }], bomLines: [{ partId: 'P1', lineNo: 1 }] } });
    expect(changes).toEqual([
      { table: 'parts', upserted: 0, deleted: 1, keys: ['P2499'] },
      { table: 'bomLines', upserted: 0, deleted: 1, keys: ['P1/1'] },
    ]);
    expect(await existingKeys(firm.db, tableSpec('parts'), ['P0', 'P2499', 'nope'])).toEqual(new Set(['P0']));
  });

  it('runs inTransaction inside the same transaction: its failure rolls the write back', async () => {
    const lot = row('lots', { lotId: 'L1', partId: 'P0', quantity: '1', uom: 'pcs', producedAt: '2026-03-01T08:00:00Z', status: 'RELEASED' });
    await expect(
      applyChanges(firm.db, { upserts: { lots: [lot] } }, {
        inTransaction: async (_tx, changes) => {
          expect(changes).toEqual([{ table: 'lots', upserted: 1, deleted: 0, keys: ['L1'] }]);
          throw new Error('log append failed');
        },
      }),
    ).rejects.toThrow('log append failed');
    expect(await firm.db.select().from(tables.lots)).toEqual([]);
  });

  it('writes every value as given: quotes, backslashes, braces, commas, the text NULL, unicode, NULL, instants, dates', async () => {
    const odd = 'a "quoted", \\back\\slash {brace} NULL ünï 𝔘';
    const part = row('parts', { partId: 'P-odd', partNumber: 'NULL', name: odd, category: '{}', uom: '"', unitCost: '-0.000125' });
    const line = row('purchaseOrders', { orderId: 'PO-odd', supplierId: 's', placedAt: '2026-03-01T09:00:00.123+01:00', status: 'OPEN' });
    await applyChanges(firm.db, { upserts: { parts: [part], purchaseOrders: [line] } });
    const [stored] = await firm.db.select().from(tables.parts).where(eq(tables.parts.partId, 'P-odd'));
    expect(stored).toEqual({ firmId, partId: 'P-odd', partNumber: 'NULL', name: odd, category: '{}', uom: '"', unitCost: -0.000125 });
    const [order] = await firm.db.select().from(tables.purchaseOrders).where(eq(tables.purchaseOrders.orderId, 'PO-odd'));
    expect(order?.placedAt.toISOString()).toBe('2026-03-01T08:00:00.123Z');
    const [lot] = await firm.db.select().from(tables.lots);
    expect(lot).toBeUndefined();
  });

  it('refuses two rows with one key before sending anything', async () => {
    const before = firm.statements();
    await expect(firm.db.transaction((tx) => new ChangeWriter(tx).upsert('parts', [parts[0] as TypedRow, parts[0] as TypedRow]))).rejects.toThrow(DuplicateKeyError);
    expect(firm.statements() - before).toBe(0);
  });
});
