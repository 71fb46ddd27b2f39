import { and, eq, gt, gte, inArray, lt, lte, ne, not, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { BoundRowFilter } from '../../policies/rowFilter.js';
import { columnOf, type EntityTable } from './entityTables.js';

function driverValue(column: AnyPgColumn, value: unknown): unknown {
  if (column.columnType === 'PgTimestamp' && typeof value === 'string') return new Date(value);
  return value;
}

/**
 * Translates a policy's row filter (bound to the caller) into SQL over the type's table,
 * so that rows a caller may not see never leave the database.
 * @example rowFilterSql(entityTable('Shipment'), { kind: 'cmp', field: 'customerId', op: 'eq', value: 'skyframe' })
 */
export function rowFilterSql(t: EntityTable, filter: BoundRowFilter): SQL {
  switch (filter.kind) {
    case 'and':
    case 'or': {
      const parts = filter.items.map((f) => rowFilterSql(t, f));
      if (parts.length === 0) return filter.kind === 'and' ? sql`true` : sql`false`;
      return (filter.kind === 'and' ? and(...parts) : or(...parts)) ?? sql`false`;
    }
    case 'not':
      // SQL's three-valued logic would drop a row whose tested column is null; a filter is
      // false for such a row (as in matchesRow), so its negation keeps it.
      return not(sql`coalesce(${rowFilterSql(t, filter.item)}, false)`);
    case 'cmp': {
      const column = columnOf(t, filter.field);
      const value = filter.value;
      switch (filter.op) {
        case 'eq':
          return value === null ? sql`${column} is null` : eq(column, driverValue(column, value));
        case 'ne':
          return value === null ? sql`${column} is not null` : sql`(${ne(column, driverValue(column, value))} or ${column} is null)`;
        case 'in':
          return Array.isArray(value) && value.length > 0
            ? inArray(column, value.map((v) => driverValue(column, v)))
            : sql`false`;
        case 'gt':
          return gt(column, driverValue(column, value));
        case 'gte':
          return gte(column, driverValue(column, value));
        case 'lt':
          return lt(column, driverValue(column, value));
        case 'lte':
          return lte(column, driverValue(column, value));
      }
    }
  }
}
