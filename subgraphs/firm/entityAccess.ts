import { and, eq, gt, gte, lt, type SQL } from 'drizzle-orm';
import type { FirmContext } from './firmContext.js';
import { kindOf } from '../representations/checkRepresentations.js';
import { badInput, filterForbidden, forbidden, notFound, ownerMismatch } from './firmErrors.js';
import { columnOf, entityTable } from './entityTables.js';
import type { PageWindow } from './loaders.js';
import type { Row } from './requestAccess.js';

/** A filter on an instant field by a half-open range: at or after `from`, before `to` (either may be left out). */
export interface RangeFilter {
  kind: 'range';
  from?: Date;
  to?: Date;
}

/** Whether a filter value is a {@link RangeFilter}. */
export function isRangeFilter(value: unknown): value is RangeFilter {
  return typeof value === 'object' && value !== null && !(value instanceof Date) && (value as { kind?: unknown }).kind === 'range';
}

/**
 * The range filter of two DateTime arguments (`from`, `to`), or undefined when neither is
 * given; BAD_USER_INPUT for an invalid instant or an empty range (`to` not after `from`).
 * @example rangeFilter(ctx, { from: new Date('2026-11-01T00:00:00Z') }) // { kind: 'range', from }
 */
export function rangeFilter(ctx: FirmContext, args: { from?: unknown; to?: unknown }, names: { from: string; to: string } = { from: 'from', to: 'to' }): RangeFilter | undefined {
  const instant = (value: unknown, name: string): Date | undefined => {
    if (value === undefined || value === null) return undefined;
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw badInput(ctx.firmId, `${name} must be an ISO-8601 instant (2026-11-27T08:00:00Z).`);
    return value;
  };
  const from = instant(args.from, names.from);
  const to = instant(args.to, names.to);
  if (from && to && !(to.getTime() > from.getTime())) throw badInput(ctx.firmId, `${names.to} (${to.toISOString()}) must be after ${names.from} (${from.toISOString()}).`);
  if (!from && !to) return undefined;
  return { kind: 'range', ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

/** The largest page a list field returns. */
export const MAX_PAGE = 1000;

/**
 * The page size a list or connection asked for (`first`, default 100): an integer from 0 to
 * {@link MAX_PAGE}, else BAD_USER_INPUT.
 * @example pageSize(ctx, 20) // 20
 */
export function pageSize(ctx: FirmContext, first: unknown): number {
  const n = typeof first === 'number' ? first : 100;
  if (!Number.isInteger(n) || n < 0 || n > MAX_PAGE) throw badInput(ctx.firmId, `first must be an integer from 0 to ${MAX_PAGE}.`);
  return n;
}

/**
 * Loads one row of a governed type by id for the caller, or throws the refusal that says
 * why there is none (FORBIDDEN when the policy hides it, NOT_FOUND when it does not exist).
 */
export async function loadEntity(ctx: FirmContext, type: string, id: string): Promise<Row> {
  const found = await ctx.loaders.entity(type, id);
  if ('row' in found) return found.row;
  if (found.missing === 'absent') throw notFound(ctx.firmId, type, id);
  ctx.reads.deniedType(type);
  if (found.missing === 'denied') throw forbidden(ctx.firmId, type, undefined, ctx.access.reason(type));
  throw forbidden(ctx.firmId, type, undefined, `${type} ${id} of firm ${ctx.firmId} is not visible to firm ${ctx.access.caller.firmId}: no rule of ${ctx.firmId} grants this row.`);
}

/** Like {@link loadEntity} for an optional reference (null id → null). */
export function loadOptionalEntity(ctx: FirmContext, type: string, id: unknown): Promise<Row> | null {
  return typeof id === 'string' ? loadEntity(ctx, type, id) : null;
}

/**
 * Refuses a filter on a field the caller may not read (FILTER_FORBIDDEN naming it); a type
 * the caller sees no row of is left to the caller's own refusal (FORBIDDEN).
 * @example assertFilterable(ctx, 'Lot', 'status'); // throws FILTER_FORBIDDEN when no rule lets the caller read Lot.status
 */
export function assertFilterable(ctx: FirmContext, type: string, field: string): void {
  if (ctx.access.decision(type).rowFilter === 'none') return;
  const f = ctx.access.filter(type, field);
  if (f.allowed) return;
  ctx.reads.deniedField(type, field);
  throw filterForbidden(ctx.firmId, type, field, f.reason);
}

/**
 * The rows a filter kept tell the filtered field's value: the access log records it as read
 * (for the rows returned; a row fetched only to tell that a next page exists is not).
 * @example recordFiltered(ctx, 'Lot', 'status', page)
 */
export function recordFiltered(ctx: FirmContext, type: string, field: string, rows: readonly Row[]): void {
  const f = ctx.access.filter(type, field);
  const rules = f.allowed ? f.rules : [];
  for (const row of rows) ctx.reads.field(type, field, row, rules);
}

/**
 * The rows of a governed type related to a parent by one of its fields (the inspections of a
 * lot: `QualityInspection.lotId`), among the rows where the caller may read that field;
 * FORBIDDEN when no rule grants the type, FILTER_FORBIDDEN when none lets it read the field.
 */
export async function loadRelated(ctx: FirmContext, type: string, field: string, key: unknown, first?: unknown): Promise<Row[]> {
  if (typeof key !== 'string') return [];
  assertFilterable(ctx, type, field);
  const rows = await selectRelated(ctx, type, field, key, first === undefined ? undefined : { limit: pageSize(ctx, first) });
  recordFiltered(ctx, type, field, rows);
  return rows;
}

/**
 * {@link loadRelated}'s rows, once {@link assertFilterable} let the caller list by `field`,
 * without recording them: at most `page.limit` per parent after `page.after` (one statement
 * for every parent of the request), or all of them. The caller records the rows it returns
 * ({@link recordFiltered}).
 * @example assertFilterable(ctx, 'Lot', 'partId'); await selectRelated(ctx, 'Lot', 'partId', 'avionix-P00001', { limit: 21 })
 */
export async function selectRelated(ctx: FirmContext, type: string, field: string, key: string, page?: PageWindow): Promise<Row[]> {
  const rows = await ctx.loaders.entitiesBy(type, field, key, page);
  if (rows === 'denied') {
    ctx.reads.deniedType(type);
    throw forbidden(ctx.firmId, type, undefined, ctx.access.reason(type));
  }
  return rows;
}

/**
 * An entry-point list (`Firm.lots(...)`): one SQL statement with the caller's row filter and
 * the field's own arguments as equality filters (or {@link RangeFilter}s on an instant). A filter argument is a read of its field:
 * it needs the same grant (FILTER_FORBIDDEN otherwise) and only considers the rows where the
 * caller may read that field.
 */
export async function listEntities(ctx: FirmContext, type: string, filters: Record<string, unknown>, first: unknown): Promise<Row[]> {
  const { rows, filtered } = await selectEntities(ctx, type, filters, { limit: pageSize(ctx, first) });
  for (const field of filtered) recordFiltered(ctx, type, field, rows);
  return rows;
}

/**
 * {@link listEntities}'s statement for one window, without recording the rows: `WHERE <row
 * filter> AND <filters> AND id > after ORDER BY id LIMIT limit`, on the primary key's
 * order. Returns the rows and the fields filtered on, for the caller to record the rows it
 * returns ({@link recordFiltered}).
 * @example const { rows, filtered } = await selectEntities(ctx, 'Lot', { status: 'RELEASED' }, { limit: 21 });
 */
export async function selectEntities(
  ctx: FirmContext,
  type: string,
  filters: Record<string, unknown>,
  page: PageWindow,
): Promise<{ rows: Row[]; filtered: string[] }> {
  const t = entityTable(type);
  const condition = ctx.loaders.rowCondition(type, t);
  if (condition === 'none') {
    ctx.reads.deniedType(type);
    throw forbidden(ctx.firmId, type, undefined, ctx.access.reason(type));
  }
  const id = columnOf(t, t.idField);
  const conditions: (SQL | undefined)[] = [condition];
  const filtered = Object.entries(filters).flatMap(([field, value]) => (value === undefined || value === null ? [] : [field]));
  for (const field of filtered) {
    assertFilterable(ctx, type, field);
    const value = filters[field];
    const column = columnOf(t, field);
    const test = isRangeFilter(value) ? and(value.from ? gte(column, value.from) : undefined, value.to ? lt(column, value.to) : undefined) : eq(column, value);
    conditions.push(ctx.loaders.filterCondition(type, field, t), test);
  }
  if (page.after !== undefined) conditions.push(gt(id, page.after));
  const rows = (await ctx.db
    .select()
    .from(t.table)
    .where(and(...conditions))
    .orderBy(id)
    .limit(page.limit)) as Row[];
  return { rows, filtered };
}

/**
 * Refuses a representation or key that names another owner (OWNER_MISMATCH), or whose owner
 * (`ownerField`) is no string at all (BAD_USER_INPUT saying so: `["structura"]` names no firm).
 * @example assertOwner(ctx, 'Lot', ref.firmId);
 */
export function assertOwner(ctx: FirmContext, type: string, owner: unknown, ownerField = 'firmId'): void {
  if (typeof owner !== 'string') throw badInput(ctx.firmId, `The owner of a ${type} (${ownerField}) must be a string (an ID), not ${kindOf(owner)}.`);
  if (owner !== ctx.firmId) throw ownerMismatch(ctx.firmId, type, owner);
}
