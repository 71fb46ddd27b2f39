import DataLoader from 'dataloader';
import { and, asc, getTableColumns, gt, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { FirmDb } from './db/firmDb.js';
import { CHILD_TABLES, columnOf, entityTable, type ChildTable, type EntityTable } from './entityTables.js';
import type { RequestAccess, Row } from './requestAccess.js';
import { rowFilterSql } from './rowFilterSql.js';

/** Where a page starts and how long it is: at most `limit` rows, those whose id is after `after`, in id order. */
export interface PageWindow {
  limit: number;
  after?: string;
}

/** What a by-id load found: the row, or why there is none. */
export type EntityLookup = { row: Row } | { missing: 'denied' | 'filtered' | 'absent' };

function groupBy(rows: readonly Row[], field: string): Map<unknown, Row[]> {
  const out = new Map<unknown, Row[]>();
  for (const row of rows) {
    const key = row[field];
    const list = out.get(key);
    if (list) list.push(row);
    else out.set(key, [row]);
  }
  return out;
}

/**
 * The per-request DataLoaders of a firm subgraph. Every load of a governed type goes through
 * here and carries the owner's row filter for the caller into SQL; one statement per loader
 * batch, however many rows the request returns.
 */
export class Loaders {
  private readonly cache = new Map<string, DataLoader<string, unknown>>();

  constructor(
    private readonly db: FirmDb,
    private readonly access: RequestAccess,
  ) {}

  private loader<V>(key: string, batch: (ids: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
    let l = this.cache.get(key) as DataLoader<string, V> | undefined;
    if (!l) {
      l = new DataLoader<string, V>(batch, { maxBatchSize: 1000 });
      this.cache.set(key, l as DataLoader<string, unknown>);
    }
    return l;
  }

  /** The SQL condition of the caller's row filter, `undefined` for all rows, `'none'` when no rule grants the type. */
  rowCondition(type: string, t: EntityTable = entityTable(type)): SQL | undefined | 'none' {
    const filter = this.access.decision(type).rowFilter;
    if (filter === 'none') return 'none';
    return filter === null ? undefined : rowFilterSql(t, filter);
  }

  /**
   * The SQL condition of the rows of a type about which the caller may ask chain membership
   * (TypeDecision.membershipRows): `undefined` for every row, 'none' for none.
   */
  membershipCondition(type: string, t: EntityTable = entityTable(type)): SQL | undefined | 'none' {
    const filter = this.access.decision(type).membershipRows;
    if (filter === 'none') return 'none';
    return filter === null ? undefined : rowFilterSql(t, filter);
  }

  /**
   * The SQL condition of the rows on which the caller may filter a type by a field (see
   * `filterAccess`): `undefined` for every visible row. Call it only once the filter is allowed.
   */
  filterCondition(type: string, field: string, t: EntityTable = entityTable(type)): SQL | undefined {
    const f = this.access.filter(type, field);
    if (!f.allowed) throw new Error(`filterCondition: ${type}.${field} may not be filtered; check access.filter first`);
    return f.rows === null ? undefined : rowFilterSql(t, f.rows);
  }

  /** Loads one row of a governed type by its id, under the caller's row filter. */
  entity(type: string, id: string): Promise<EntityLookup> {
    return this.loader<EntityLookup>(`entity:${type}`, async (ids) => {
      const t = entityTable(type);
      const condition = this.rowCondition(type, t);
      if (condition === 'none') return ids.map(() => ({ missing: 'denied' as const }));
      const rows = (await this.db
        .select()
        .from(t.table)
        .where(and(inArray(columnOf(t, t.idField), [...ids]), condition))) as Row[];
      const byId = new Map(rows.map((r) => [r[t.idField], r]));
      return ids.map((id) => {
        const row = byId.get(id);
        if (row) return { row };
        return { missing: condition ? ('filtered' as const) : ('absent' as const) };
      });
    }).load(id);
  }

  /**
   * Loads the rows of a governed type whose `field` equals the key (e.g. the inspections of
   * a lot), under the caller's row filter and only among the rows where the caller may read
   * `field` (listing by a field is filtering by it: see `filterAccess`), in id order. With a
   * page, at most `limit` rows per key whose id is after `after`, cut in SQL (a window over
   * each key's rows), so that a page of a part's lots reads a page whatever the part's
   * history. `'denied'` when no rule grants the type.
   */
  entitiesBy(type: string, field: string, key: string, page?: PageWindow): Promise<Row[] | 'denied'> {
    const window = page ? JSON.stringify([page.limit, page.after ?? null]) : 'all';
    return this.loader<Row[] | 'denied'>(`entitiesBy:${type}:${field}:${window}`, async (keys) => {
      const t = entityTable(type);
      const condition = this.rowCondition(type, t);
      if (condition === 'none') return keys.map(() => 'denied' as const);
      const after = page?.after === undefined ? undefined : gt(columnOf(t, t.idField), page.after);
      const where = and(inArray(columnOf(t, field), [...keys]), condition, this.filterCondition(type, field, t), after);
      const rows = page === undefined ? await this.allBy(t, where) : await this.firstBy(t, field, where, page.limit);
      const grouped = groupBy(rows, field);
      return keys.map((k) => grouped.get(k) ?? []);
    }).load(key);
  }

  private async allBy(t: EntityTable, where: SQL | undefined): Promise<Row[]> {
    return (await this.db.select().from(t.table).where(where).orderBy(columnOf(t, t.idField))) as Row[];
  }

  /** The first `limit` rows per `field` value, by id: `row_number() over (partition by field order by id) <= limit`. */
  private async firstBy(t: EntityTable, field: string, where: SQL | undefined, limit: number): Promise<Row[]> {
    const rank = sql<number>`row_number() over (partition by ${columnOf(t, field)} order by ${columnOf(t, t.idField)})`.as('page_rank');
    const ranked = this.db
      .select({ ...getTableColumns(t.table), rank })
      .from(t.table)
      .where(where)
      .as('ranked');
    const columns = ranked as unknown as Record<string, SQL.Aliased | SQL>;
    const rows = (await this.db
      .select()
      .from(ranked)
      .where(lte(ranked.rank, limit))
      .orderBy(asc(columns[t.idField] as SQL))) as Record<string, unknown>[];
    return rows.map(({ rank: _rank, ...row }) => row);
  }

  /** Loads the lines of a parent (BOM lines, lot components, order lines, shipment lots). */
  children(table: ChildTable, field: string, key: string): Promise<Row[]> {
    return this.loader<Row[]>(`children:${table}:${field}`, async (keys) => {
      const t = CHILD_TABLES[table];
      const rows = (await this.db
        .select()
        .from(t.table)
        .where(inArray(columnOf(t, field), [...keys]))
        .orderBy(columnOf(t, t.idField))) as Row[];
      const grouped = groupBy(rows, field);
      return keys.map((k) => grouped.get(k) ?? []);
    }).load(key);
  }
}
