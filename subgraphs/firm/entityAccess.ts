import { and, eq, type SQL } from 'drizzle-orm';
import type { FirmContext } from './firmContext.js';
import { kindOf } from '../representations/checkRepresentations.js';
import { badInput, filterForbidden, forbidden, notFound, ownerMismatch } from './firmErrors.js';
import { columnOf, entityTable } from './entityTables.js';
import type { Row } from './requestAccess.js';

/** The largest page a list field returns. */
export const MAX_PAGE = 1000;

function pageSize(ctx: FirmContext, first: unknown): number {
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
 */
function assertFilterable(ctx: FirmContext, type: string, field: string): void {
  if (ctx.access.decision(type).rowFilter === 'none') return;
  const f = ctx.access.filter(type, field);
  if (f.allowed) return;
  ctx.reads.deniedField(type, field);
  throw filterForbidden(ctx.firmId, type, field, f.reason);
}

/** The rows a filter kept tell the filtered field's value: the access log records it as read. */
function recordFiltered(ctx: FirmContext, type: string, field: string, rows: readonly Row[]): void {
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
  const rows = await ctx.loaders.entitiesBy(type, field, key, first === undefined ? undefined : pageSize(ctx, first));
  if (rows === 'denied') {
    ctx.reads.deniedType(type);
    throw forbidden(ctx.firmId, type, undefined, ctx.access.reason(type));
  }
  recordFiltered(ctx, type, field, rows);
  return rows;
}

/**
 * An entry-point list (`Firm.lots(...)`): one SQL statement with the caller's row filter and
 * the field's own arguments as equality filters. A filter argument is a read of its field:
 * it needs the same grant (FILTER_FORBIDDEN otherwise) and only considers the rows where the
 * caller may read that field.
 */
export async function listEntities(ctx: FirmContext, type: string, filters: Record<string, unknown>, first: unknown): Promise<Row[]> {
  const limit = pageSize(ctx, first);
  const t = entityTable(type);
  const condition = ctx.loaders.rowCondition(type, t);
  if (condition === 'none') {
    ctx.reads.deniedType(type);
    throw forbidden(ctx.firmId, type, undefined, ctx.access.reason(type));
  }
  const conditions: (SQL | undefined)[] = [condition];
  const filtered = Object.entries(filters).flatMap(([field, value]) => (value === undefined || value === null ? [] : [field]));
  for (const field of filtered) {
    assertFilterable(ctx, type, field);
    conditions.push(ctx.loaders.filterCondition(type, field, t), eq(columnOf(t, field), filters[field]));
  }
  const rows = (await ctx.db
    .select()
    .from(t.table)
    .where(and(...conditions))
    .orderBy(columnOf(t, t.idField))
    .limit(limit)) as Row[];
  for (const field of filtered) recordFiltered(ctx, type, field, rows);
  return rows;
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
