import { and, inArray } from 'drizzle-orm';
import { tables } from '../db/tables.js';
import { assertOwner } from '../entityAccess.js';
import { forbidden } from '../firmErrors.js';
import type { FirmContext } from '../firmContext.js';
import type { Row } from '../requestAccess.js';
import { lotKeys } from './lotUses.js';

/**
 * `Firm.shipmentsCarrying(lots)`: the supplier's own shipments that carried any of its own
 * given lots, in one SQL statement (`shipment_id IN (SELECT ... FROM shipment_lots WHERE
 * lot_id IN ...)`) under the caller's row filter on `Shipment`. Listing shipments by their
 * lots is a read of `Shipment.lots`: a carrying shipment whose lots the policy hides refuses
 * the step (FORBIDDEN) rather than leave it silently out. A lot of another firm is refused
 * (OWNER_MISMATCH): only the owner knows where its lots went.
 * @example await shipmentsCarrying(ctx, [{ firmId: 'alumill', lotId: 'alumill-L0005' }])
 */
export async function shipmentsCarrying(ctx: FirmContext, lots: unknown): Promise<Row[]> {
  const keys = lotKeys(ctx, lots);
  for (const k of keys) assertOwner(ctx, 'Lot', k.firmId);
  const ids = keys.map((k) => k.lotId);
  if (ids.length === 0) return [];
  const condition = ctx.loaders.rowCondition('Shipment');
  if (condition === 'none') {
    ctx.reads.deniedType('Shipment');
    throw forbidden(ctx.firmId, 'Shipment', undefined, ctx.access.reason('Shipment'));
  }
  const sl = tables.shipmentLots;
  const carrying = ctx.db.select({ id: sl.shipmentId }).from(sl).where(inArray(sl.lotId, ids));
  const rows = (await ctx.db
    .select()
    .from(tables.shipments)
    .where(and(inArray(tables.shipments.shipmentId, carrying), condition))
    .orderBy(tables.shipments.shipmentId)) as Row[];
  for (const row of rows) {
    const access = ctx.access.field('Shipment', 'lots', row);
    if (!access.allowed) {
      ctx.reads.deniedField('Shipment', 'lots');
      throw forbidden(ctx.firmId, 'Shipment', 'lots', access.reason);
    }
    ctx.reads.field('Shipment', 'lots', row, access.rules);
  }
  return rows;
}
