import { describe, expect, it } from 'vitest';
import { FILE, ruleIssues, structuraPolicy } from './policyFixtures.js';

const AT = `policy file ${FILE}, rule "r" (rules[0]), key`;

function withRows(types: string, rows: string): string {
  return `  - id: r\n    who: { relationship: [customer] }\n    types: ${types}\n    fields: "*"\n    rows:\n${rows.replace(/^/gm, '      ')}\n`;
}

describe('row filters: parsing', () => {
  it('reads literals as eq, operators, $caller.firm, anyOf and allOf', () => {
    const [rule] = structuraPolicy(
      withRows(
        '[Shipment]',
        'customerId: $caller.firm\nstatus: { in: [IN_TRANSIT, DELAYED] }\nanyOf:\n  - eta: { lt: "2026-12-01" }\n  - allOf: [{ carrier: { ne: DHL } }, { shippedAt: { gte: "2026-01-01T00:00:00Z" } }]',
      ),
    ).rules;
    expect(rule?.rows).toEqual({
      kind: 'and',
      items: [
        { kind: 'cmp', field: 'customerId', op: 'eq', value: { kind: 'callerFirm' } },
        { kind: 'cmp', field: 'status', op: 'in', value: ['IN_TRANSIT', 'DELAYED'] },
        {
          kind: 'or',
          items: [
            { kind: 'cmp', field: 'eta', op: 'lt', value: '2026-12-01' },
            {
              kind: 'and',
              items: [
                { kind: 'cmp', field: 'carrier', op: 'ne', value: 'DHL' },
                { kind: 'cmp', field: 'shippedAt', op: 'gte', value: '2026-01-01T00:00:00Z' },
              ],
            },
          ],
        },
      ],
    });
  });

  it('a single condition is a comparison; numbers and booleans are literals', () => {
    const p = structuraPolicy(withRows('[Lot]', 'quantity: { gt: 10 }') + withRows('[QualityInspection]', 'value: { lte: 2.5 }').replace('id: r', 'id: s'));
    expect(p.rules.map((r) => r.rows)).toEqual([
      { kind: 'cmp', field: 'quantity', op: 'gt', value: 10 },
      { kind: 'cmp', field: 'value', op: 'lte', value: 2.5 },
    ]);
  });

  it('over several types (or "*") accepts fields every listed type has', () => {
    expect(structuraPolicy(withRows('"*"', 'firmId: structura')).rules[0]?.rows).toEqual({ kind: 'cmp', field: 'firmId', op: 'eq', value: 'structura' });
    expect(structuraPolicy(withRows('[Lot, ProductionRun]', 'partId: { ne: P-1 }')).rules[0]?.rows).toMatchObject({ field: 'partId' });
  });

  it.each([
    ['[PurchaseOrder]', 'lines: x', `${AT} rows.lines: field "lines" of PurchaseOrder is not scalar; a row filter may only test scalar fields (firmId, orderId, supplierId, placedAt, status)`],
    ['[PurchaseOrder]', 'buyerId: x', `${AT} rows.buyerId: unknown field "buyerId" for type PurchaseOrder (a row filter may test firmId, orderId, supplierId, placedAt, status)`],
    ['[Shipment, Lot]', 'customerId: x', `${AT} rows.customerId: unknown field "customerId" for type Lot (a row filter over several types may only test fields every one has)`],
    ['[Lot, ProductionRun]', 'part: x', `${AT} rows.part: field "part" of Lot, ProductionRun is not scalar; a row filter may only test scalar fields`],
    ['[Shipment]', 'status: { equals: DELAYED }', `${AT} rows.status.equals: unknown operator "equals" (expected one of eq, ne, in, gt, gte, lt, lte)`],
    ['[Shipment]', 'status: { eq: A, ne: B }', `${AT} rows.status: a condition has exactly one operator (eq, ne, in, gt, gte, lt, lte), got 2: eq, ne`],
    ['[Shipment]', 'status: {}', `${AT} rows.status: a condition has exactly one operator (eq, ne, in, gt, gte, lt, lte), got none`],
    ['[Shipment]', 'customerId: $caller.firmId', `${AT} rows.customerId: unknown placeholder "$caller.firmId" (the only placeholder is $caller.firm)`],
    ['[Shipment]', 'customerId: { in: [a, $user] }', `${AT} rows.customerId.in[1]: unknown placeholder "$user" (the only placeholder is $caller.firm)`],
    ['[Shipment]', 'customerId: { in: [] }', `${AT} rows.customerId.in: expected a non-empty list of values, got an empty list`],
    ['[Shipment]', 'customerId: { in: a }', `${AT} rows.customerId.in: expected a non-empty list of values, got a string "a"`],
    ['[Shipment]', 'customerId: [a, b]', `${AT} rows.customerId: expected a string, number, boolean or $caller.firm, got a list (use in: [...] to test a list of values)`],
    ['[Shipment]', 'customerId: null', `${AT} rows.customerId: expected a string, number, boolean or $caller.firm, got null`],
    ['[Shipment]', 'customerId: { eq: { x: 1 } }', `${AT} rows.customerId.eq: expected a string, number, boolean or $caller.firm, got an object`],
    ['[Shipment]', 'anyOf: []', `${AT} rows.anyOf: expected a non-empty list of row filters, got an empty list`],
    ['[Shipment]', 'allOf: { status: A }', `${AT} rows.allOf: expected a non-empty list of row filters, got an object`],
    ['[Shipment]', 'anyOf: [{ status: A }, 3]', `${AT} rows.anyOf[1]: expected a row filter (an object of field: condition, anyOf, allOf or not), got a number 3`],
    ['[Shipment]', 'anyOf: [{ status: A }, {}]', `${AT} rows.anyOf[1]: empty row filter (omit rows to grant every row)`],
    ['[Shipment]', 'allOf: [{ anyOf: [{ eta: { after: x } }] }]', `${AT} rows.allOf[0].anyOf[0].eta.after: unknown operator "after" (expected one of eq, ne, in, gt, gte, lt, lte)`],
  ])('%s %s', (types, rows, message) => {
    expect(ruleIssues(withRows(types, rows))).toEqual([message]);
  });

  it('rejects an empty filter and a non-object', () => {
    const empty = '  - id: r\n    who: { relationship: [customer] }\n    types: [Shipment]\n    fields: "*"\n    rows: {}\n';
    expect(ruleIssues(empty)).toEqual([`${AT} rows: empty row filter (omit rows to grant every row)`]);
    expect(ruleIssues(empty.replace('rows: {}', 'rows: customerId'))).toEqual([
      `${AT} rows: expected a row filter (an object of field: condition, anyOf, allOf or not), got a string "customerId"`,
    ]);
  });

  it('reports every bad condition of a filter', () => {
    expect(ruleIssues(withRows('[Shipment]', 'lots: x\ncarrier: { like: x }'))).toHaveLength(2);
  });
});
