import { describe, expect, it } from 'vitest';
import { GOVERNANCE_SPECS, tableSpec } from '../../../subgraphs/firm/data/tableSpecs.js';
import { checkColumns, validateRow } from '../../../subgraphs/firm/data/validateRow.js';

const firm = { firmId: 'titanforge' };
const lot = { lotId: 'titanforge-L0001', partId: 'titanforge-P01', quantity: '10', uom: 'pcs', producedAt: '2026-03-01T08:00:00Z', status: 'RELEASED' };

function problemsOf(table: Parameters<typeof tableSpec>[0], raw: Record<string, unknown>) {
  const result = validateRow(tableSpec(table), raw, firm);
  return result.ok ? [] : result.problems;
}

describe('validateRow', () => {
  it('types a valid CSV row: numbers, instants as Date, the owner filled in, absent optional values null', () => {
    const result = validateRow(tableSpec('lots'), lot, firm);
    expect(result).toEqual({
      ok: true,
      row: { firmId: 'titanforge', lotId: 'titanforge-L0001', partId: 'titanforge-P01', quantity: 10, uom: 'pcs', producedAt: new Date('2026-03-01T08:00:00.000Z'), status: 'RELEASED', runId: null },
    });
  });

  it('takes JSON values as the export writes them', () => {
    const result = validateRow(tableSpec('purchaseOrderLines'), {
      firmId: 'titanforge', orderId: 'PO1', lineNo: 2, partFirmId: 'nordstahl', partId: 'nordstahl-P03', quantity: 12.5, unitPrice: 3, requestedDate: '2026-02-28',
    }, firm);
    expect(result.ok && result.row).toMatchObject({ lineNo: 2, quantity: 12.5, requestedDate: '2026-02-28' });
  });

  it('refuses an unknown enum value, listing the values expected', () => {
    expect(problemsOf('lots', { ...lot, status: 'on hold' })).toEqual([
      { column: 'status', code: 'UNKNOWN_ENUM_VALUE', reason: "unknown enum value 'on hold' (expected one of RELEASED, QUARANTINED, CONSUMED, SHIPPED, SCRAPPED)" },
    ]);
    expect(problemsOf('lots', { ...lot, status: 'released' })[0]?.code).toBe('UNKNOWN_ENUM_VALUE');
  });

  it('refuses a missing required value (absent, empty or null) and accepts a missing optional one', () => {
    const { quantity: _q, ...noQuantity } = lot;
    expect(problemsOf('lots', noQuantity)).toEqual([{ column: 'quantity', code: 'MISSING_VALUE', reason: 'missing value: quantity is required' }]);
    expect(problemsOf('lots', { ...lot, uom: '' })).toEqual([{ column: 'uom', code: 'MISSING_VALUE', reason: 'missing value: uom is required' }]);
    expect(problemsOf('lots', { ...lot, lotId: null })[0]).toMatchObject({ column: 'lotId', code: 'MISSING_VALUE' });
    expect(problemsOf('lots', { ...lot, runId: '' })).toEqual([]);
  });

  it.each([
    ['quantity', 'ten', "wrong type: 'ten' is not a finite number"],
    ['quantity', 'NaN', "wrong type: 'NaN' is not a finite number"],
    ['quantity', 'Infinity', "wrong type: 'Infinity' is not a finite number"],
    ['quantity', '0x10', "wrong type: '0x10' is not a finite number"],
    ['producedAt', '2026-03-01T08:00:00', "wrong type: '2026-03-01T08:00:00' has no time zone (write it in UTC with Z, e.g. 2026-03-01T08:00:00Z, or with an offset)"],
    ['producedAt', '2026-02-30T08:00:00Z', "wrong type: '2026-02-30T08:00:00Z' is not a valid date and time"],
    ['producedAt', '01/03/2026', "wrong type: '01/03/2026' is not an ISO-8601 date and time (e.g. 2026-03-01T08:00:00Z)"],
    ['lotId', ' L1', "wrong type: ' L1' has blanks around it (an id is used as written)"],
    ['lotId', 'L\u00071', "wrong type: 'L\u00071' holds a control character"],
  ])('refuses %s = %j: %s', (column, value, reason) => {
    expect(problemsOf('lots', { ...lot, [column]: value })).toEqual([{ column, code: 'WRONG_TYPE', reason }]);
  });

  it('refuses a wrong JSON type, an integer out of range or with a fraction, a bad calendar date', () => {
    expect(problemsOf('lots', { ...lot, quantity: true })).toEqual([{ column: 'quantity', code: 'WRONG_TYPE', reason: 'wrong type: expected a number, got \'true\'' }]);
    expect(problemsOf('lots', { ...lot, uom: 7 })).toEqual([{ column: 'uom', code: 'WRONG_TYPE', reason: "wrong type: expected a string, got '7'" }]);
    const line = { orderId: 'PO1', partFirmId: 'n', partId: 'p', quantity: '1', unitPrice: '1', requestedDate: '2026-02-28' };
    expect(problemsOf('purchaseOrderLines', { ...line, lineNo: '1.5' })[0]).toMatchObject({ column: 'lineNo', reason: "wrong type: '1.5' is not an integer" });
    expect(problemsOf('purchaseOrderLines', { ...line, lineNo: 2.5 })[0]?.reason).toBe("wrong type: '2.5' is not an integer between -2147483647 and 2147483647");
    expect(problemsOf('purchaseOrderLines', { ...line, lineNo: '9999999999' })[0]?.code).toBe('WRONG_TYPE');
    expect(problemsOf('purchaseOrderLines', { ...line, lineNo: '1', requestedDate: '2026-13-01' })).toEqual([
      { column: 'requestedDate', code: 'WRONG_TYPE', reason: "wrong type: '2026-13-01' is not a calendar date (YYYY-MM-DD, e.g. 2026-03-01)" },
    ]);
  });

  it("refuses another firm's rows and unknown columns, and reports every problem of a row", () => {
    expect(problemsOf('lots', { ...lot, firmId: 'structura' })).toEqual([
      { column: 'firmId', code: 'NOT_OWN_FIRM', reason: "firmId 'structura' is not this firm (titanforge): a firm writes its own rows only" },
    ]);
    expect(problemsOf('lots', { ...lot, firmId: 'titanforge' })).toEqual([]);
    const problems = problemsOf('lots', { ...lot, colour: 'red', status: 'x', quantity: 'y' });
    expect(problems.map((p) => [p.column, p.code])).toEqual([['colour', 'UNKNOWN_COLUMN'], ['quantity', 'WRONG_TYPE'], ['status', 'UNKNOWN_ENUM_VALUE']]);
    expect(problems[0]?.reason).toBe("unknown column 'colour' (lots has firmId, lotId, partId, quantity, uom, producedAt, status, runId)");
  });
});

describe('validateRow of a governance table an export restores', () => {
  const agreements = GOVERNANCE_SPECS.find((s) => s.table === 'agreements');
  const agreement = {
    agreementId: 'titanforge-AG0001', requestId: null, holderId: 'structura', types: ['Lot'], fields: ['status'], purpose: 'traceability',
    validFrom: '2026-01-01T00:00:00.000Z', validUntil: '2026-02-01T00:00:00.000Z', state: 'ACTIVE', grantedBy: 'admin@titanforge', revokedAt: null, revokedBy: null,
  };
  it('takes its lists of strings as JSON', () => {
    if (!agreements) throw new Error('no agreements spec');
    const result = validateRow(agreements, agreement, firm);
    expect(result.ok && result.row.types).toBe('["Lot"]');
    expect(validateRow(agreements, { ...agreement, fields: '["status","lotId"]' }, firm)).toMatchObject({ ok: true, row: { fields: '["status","lotId"]' } });
  });
  it('refuses a list that is not of strings, and an unknown state', () => {
    if (!agreements) throw new Error('no agreements spec');
    const result = validateRow(agreements, { ...agreement, types: [1], fields: '{bad', state: 'PAUSED' }, firm);
    expect(result.ok ? [] : result.problems.map((p) => [p.column, p.code, p.reason])).toEqual([
      ['types', 'WRONG_TYPE', "wrong type: '[1]' is not a list of strings"],
      ['fields', 'WRONG_TYPE', "wrong type: '{bad' is not JSON"],
      ['state', 'UNKNOWN_ENUM_VALUE', "unknown enum value 'PAUSED' (expected one of ACTIVE, REVOKED, ENDED)"],
    ]);
  });
});

describe('checkColumns', () => {
  it('accepts a header with every required column, firmId optional', () => {
    expect(checkColumns(tableSpec('lots'), ['lotId', 'partId', 'quantity', 'uom', 'producedAt', 'status'])).toEqual([]);
  });

  it('names unknown, repeated and missing required columns', () => {
    expect(checkColumns(tableSpec('parts'), ['partId', 'partId', 'name', 'colour', 'partNumber', 'category', 'uom'])).toEqual([
      { column: 'partId', code: 'UNKNOWN_COLUMN', reason: "column 'partId' appears twice" },
      { column: 'colour', code: 'UNKNOWN_COLUMN', reason: "unknown column 'colour' (parts has firmId, partId, partNumber, name, category, uom, unitCost)" },
      { column: 'unitCost', code: 'MISSING_VALUE', reason: 'missing column: unitCost is required' },
    ]);
  });
});
