import { date, doublePrecision, index, integer, pgTable, primaryKey, text, timestamp, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { enumCheck, inFirm } from './constraints.js';
import {
  CONFIRMATION_STATUSES,
  INSPECTION_RESULTS,
  LOT_STATUSES,
  ORDER_STATUSES,
  RUN_STATUSES,
  SEVERITIES,
  SHIPMENT_STATUSES,
  SPC_METHODS,
} from './statuses.js';

/**
 * The tables of one firm's database. Each firm has a database of its own, and every row
 * still carries `firm_id` (the owner), so that a row doubles as the GraphQL entity whose
 * key is `firmId` plus its id. Cross-firm pointers (a BOM component, a consumed lot, an
 * order's supplier) are plain ids: no foreign key can span two firms' databases; in-firm
 * pointers (a lot's part, an order line's order, a shipment lot's lot) are foreign keys, and
 * every enum column has a CHECK (./constraints.ts, migration 0003).
 *
 * Children are loaded by DataLoaders with `WHERE parent IN (...)`: each such column is
 * indexed, either by its own index or as the leading column of a composite primary key
 * (`bom_lines.part_id`, `lot_components.lot_id`, `purchase_order_lines.order_id`,
 * `shipment_lots.shipment_id`).
 */

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Parts (material numbers) the firm makes. */
export const parts = pgTable(
  'parts',
  {
    firmId: text('firm_id').notNull(),
    partId: text('part_id').primaryKey(),
    partNumber: text('part_number').notNull(),
    name: text('name').notNull(),
    category: text('category').notNull(),
    uom: text('uom').notNull(),
    unitCost: doublePrecision('unit_cost').notNull(),
  },
  (t) => [index('parts_category_idx').on(t.category)],
);

/** One level of a part's bill of materials, as planned; the component may be a supplier's part. */
export const bomLines = pgTable(
  'bom_lines',
  {
    firmId: text('firm_id').notNull(),
    partId: text('part_id').notNull(),
    lineNo: integer('line_no').notNull(),
    componentFirmId: text('component_firm_id').notNull(),
    componentPartId: text('component_part_id').notNull(),
    quantityPer: doublePrecision('quantity_per').notNull(),
    uom: text('uom').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.partId, t.lineNo] }),
    index('bom_lines_component_idx').on(t.componentFirmId, t.componentPartId),
    inFirm('bom_lines_part_fk', t.partId, (): AnyPgColumn => parts.partId),
  ],
);

/** Produced lots (batches). */
export const lots = pgTable(
  'lots',
  {
    firmId: text('firm_id').notNull(),
    lotId: text('lot_id').primaryKey(),
    partId: text('part_id').notNull(),
    quantity: doublePrecision('quantity').notNull(),
    uom: text('uom').notNull(),
    producedAt: instant('produced_at').notNull(),
    status: text('status', { enum: LOT_STATUSES }).notNull(),
    runId: text('run_id'),
  },
  (t) => [
    index('lots_part_id_idx').on(t.partId),
    index('lots_status_idx').on(t.status),
    index('lots_run_id_idx').on(t.runId),
    enumCheck('lots_status_check', t.status, LOT_STATUSES),
    inFirm('lots_part_fk', t.partId, (): AnyPgColumn => parts.partId),
    inFirm('lots_run_fk', t.runId, (): AnyPgColumn => productionRuns.runId),
  ],
);

/** The lots consumed into a produced lot, as built; they may be suppliers' lots. */
export const lotComponents = pgTable(
  'lot_components',
  {
    firmId: text('firm_id').notNull(),
    lotId: text('lot_id').notNull(),
    lineNo: integer('line_no').notNull(),
    componentFirmId: text('component_firm_id').notNull(),
    componentLotId: text('component_lot_id').notNull(),
    quantityUsed: doublePrecision('quantity_used').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.lotId, t.lineNo] }),
    index('lot_components_component_idx').on(t.componentFirmId, t.componentLotId),
    inFirm('lot_components_lot_fk', t.lotId, (): AnyPgColumn => lots.lotId),
  ],
);

/** Purchase orders, owned by the buyer (`firmId`). */
export const purchaseOrders = pgTable(
  'purchase_orders',
  {
    firmId: text('firm_id').notNull(),
    orderId: text('order_id').primaryKey(),
    supplierId: text('supplier_id').notNull(),
    placedAt: instant('placed_at').notNull(),
    status: text('status', { enum: ORDER_STATUSES }).notNull(),
  },
  (t) => [
    index('purchase_orders_supplier_id_idx').on(t.supplierId),
    index('purchase_orders_status_idx').on(t.status),
    enumCheck('purchase_orders_status_check', t.status, ORDER_STATUSES),
  ],
);

/** Lines of a purchase order: a supplier's part, quantity, price, requested date. */
export const purchaseOrderLines = pgTable(
  'purchase_order_lines',
  {
    firmId: text('firm_id').notNull(),
    orderId: text('order_id').notNull(),
    lineNo: integer('line_no').notNull(),
    partFirmId: text('part_firm_id').notNull(),
    partId: text('part_id').notNull(),
    quantity: doublePrecision('quantity').notNull(),
    unitPrice: doublePrecision('unit_price').notNull(),
    requestedDate: date('requested_date', { mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.lineNo] }), inFirm('purchase_order_lines_order_fk', t.orderId, (): AnyPgColumn => purchaseOrders.orderId)],
);

/** The supplier's (`firmId`) answer to a buyer's order line. */
export const orderConfirmations = pgTable(
  'order_confirmations',
  {
    firmId: text('firm_id').notNull(),
    confirmationId: text('confirmation_id').primaryKey(),
    buyerId: text('buyer_id').notNull(),
    orderId: text('order_id').notNull(),
    lineNo: integer('line_no').notNull(),
    confirmedQuantity: doublePrecision('confirmed_quantity').notNull(),
    promisedDate: date('promised_date', { mode: 'string' }).notNull(),
    status: text('status', { enum: CONFIRMATION_STATUSES }).notNull(),
  },
  (t) => [
    index('order_confirmations_order_idx').on(t.buyerId, t.orderId),
    enumCheck('order_confirmations_status_check', t.status, CONFIRMATION_STATUSES),
  ],
);

/** Shipments of lots to a customer, owned by the shipper (`firmId`). */
export const shipments = pgTable(
  'shipments',
  {
    firmId: text('firm_id').notNull(),
    shipmentId: text('shipment_id').primaryKey(),
    customerId: text('customer_id').notNull(),
    orderId: text('order_id'),
    shippedAt: instant('shipped_at').notNull(),
    eta: instant('eta').notNull(),
    deliveredAt: instant('delivered_at'),
    status: text('status', { enum: SHIPMENT_STATUSES }).notNull(),
    carrier: text('carrier').notNull(),
  },
  (t) => [
    index('shipments_customer_order_idx').on(t.customerId, t.orderId),
    index('shipments_status_idx').on(t.status),
    enumCheck('shipments_status_check', t.status, SHIPMENT_STATUSES),
  ],
);

/** The shipper's lots in a shipment. */
export const shipmentLots = pgTable(
  'shipment_lots',
  {
    firmId: text('firm_id').notNull(),
    shipmentId: text('shipment_id').notNull(),
    lotId: text('lot_id').notNull(),
    quantity: doublePrecision('quantity').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.shipmentId, t.lotId] }),
    index('shipment_lots_lot_id_idx').on(t.lotId),
    inFirm('shipment_lots_shipment_fk', t.shipmentId, (): AnyPgColumn => shipments.shipmentId),
    inFirm('shipment_lots_lot_fk', t.lotId, (): AnyPgColumn => lots.lotId),
  ],
);

/** Stock of a part at a site. */
export const inventoryPositions = pgTable(
  'inventory_positions',
  {
    firmId: text('firm_id').notNull(),
    positionId: text('position_id').primaryKey(),
    partId: text('part_id').notNull(),
    site: text('site').notNull(),
    onHand: doublePrecision('on_hand').notNull(),
    allocated: doublePrecision('allocated').notNull(),
    blocked: doublePrecision('blocked').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [index('inventory_positions_part_id_idx').on(t.partId), inFirm('inventory_positions_part_fk', t.partId, (): AnyPgColumn => parts.partId)],
);

/** Production runs on a line: planned against done, and the lot they produced. */
export const productionRuns = pgTable(
  'production_runs',
  {
    firmId: text('firm_id').notNull(),
    runId: text('run_id').primaryKey(),
    partId: text('part_id').notNull(),
    line: text('line').notNull(),
    plannedQuantity: doublePrecision('planned_quantity').notNull(),
    doneQuantity: doublePrecision('done_quantity').notNull(),
    status: text('status', { enum: RUN_STATUSES }).notNull(),
    plannedStart: instant('planned_start').notNull(),
    plannedEnd: instant('planned_end').notNull(),
    lotId: text('lot_id'),
  },
  (t) => [
    index('production_runs_part_id_idx').on(t.partId),
    index('production_runs_status_idx').on(t.status),
    index('production_runs_lot_id_idx').on(t.lotId),
    enumCheck('production_runs_status_check', t.status, RUN_STATUSES),
    inFirm('production_runs_part_fk', t.partId, (): AnyPgColumn => parts.partId),
    inFirm('production_runs_lot_fk', t.lotId, (): AnyPgColumn => lots.lotId),
  ],
);

/** Measured characteristics of lots against their limits. */
export const qualityInspections = pgTable(
  'quality_inspections',
  {
    firmId: text('firm_id').notNull(),
    inspectionId: text('inspection_id').primaryKey(),
    lotId: text('lot_id').notNull(),
    characteristic: text('characteristic').notNull(),
    value: doublePrecision('value').notNull(),
    lowerLimit: doublePrecision('lower_limit').notNull(),
    upperLimit: doublePrecision('upper_limit').notNull(),
    unit: text('unit').notNull(),
    result: text('result', { enum: INSPECTION_RESULTS }).notNull(),
    inspectedAt: instant('inspected_at').notNull(),
  },
  (t) => [
    index('quality_inspections_lot_id_idx').on(t.lotId),
    index('quality_inspections_result_idx').on(t.result),
    enumCheck('quality_inspections_result_check', t.result, INSPECTION_RESULTS),
    inFirm('quality_inspections_lot_fk', t.lotId, (): AnyPgColumn => lots.lotId),
  ],
);

/** Machine anomalies detected by the firm's sensors, tied to a run when one was active. */
export const sensorAnomalies = pgTable(
  'sensor_anomalies',
  {
    firmId: text('firm_id').notNull(),
    anomalyId: text('anomaly_id').primaryKey(),
    machineId: text('machine_id').notNull(),
    metric: text('metric').notNull(),
    value: doublePrecision('value').notNull(),
    threshold: doublePrecision('threshold').notNull(),
    detectedAt: instant('detected_at').notNull(),
    severity: text('severity', { enum: SEVERITIES }).notNull(),
    runId: text('run_id'),
    /** The SPC method that signalled (docs/spc.md); null for an anomaly the firm's own systems reported. */
    method: text('method', { enum: SPC_METHODS }),
    /** The rule the statistic broke (`EWMA_UPPER`, `WE2`, ...), with `method`. */
    rule: text('rule'),
  },
  (t) => [
    index('sensor_anomalies_run_id_idx').on(t.runId),
    index('sensor_anomalies_severity_idx').on(t.severity),
    enumCheck('sensor_anomalies_severity_check', t.severity, SEVERITIES),
    enumCheck('sensor_anomalies_method_check', t.method, SPC_METHODS),
    inFirm('sensor_anomalies_run_fk', t.runId, (): AnyPgColumn => productionRuns.runId),
  ],
);

/**
 * A machine's sensor time series: one reading of one metric at one instant, with the run the
 * machine was producing for when the MES knows it. Read by SPC detection (docs/spc.md) in
 * (machine, metric, time) order, on its own index.
 */
export const sensorReadings = pgTable(
  'sensor_readings',
  {
    firmId: text('firm_id').notNull(),
    readingId: text('reading_id').primaryKey(),
    machineId: text('machine_id').notNull(),
    metric: text('metric').notNull(),
    at: instant('at').notNull(),
    value: doublePrecision('value').notNull(),
    unit: text('unit'),
    runId: text('run_id'),
  },
  (t) => [
    index('sensor_readings_series_idx').on(t.machineId, t.metric, t.at),
    index('sensor_readings_run_id_idx').on(t.runId),
    inFirm('sensor_readings_run_fk', t.runId, (): AnyPgColumn => productionRuns.runId),
  ],
);

/** All tables of a firm's database, as drizzle's `schema` (`db.query.lots.findMany()`). */
export const tables = {
  parts,
  bomLines,
  lots,
  lotComponents,
  purchaseOrders,
  purchaseOrderLines,
  orderConfirmations,
  shipments,
  shipmentLots,
  inventoryPositions,
  productionRuns,
  qualityInspections,
  sensorAnomalies,
  sensorReadings,
};

/** The type of {@link tables}. */
export type FirmTables = typeof tables;
