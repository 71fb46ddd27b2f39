import { boolean, foreignKey, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { lotComponents } from './tables.js';

/**
 * What a receipt of a supplier's shipment (the write API's `recordReceipt`) found for each lot
 * component it wrote: the shipment, the supplier's lot it checked, and whether the check was
 * made. Apart from `lot_components` on purpose: the import and `writeRows` write components
 * but never their verification, so no file can claim one. A row holds only while its
 * component still points at the lot it checked (`LotComponent.verified` compares them), and
 * goes with its component (on delete cascade).
 */
export const lotComponentReceipts = pgTable(
  'lot_component_receipts',
  {
    firmId: text('firm_id').notNull(),
    lotId: text('lot_id').notNull(),
    lineNo: integer('line_no').notNull(),
    supplierId: text('supplier_id').notNull(),
    shipmentId: text('shipment_id').notNull(),
    /** The supplier's lot the check was about (the component's `componentLotId` when it was written). */
    componentLotId: text('component_lot_id').notNull(),
    verified: boolean('verified').notNull(),
    /** Why the check could not be made, when unverified. */
    reason: text('reason'),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** The write log entry of the receipt. */
    writeSeq: integer('write_seq').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.lotId, t.lineNo] }),
    foreignKey({ name: 'lot_component_receipts_component_fk', columns: [t.lotId, t.lineNo], foreignColumns: [lotComponents.lotId, lotComponents.lineNo] }).onDelete('cascade'),
  ],
);
