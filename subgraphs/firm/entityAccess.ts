import { and, eq, type SQL } from 'drizzle-orm';
import type { FirmContext } from './firmContext.js';
import { badInput, forbidden, notFound, ownerMismatch } from './firmErrors.js';
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

/** The rows of a governed type related to a parent, or FORBIDDEN when no rule grants the type. */
export async function loadRelated(ctx: FirmContext, type: string, field: string, key: unknown, first?: unknown): Promise<Row[]> {
  if (typeof key !== 'string') return [];
  const rows = await ctx.loaders.entitiesBy(type, field, key, first === undefined ? undefined : pageSize(ctx, first));
  if (rows === 'denied') {
    ctx.reads.deniedType(type);
    throw forbidden(ctx.firmId, type, undefined, ctx.access.reason(type));
  }
  return rows;
}

/**
 * An entry-point list (`Firm.lots(...)`): one SQL statement with the caller's row filter and
 * the field's own arguments as equality filters.
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
  for (const [field, value] of Object.entries(filters)) {
    if (value !== undefined && value !== null) conditions.push(eq(columnOf(t, field), value));
  }
  return (await ctx.db
    .select()
    .from(t.table)
    .where(and(...conditions))
    .orderBy(columnOf(t, t.idField))
    .limit(limit)) as Row[];
}

/** Refuses a representation or key that names another owner. */
export function assertOwner(ctx: FirmContext, type: string, owner: unknown): void {
  if (owner !== ctx.firmId) throw ownerMismatch(ctx.firmId, type, owner);
}
