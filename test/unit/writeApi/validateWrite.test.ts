import { describe, expect, it } from 'vitest';
import { missingReferenceReason } from '../../../subgraphs/firm/data/rowTracker.js';
import { tableSpec, type TableSpec } from '../../../subgraphs/firm/data/tableSpecs.js';
import { validateRow } from '../../../subgraphs/firm/data/validateRow.js';
import { MAX_WRITE_ROWS, validateWrite, type ExistingKeys } from '../../../subgraphs/firm/writeApi/validateWrite.js';

const part = { partId: 'P1', partNumber: 'N-1', name: 'Bracket', category: 'bracket', uom: 'pcs', unitCost: 12.5 };
const lot = { lotId: 'L1', partId: 'P1', quantity: 4, uom: 'pcs', producedAt: '2026-03-01T08:00:00Z', status: 'RELEASED' };

/** The database, as existingKeys answers: these keys exist per table; every lookup is recorded. */
function database(existing: Record<string, string[]> = {}): { lookup: ExistingKeys; asked: [string, string[]][] } {
  const asked: [string, string[]][] = [];
  const lookup: ExistingKeys = async (spec: TableSpec, keys) => {
    asked.push([spec.table, [...keys]]);
    return new Set(keys.filter((k) => existing[spec.table]?.includes(k)));
  };
  return { lookup, asked };
}

const reasonOf = (table: 'lots' | 'parts', row: Record<string, unknown>, column: string): string => {
  const r = validateRow(tableSpec(table), row, { firmId: 'skyframe' });
  return r.ok ? '' : (r.problems.find((p) => p.column === column)?.reason ?? '');
};

describe('validateWrite: a write checked as the import checks it', () => {
  it('types the rows (owner filled in, optional values null) and keys, and asks the database only for references the write does not satisfy', async () => {
    const db = database({ parts: ['P0'] });
    const checked = await validateWrite(
      { upsert: { lots: [lot, { ...lot, lotId: 'L2', partId: 'P0' }], parts: [part] }, delete: { bomLines: [{ partId: 'P0', lineNo: 2 }] } },
      'skyframe',
      db.lookup,
    );
    expect(checked).toEqual({
      ok: true,
      rows: 4,
      changes: {
        upserts: {
          parts: [{ ...part, firmId: 'skyframe' }],
          lots: [
            { ...lot, firmId: 'skyframe', producedAt: new Date('2026-03-01T08:00:00Z'), runId: null },
            { ...lot, lotId: 'L2', partId: 'P0', firmId: 'skyframe', producedAt: new Date('2026-03-01T08:00:00Z'), runId: null },
          ],
        },
        deletes: { bomLines: [{ partId: 'P0', lineNo: 2 }] },
      },
    });
    expect(db.asked).toEqual([['parts', ['P0']]]);
  });

  it("names every problem by its input path, with the core's code and reason, and asks the database nothing", async () => {
    const db = database();
    const bad = { ...lot, status: 'on hold', quantity: 'many', colour: 'red' };
    const checked = await validateWrite({ upsert: { lots: [lot, bad], parts: [part, { ...part, firmId: 'structura' }] } }, 'skyframe', db.lookup);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems).toEqual([
      { key: 'upsert.parts[1].firmId', code: 'NOT_OWN_FIRM', reason: expect.stringMatching(/^firmId 'structura' is not this firm/) },
      { key: 'upsert.lots[1].colour', code: 'UNKNOWN_COLUMN', reason: reasonOf('lots', bad, 'colour') },
      { key: 'upsert.lots[1].quantity', code: 'WRONG_TYPE', reason: reasonOf('lots', bad, 'quantity') },
      { key: 'upsert.lots[1].status', code: 'UNKNOWN_ENUM_VALUE', reason: reasonOf('lots', bad, 'status') },
    ]);
    expect(db.asked).toEqual([]);
  });

  it('refuses a key given twice where it is repeated, and a reference neither the write nor the database satisfies', async () => {
    const twice = await validateWrite({ upsert: { parts: [part, part] } }, 'skyframe', database().lookup);
    expect(twice).toMatchObject({ ok: false, problems: [{ key: 'upsert.parts[1].partId', code: 'DUPLICATE_KEY', reason: expect.stringMatching(/first at upsert\.parts\[0\]/) }] });
    const missing = await validateWrite({ upsert: { lots: [{ ...lot, partId: 'P9' }, { ...lot, lotId: 'L2', partId: 'P9' }] } }, 'skyframe', database().lookup);
    expect(missing).toEqual({ ok: false, problems: [{ key: 'upsert.lots[0].partId', code: 'MISSING_REFERENCE', reason: missingReferenceReason('partId', tableSpec('parts'), 'P9') }] });
    // A pointer at another firm's part is key-only: not checked.
    const foreign = await validateWrite({ upsert: { bomLines: [{ partId: 'P1', lineNo: 1, componentFirmId: 'structura', componentPartId: 'S9', quantityPer: 1, uom: 'pcs' }], parts: [part] } }, 'skyframe', database().lookup);
    expect(foreign.ok).toBe(true);
  });

  it('parses keys to delete as their columns', async () => {
    const checked = await validateWrite({ delete: { bomLines: [{ partId: 'P1' }, { partId: ' P2', lineNo: 1 }, { partId: 'P3', lineNo: 1, name: 'x' }] } }, 'skyframe', database().lookup);
    expect(checked).toMatchObject({
      ok: false,
      problems: [
        { key: 'delete.bomLines[0].lineNo', code: 'MISSING_VALUE', reason: 'missing value: lineNo is required' },
        { key: 'delete.bomLines[1].partId', code: 'WRONG_TYPE', reason: expect.stringMatching(/blanks around it/) },
        { key: 'delete.bomLines[2].name', code: 'UNKNOWN_COLUMN' },
      ],
    });
  });

  it('refuses a write of nothing, of too many rows, or of an unknown table, whole', async () => {
    expect(await validateWrite({ upsert: { parts: [] }, delete: null }, 'skyframe', database().lookup)).toMatchObject({ ok: false, problems: [{ code: 'NOTHING_TO_WRITE' }] });
    const keys = Array.from({ length: MAX_WRITE_ROWS }, (_, i) => ({ partId: `P${i}` }));
    expect((await validateWrite({ delete: { parts: keys } }, 'skyframe', database().lookup)).ok).toBe(true);
    expect(await validateWrite({ upsert: { parts: [part] }, delete: { parts: keys } }, 'skyframe', database().lookup)).toMatchObject({
      ok: false,
      problems: [{ key: 'upsert', code: 'TOO_MANY_ROWS', reason: expect.stringMatching(/at most 1000 rows .* this one 1001/) }],
    });
    expect(await validateWrite({ upsert: { accessLog: [{}] } }, 'skyframe', database().lookup)).toMatchObject({ ok: false, problems: [{ key: 'upsert.accessLog', code: 'UNKNOWN_TABLE' }] });
  });

  it('names problems where the caller says (a receipt names its components)', async () => {
    const keyOf = (_s: string, _t: string, i: number, column?: string) => (column === 'componentFirmId' ? 'input.supplierId' : `input.components[${i}].${column}`);
    const checked = await validateWrite(
      { upsert: { lotComponents: [{ lotId: 'L1', lineNo: 1.5, componentFirmId: 'structura', componentLotId: 'S1', quantityUsed: 1 }] } },
      'skyframe',
      database({ lots: ['L1'] }).lookup,
      keyOf,
    );
    expect(checked).toMatchObject({ ok: false, problems: [{ key: 'input.components[0].lineNo', code: 'WRONG_TYPE' }] });
  });
});
