import { getTableColumns } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import { tables } from './db/tables.js';

/** Where a governed type's rows live, and which column is its own id. */
export interface EntityTable {
  table: PgTable;
  idField: string;
  columns: Record<string, AnyPgColumn>;
}

function entity(table: PgTable, idField: string): EntityTable {
  return { table, idField, columns: getTableColumns(table) as Record<string, AnyPgColumn> };
}

/** Governed GraphQL types → their tables. Field names equal column property names. */
export const ENTITY_TABLES: Readonly<Record<string, EntityTable>> = {
  Part: entity(tables.parts, 'partId'),
  Lot: entity(tables.lots, 'lotId'),
  PurchaseOrder: entity(tables.purchaseOrders, 'orderId'),
  OrderConfirmation: entity(tables.orderConfirmations, 'confirmationId'),
  Shipment: entity(tables.shipments, 'shipmentId'),
  InventoryPosition: entity(tables.inventoryPositions, 'positionId'),
  ProductionRun: entity(tables.productionRuns, 'runId'),
  QualityInspection: entity(tables.qualityInspections, 'inspectionId'),
  SensorAnomaly: entity(tables.sensorAnomalies, 'anomalyId'),
  SensorReading: entity(tables.sensorReadings, 'readingId'),
};

/** Tables of value types (lines of a parent), governed by the parent's field. */
export const CHILD_TABLES = {
  bomLines: entity(tables.bomLines, 'lineNo'),
  lotComponents: entity(tables.lotComponents, 'lineNo'),
  purchaseOrderLines: entity(tables.purchaseOrderLines, 'lineNo'),
  shipmentLots: entity(tables.shipmentLots, 'lotId'),
} as const;

export type ChildTable = keyof typeof CHILD_TABLES;

/** The table of a governed type; throws for a type that is not governed (a programming error). */
export function entityTable(type: string): EntityTable {
  const t = ENTITY_TABLES[type];
  if (!t) throw new Error(`no table for governed type ${type}`);
  return t;
}

/** The column of a field; throws for an unknown field (a programming error). */
export function columnOf(t: EntityTable, field: string): AnyPgColumn {
  const c = t.columns[field];
  if (!c) throw new Error(`no column for field ${field}`);
  return c;
}
