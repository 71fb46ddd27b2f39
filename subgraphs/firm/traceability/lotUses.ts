import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { tables } from '../db/tables.js';
import { assertOwner } from '../entityAccess.js';
import { badInput, forbidden } from '../firmErrors.js';
import type { FirmContext } from '../firmContext.js';
import type { Row } from '../requestAccess.js';

/** A lot of another firm (or this one) as the caller names it: `LotRefInput`. */
export interface LotKey {
  firmId: string;
  lotId: string;
}

/** The most lots one upward step may ask about. */
export const MAX_CONSUMED_LOTS = 1000;

/** One consumption: the firm's own lot (`lot`) used `quantityUsed` of the `component` lot. */
export interface LotUseRow {
  lot: Row;
  component: LotKey;
  quantityUsed: number;
}

/** The distinct lots of a `[LotRefInput!]!` argument (at most MAX_CONSUMED_LOTS: BAD_USER_INPUT beyond). */
export function lotKeys(ctx: FirmContext, value: unknown): LotKey[] {
  const list = Array.isArray(value) ? value : [];
  if (list.length > MAX_CONSUMED_LOTS) throw badInput(ctx.firmId, `lots may name at most ${MAX_CONSUMED_LOTS} lots.`);
  const seen = new Set<string>();
  const out: LotKey[] = [];
  for (const item of list as Record<string, unknown>[]) {
    const key = { firmId: String(item.firmId), lotId: String(item.lotId) };
    const id = `${key.firmId}\u0000${key.lotId}`;
    if (!seen.has(id)) {
      seen.add(id);
      out.push(key);
    }
  }
  return out;
}

/**
 * The firm's own lot components matching `where`, joined to its lots under the caller's row
 * filter on `Lot`, in one SQL statement. A consumption is a read of the consuming lot's
 * `components` field: each is returned only where the policy grants `Lot.components` on that
 * lot, and recorded in the access log as such. FORBIDDEN when no rule grants the caller any
 * lot, or when a matching lot's components are hidden: the step is refused rather than
 * answered incompletely, so that a traversal reports it as a tombstone and never as "none".
 */
async function lotUses(ctx: FirmContext, where: SQL): Promise<LotUseRow[]> {
  const condition = ctx.loaders.rowCondition('Lot');
  if (condition === 'none') {
    ctx.reads.deniedType('Lot');
    throw forbidden(ctx.firmId, 'Lot', undefined, ctx.access.reason('Lot'));
  }
  const lc = tables.lotComponents;
  const rows = await ctx.db
    .select({ lot: tables.lots, use: lc })
    .from(lc)
    .innerJoin(tables.lots, eq(tables.lots.lotId, lc.lotId))
    .where(and(where, condition))
    .orderBy(lc.lotId, lc.lineNo);
  const out: LotUseRow[] = [];
  for (const { lot, use } of rows) {
    const row = lot as Row;
    const access = ctx.access.field('Lot', 'components', row);
    if (!access.allowed) {
      ctx.reads.deniedField('Lot', 'components');
      throw forbidden(ctx.firmId, 'Lot', 'components', access.reason);
    }
    ctx.reads.field('Lot', 'components', row, access.rules);
    out.push({ lot: row, component: { firmId: use.componentFirmId, lotId: use.componentLotId }, quantityUsed: use.quantityUsed });
  }
  return out;
}

/**
 * `Firm.lotsConsuming(lots)`: the upward (where-used) step, answered by the consuming firm
 * from its own lot components: its lots whose components name any of `lots`, in one statement.
 * @example await lotsConsuming(ctx, [{ firmId: 'alumill', lotId: 'alumill-L0005' }])
 */
export async function lotsConsuming(ctx: FirmContext, lots: unknown): Promise<LotUseRow[]> {
  const keys = lotKeys(ctx, lots);
  if (keys.length === 0) return [];
  const lc = tables.lotComponents;
  const byFirm = new Map<string, string[]>();
  for (const k of keys) byFirm.set(k.firmId, [...(byFirm.get(k.firmId) ?? []), k.lotId]);
  const named: SQL[] = [...byFirm].map(([firmId, ids]) => and(eq(lc.componentFirmId, firmId), inArray(lc.componentLotId, ids)) ?? sql`false`);
  return lotUses(ctx, or(...named) ?? sql`false`);
}

/**
 * `Firm.componentsOf(lots)`: the downward step, the components of the firm's own `lots` in one
 * statement (OWNER_MISMATCH for another firm's lot: only its owner knows what is inside it).
 * @example await componentsOf(ctx, [{ firmId: 'skyframe', lotId: 'skyframe-L0001' }])
 */
export async function componentsOf(ctx: FirmContext, lots: unknown): Promise<LotUseRow[]> {
  const keys = lotKeys(ctx, lots);
  for (const k of keys) assertOwner(ctx, 'Lot', k.firmId);
  if (keys.length === 0) return [];
  return lotUses(ctx, inArray(tables.lotComponents.lotId, keys.map((k) => k.lotId)));
}
