import { sql, type SQL } from 'drizzle-orm';
import type { TypedValue } from './parseValue.js';
import type { ColumnSpec, TableSpec } from './tableSpecs.js';
import type { TypedRow } from './validateRow.js';

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The PostgreSQL array type a column's values travel in. */
const ARRAY_TYPE: Record<ColumnSpec['type'], string> = {
  id: 'text[]',
  text: 'text[]',
  enum: 'text[]',
  int: 'integer[]',
  float: 'double precision[]',
  date: 'date[]',
  datetime: 'timestamptz[]',
  json: 'jsonb[]',
};

function element(value: TypedValue): string {
  if (value === null) return 'NULL';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * A PostgreSQL array literal of one column's values (`{"a","b",NULL}`): sent as ONE text
 * parameter, so a statement carries one parameter per column whatever the rows.
 * @example arrayLiteral([1.5, null]) // '{"1.5",NULL}'
 */
export function arrayLiteral(values: readonly TypedValue[]): string {
  return `{${values.map(element).join(',')}}`;
}

/**
 * One statement that upserts `rows` of a table (distinct keys, validated):
 * `INSERT INTO t (...) SELECT * FROM unnest($1::text[], $2::double precision[], ...)
 * ON CONFLICT (key) DO UPDATE SET ... WHERE (the stored row) IS DISTINCT FROM excluded
 * RETURNING key`: a row equal to the stored one is neither rewritten nor returned. One text
 * parameter per column (an array literal), so neither the statement's size in parameters nor
 * the work of building it grows with the rows.
 * @example const written = rowsOf(await tx.execute(upsertStatement(tableSpec('lots'), rows)));
 */
export function upsertStatement(spec: TableSpec, rows: readonly TypedRow[]): SQL {
  const table = quoteIdent(spec.sqlTable);
  const names = spec.columns.map((c) => quoteIdent(c.sqlName));
  const keys = spec.columns.filter((c) => c.key).map((c) => quoteIdent(c.sqlName));
  const others = spec.columns.filter((c) => !c.key).map((c) => quoteIdent(c.sqlName));
  const arrays = spec.columns.map((c) => sql`${arrayLiteral(rows.map((r) => r[c.name] ?? null))}::${sql.raw(ARRAY_TYPE[c.type])}`);
  const update =
    others.length === 0
      ? 'DO NOTHING'
      : `DO UPDATE SET ${others.map((n) => `${n} = excluded.${n}`).join(', ')} WHERE (${others.map((n) => `${table}.${n}`).join(', ')}) IS DISTINCT FROM (${others.map((n) => `excluded.${n}`).join(', ')})`;
  return sql.join(
    [
      sql.raw(`INSERT INTO ${table} (${names.join(', ')}) SELECT * FROM unnest(`),
      sql.join(arrays, sql`, `),
      sql.raw(`) ON CONFLICT (${keys.join(', ')}) ${update} RETURNING ${spec.key.map((k) => `${quoteIdent(spec.columns.find((c) => c.name === k)?.sqlName ?? k)} AS ${quoteIdent(k)}`).join(', ')}`),
    ],
    sql``,
  );
}
