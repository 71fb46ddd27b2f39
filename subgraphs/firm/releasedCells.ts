import { and, count, sql, type SQL } from 'drizzle-orm';
import type { AggregateAccess, AggregateAsk } from '../../policies/aggregateAccess.js';
import type { ReleasedCell } from '../../policies/rollUpCells.js';
import type { FirmDb } from './db/firmDb.js';
import { columnOf, entityTable } from './entityTables.js';
import { rowFilterSql } from './rowFilterSql.js';

/** The cells the database lets out for one aggregate request, and how many it held back. */
export interface CellRead {
  cells: ReleasedCell[];
  suppressed: number;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * Reads the cells of the caller firm's release table that an allowed aggregate request
 * covers, in two statements whatever the rows and groups: the first groups the covered rows
 * into the table's cells (its fields and hidden keys) and releases only the cells of at least
 * k rows (`HAVING count(*) >= k`: a smaller cell never leaves the database), each with its
 * values of the request's keys and, per measured field, count, sum, min and max, ordered by
 * the request's keys; the second counts the cells held back.
 * @example const { cells, suppressed } = await releasedCells(ctx.db, 'QualityInspection', access, ask);
 */
export async function releasedCells(db: FirmDb, type: string, access: Extract<AggregateAccess, { allowed: true }>, ask: AggregateAsk): Promise<CellRead> {
  const t = entityTable(type);
  const where = access.rowFilter === 'none' ? sql`false` : access.rowFilter === null ? undefined : rowFilterSql(t, access.rowFilter);
  const cellKeys = [
    ...access.cells.groupBy.map((f) => columnOf(t, f)),
    ...access.cells.hiddenKeys.map((filter) => sql`coalesce(${rowFilterSql(t, filter)}, false)`),
  ];
  const keys = ask.groupBy.map((f) => columnOf(t, f));
  const measured = [...new Set(ask.measures.flatMap((m) => (m.fn !== 'count' && m.field ? [m.field] : [])))];
  const selection: Record<string, SQL> = { n: sql`count(*)::int` };
  keys.forEach((c, i) => (selection[`k${i}`] = sql`${c}::text`));
  measured.forEach((field, i) => {
    const c = columnOf(t, field);
    selection[`c${i}`] = sql`count(${c})::int`;
    selection[`s${i}`] = sql`sum(${c})::float8`;
    selection[`lo${i}`] = sql`min(${c})::float8`;
    selection[`hi${i}`] = sql`max(${c})::float8`;
  });
  const k = access.minGroupSize;
  const rows = (await db.select(selection).from(t.table).where(and(where)).groupBy(...cellKeys).having(sql`count(*) >= ${k}`).orderBy(...keys)) as Record<string, unknown>[];
  const [small] = (await db
    .select({ n: count() })
    .from(db.select({ one: sql`1` }).from(t.table).where(and(where)).groupBy(...cellKeys).having(sql`count(*) < ${k}`).as('small'))) as { n: number }[];
  return {
    cells: rows.map((r) => ({
      key: keys.map((_c, i) => (r[`k${i}`] === null ? null : String(r[`k${i}`]))),
      n: Number(r.n),
      stats: Object.fromEntries(measured.map((field, i) => [field, { count: Number(r[`c${i}`]), sum: num(r[`s${i}`]), min: num(r[`lo${i}`]), max: num(r[`hi${i}`]) }])),
    })),
    suppressed: Number(small?.n ?? 0),
  };
}
