import { buildSchema, graphql, GraphQLScalarType, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { guardStoredValues } from '../../../subgraphs/firm/guardStoredValues.js';

const SDL = `
  scalar DateTime
  scalar Date
  enum LotStatus { RELEASED QUARANTINED }
  type Lot { firmId: ID! lotId: ID! status: LotStatus quantity: Float producedAt: DateTime }
  type PurchaseOrderLine { lineNo: Int requestedDate: Date }
  type Agreement { agreementId: ID! validFrom: DateTime! fields: [String!]! }
  type Query { lots: [Lot] lines: [PurchaseOrderLine] agreements: [Agreement] }
`;

function schemaServing(rows: Record<string, unknown[]>) {
  const schema = buildSchema(SDL);
  const query = schema.getQueryType() as GraphQLObjectType;
  for (const [name, list] of Object.entries(rows)) {
    const field = query.getFields()[name];
    if (field) field.resolve = () => list;
  }
  const dateTime = schema.getType('DateTime') as GraphQLScalarType;
  dateTime.serialize = (v) => (v instanceof Date ? v.toISOString() : String(v));
  return guardStoredValues(schema);
}

async function run(rows: Record<string, unknown[]>, source: string) {
  const result = await graphql({ schema: schemaServing(rows), source, contextValue: { firmId: 'structura' } });
  return { data: result.data, errors: (result.errors ?? []).map((e) => ({ message: e.message, ...(e.extensions as { type?: string; field?: string; key?: string }) })) };
}

describe('guardStoredValues', () => {
  it('serves good values untouched', async () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const r = await run({ lots: [{ firmId: 'structura', lotId: 'L1', status: 'RELEASED', quantity: 2.5, producedAt: at }] }, '{ lots { lotId status quantity producedAt } }');
    expect(r).toEqual({ data: { lots: [{ lotId: 'L1', status: 'RELEASED', quantity: 2.5, producedAt: '2026-01-01T00:00:00.000Z' }] }, errors: [] });
  });

  it.each([
    ['status', 'on hold', 'it is not a LotStatus value'],
    ['quantity', Number.NaN, 'it is not a finite number'],
    ['quantity', Number.POSITIVE_INFINITY, 'it is not a finite number'],
    ['producedAt', new Date(Number.NaN), 'it is not a valid instant'],
  ])('refuses a stored %s of %s with STORED_VALUE_INVALID naming type, field and row, that field alone', async (field, value, why) => {
    const r = await run({ lots: [{ firmId: 'structura', lotId: 'L7', status: 'RELEASED', quantity: 1, producedAt: new Date(0), [field]: value }] }, '{ lots { lotId status quantity producedAt } }');
    expect(r.errors).toEqual([
      { message: `Lot L7 of firm structura holds a ${field} that cannot be served: ${why}. The row needs repair (docs/import-format.md).`, code: 'STORED_VALUE_INVALID', firmId: 'structura', type: 'Lot', field, key: 'L7' },
    ]);
    const lot = (r.data?.lots as Array<Record<string, unknown>>)[0];
    expect(lot?.[field]).toBeNull();
    expect(lot?.lotId).toBe('L7');
  });

  it('refuses a NULL where the schema requires a value, an Int out of range, a bad date, a list with a NULL; keys of composite rows', async () => {
    const r = await run(
      { lines: [{ orderId: 'PO1', lineNo: 2 ** 40, requestedDate: 'someday' }], agreements: [{ agreementId: 'AG1', validFrom: null, fields: [] }, { agreementId: 'AG2', validFrom: new Date(0), fields: ['a', null] }] },
      '{ lines { lineNo requestedDate } agreements { agreementId validFrom fields } }',
    );
    expect(r.errors.map((e) => [e.type, e.field, e.key, e.message.split(': ')[1]])).toEqual([
      ['PurchaseOrderLine', 'lineNo', 'PO1/1099511627776', 'it is not a 32-bit integer. The row needs repair (docs/import-format.md).'],
      ['PurchaseOrderLine', 'requestedDate', 'PO1/1099511627776', 'it is not a calendar date. The row needs repair (docs/import-format.md).'],
      ['Agreement', 'validFrom', 'AG1', 'it is missing (NULL) where the schema requires a value. The row needs repair (docs/import-format.md).'],
      ['Agreement', 'fields', 'AG2', 'it is missing (NULL) where the schema requires a value. The row needs repair (docs/import-format.md).'],
    ]);
  });
});
