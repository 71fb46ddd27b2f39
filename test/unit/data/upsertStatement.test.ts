import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { tableSpec } from '../../../subgraphs/firm/data/tableSpecs.js';
import { arrayLiteral, upsertStatement } from '../../../subgraphs/firm/data/upsertStatement.js';

describe('upsertStatement', () => {
  it('writes one array literal per column, escaped, NULL apart from the text "NULL"', () => {
    expect(arrayLiteral(['a "b"', 'c\\d', null, 'NULL', 1.5, new Date('2026-01-01T00:00:00Z')])).toBe('{"a \\"b\\"","c\\\\d",NULL,"NULL","1.5","2026-01-01T00:00:00.000Z"}');
    expect(arrayLiteral([])).toBe('{}');
  });

  it('is one INSERT ... SELECT FROM unnest with one parameter per column, whatever the rows', () => {
    const rows = Array.from({ length: 3 }, (_, i) => ({ firmId: 'f', orderId: `PO${i}`, lineNo: i, partFirmId: 's', partId: 'p', quantity: 1, unitPrice: 2, requestedDate: '2026-01-01' }));
    const query = new PgDialect().sqlToQuery(upsertStatement(tableSpec('purchaseOrderLines'), rows));
    expect(query.params).toHaveLength(8);
    expect(query.params[1]).toBe('{"PO0","PO1","PO2"}');
    expect(query.sql).toBe(
      'INSERT INTO "purchase_order_lines" ("firm_id", "order_id", "line_no", "part_firm_id", "part_id", "quantity", "unit_price", "requested_date") SELECT * FROM unnest(' +
        '$1::text[], $2::text[], $3::integer[], $4::text[], $5::text[], $6::double precision[], $7::double precision[], $8::date[]) ' +
        'ON CONFLICT ("order_id", "line_no") DO UPDATE SET "firm_id" = excluded."firm_id", "part_firm_id" = excluded."part_firm_id", "part_id" = excluded."part_id", "quantity" = excluded."quantity", "unit_price" = excluded."unit_price", "requested_date" = excluded."requested_date" ' +
        'WHERE ("purchase_order_lines"."firm_id", "purchase_order_lines"."part_firm_id", "purchase_order_lines"."part_id", "purchase_order_lines"."quantity", "purchase_order_lines"."unit_price", "purchase_order_lines"."requested_date") IS DISTINCT FROM (excluded."firm_id", excluded."part_firm_id", excluded."part_id", excluded."quantity", excluded."unit_price", excluded."requested_date") ' +
        'RETURNING "order_id" AS "orderId", "line_no" AS "lineNo"',
    );
  });
});
