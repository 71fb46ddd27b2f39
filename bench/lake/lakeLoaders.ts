import DataLoader from 'dataloader';
import { and, eq, inArray, type SQL } from 'drizzle-orm';
import type { FirmDb } from '../../subgraphs/firm/db/firmDb.js';
import { CHILD_TABLES, columnOf, entityTable, type ChildTable } from '../../subgraphs/firm/entityTables.js';

/** A row as drizzle returns it (camelCase properties). */
export type LakeRow = Readonly<Record<string, unknown>>;

function groupBy(rows: readonly LakeRow[], field: string): Map<unknown, LakeRow[]> {
  const out = new Map<unknown, LakeRow[]>();
  for (const row of rows) {
    const key = row[field];
    const list = out.get(key);
    if (list) list.push(row);
    else out.set(key, [row]);
  }
  return out;
}

/**
 * The per-request DataLoaders of the central lake: the same statements as the firm
 * subgraph's `Loaders` (one per loader batch, `WHERE key IN (...)`), without any row filter,
 * over one database that holds every firm's rows. Ids are globally unique (`<firm>-L0001`),
 * so a by-id or by-parent load needs no `firm_id` condition; lists hanging off a firm do.
 */
export class LakeLoaders {
  private readonly cache = new Map<string, DataLoader<string, unknown>>();

  constructor(private readonly db: FirmDb) {}

  private loader<V>(key: string, batch: (ids: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
    let l = this.cache.get(key) as DataLoader<string, V> | undefined;
    if (!l) {
      l = new DataLoader<string, V>(batch, { maxBatchSize: 1000 });
      this.cache.set(key, l as DataLoader<string, unknown>);
    }
    return l;
  }

  /** One row of a type by its id, or null. */
  entity(type: string, id: string): Promise<LakeRow | null> {
    return this.loader<LakeRow | null>(`entity:${type}`, async (ids) => {
      const t = entityTable(type);
      const rows = (await this.db.select().from(t.table).where(inArray(columnOf(t, t.idField), [...ids]))) as LakeRow[];
      const byId = new Map(rows.map((r) => [r[t.idField], r]));
      return ids.map((id) => byId.get(id) ?? null);
    }).load(id);
  }

  /** The rows of a type whose `field` equals the key (the inspections of a lot...). */
  entitiesBy(type: string, field: string, key: string): Promise<LakeRow[]> {
    return this.loader<LakeRow[]>(`entitiesBy:${type}:${field}`, async (keys) => {
      const t = entityTable(type);
      const rows = (await this.db
        .select()
        .from(t.table)
        .where(inArray(columnOf(t, field), [...keys]))
        .orderBy(columnOf(t, t.idField))) as LakeRow[];
      const grouped = groupBy(rows, field);
      return keys.map((k) => grouped.get(k) ?? []);
    }).load(key);
  }

  /** The lines of a parent (BOM lines, lot components, order lines, shipment lots). */
  children(table: ChildTable, field: string, key: string): Promise<LakeRow[]> {
    return this.loader<LakeRow[]>(`children:${table}:${field}`, async (keys) => {
      const t = CHILD_TABLES[table];
      const rows = (await this.db
        .select()
        .from(t.table)
        .where(inArray(columnOf(t, field), [...keys]))
        .orderBy(columnOf(t, t.idField))) as LakeRow[];
      const grouped = groupBy(rows, field);
      return keys.map((k) => grouped.get(k) ?? []);
    }).load(key);
  }

  /**
   * A firm's list (`Firm.lots(first, status)`): one statement per firm, `firm_id = id` plus
   * the field's arguments, ordered by id, limited, as the firm subgraph's `listEntities`
   * does in the firm's own database.
   */
  async list(type: string, firmId: string, filters: Record<string, unknown>, first: unknown): Promise<LakeRow[]> {
    const t = entityTable(type);
    const conditions: SQL[] = [eq(columnOf(t, 'firmId'), firmId)];
    for (const [field, value] of Object.entries(filters)) {
      if (value !== undefined && value !== null) conditions.push(eq(columnOf(t, field), value));
    }
    const limit = typeof first === 'number' ? first : 100;
    return (await this.db
      .select()
      .from(t.table)
      .where(and(...conditions))
      .orderBy(columnOf(t, t.idField))
      .limit(limit)) as LakeRow[];
  }
}
