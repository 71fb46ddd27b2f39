import DataLoader from 'dataloader';
import { inArray } from 'drizzle-orm';
import { lotComponentReceipts } from '../db/receiptTables.js';
import type { FirmContext } from '../firmContext.js';
import type { Row } from '../requestAccess.js';

type Receipt = typeof lotComponentReceipts.$inferSelect;

/** One loader per request (keyed by its context): all the receipts of the lots asked for, in one statement. */
const loaders = new WeakMap<FirmContext, DataLoader<string, Receipt[]>>();

function receiptsOf(ctx: FirmContext, lotId: string): Promise<Receipt[]> {
  let loader = loaders.get(ctx);
  if (!loader) {
    loader = new DataLoader<string, Receipt[]>(
      async (lotIds) => {
        const rows = await ctx.db.select().from(lotComponentReceipts).where(inArray(lotComponentReceipts.lotId, [...lotIds]));
        return lotIds.map((id) => rows.filter((r) => r.lotId === id));
      },
      { maxBatchSize: 1000 },
    );
    loaders.set(ctx, loader);
  }
  return loader.load(lotId);
}

/** The receipt of a lot component, if one recorded it and the component still points at the lot it checked. */
async function receiptOf(component: Row, ctx: FirmContext): Promise<Receipt | undefined> {
  if (typeof component.lotId !== 'string') return undefined;
  const receipts = await receiptsOf(ctx, component.lotId);
  return receipts.find(
    (r) => r.lineNo === component.lineNo && r.supplierId === component.componentFirmId && r.componentLotId === component.componentLotId,
  );
}

/**
 * `LotComponent.verified` and `LotComponent.shipmentId`: what a receipt (`recordReceipt`) found
 * for a lot component, read only when asked for (a genealogy that does not ask costs no
 * statement), one statement per request batch. A component rewritten to point at another lot
 * since its receipt has none. They are part of `Lot.components`, which the owner's policy governs.
 * @example mergeResolverMaps([firmResolvers, receiptResolvers])
 */
export const receiptResolvers = {
  LotComponent: {
    verified: async (component: Row, _args: unknown, ctx: FirmContext): Promise<boolean | null> => (await receiptOf(component, ctx))?.verified ?? null,
    shipmentId: async (component: Row, _args: unknown, ctx: FirmContext): Promise<string | null> => (await receiptOf(component, ctx))?.shipmentId ?? null,
  },
};
