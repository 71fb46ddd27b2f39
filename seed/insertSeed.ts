import type { PgInsertValue, PgTable } from 'drizzle-orm/pg-core';
import type { FirmDb } from '../subgraphs/firm/db/firmDb.js';
import { tables } from '../subgraphs/firm/db/tables.js';
import type { FirmSeed } from './clusterSeed.js';

/** Rows per INSERT statement: 1,000 rows × ≤ 10 columns stays far below PostgreSQL's 65,535 parameters. */
const BATCH = 1000;

/**
 * Inserts a firm's generated rows into its database, in one transaction (all or nothing),
 * at most 1,000 rows per INSERT. The database must be migrated and must not already hold
 * these rows (ids would collide): check {@link isSeeded} first.
 *
 * @example
 * const firm = await openFirmDatabase({ dataDir: './data/structura' });
 * const cluster = generateCluster(DEMO_TOPOLOGY);
 * if (!(await isSeeded(firm.db))) await insertFirmSeed(firm.db, cluster.firms.structura!);
 */
export async function insertFirmSeed(db: FirmDb, seed: FirmSeed): Promise<void> {
  await db.transaction(async (tx) => {
    await insertBatches(tx, tables.parts, seed.parts);
    await insertBatches(tx, tables.bomLines, seed.bomLines);
    await insertBatches(tx, tables.lots, seed.lots);
    await insertBatches(tx, tables.lotComponents, seed.lotComponents);
    await insertBatches(tx, tables.purchaseOrders, seed.purchaseOrders);
    await insertBatches(tx, tables.purchaseOrderLines, seed.purchaseOrderLines);
    await insertBatches(tx, tables.orderConfirmations, seed.orderConfirmations);
    await insertBatches(tx, tables.shipments, seed.shipments);
    await insertBatches(tx, tables.shipmentLots, seed.shipmentLots);
    await insertBatches(tx, tables.inventoryPositions, seed.inventoryPositions);
    await insertBatches(tx, tables.productionRuns, seed.productionRuns);
    await insertBatches(tx, tables.qualityInspections, seed.qualityInspections);
    await insertBatches(tx, tables.sensorAnomalies, seed.sensorAnomalies);
    await insertBatches(tx, tables.sensorReadings, seed.sensorReadings);
  });
}

/**
 * Whether the firm's database already holds data (any part).
 *
 * @example
 * if (await isSeeded(firm.db)) console.log('keeping the existing data');
 */
export async function isSeeded(db: FirmDb): Promise<boolean> {
  const rows = await db.select({ partId: tables.parts.partId }).from(tables.parts).limit(1);
  return rows.length > 0;
}

async function insertBatches<TTable extends PgTable>(db: FirmDb, table: TTable, rows: Array<PgInsertValue<TTable>>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    await db.insert(table).values(rows.slice(i, i + BATCH));
  }
}
