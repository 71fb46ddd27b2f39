import type { ClusterTopology } from '../cluster/directory.js';
import type { ClusterSeed, FirmSeed } from './clusterSeed.js';
import { assignIds, collectConfirmations, emitFirmSeed } from './emitFirmSeed.js';
import { planFirms } from './planFirms.js';
import { planLots } from './planLots.js';
import { planOperations } from './planOperations.js';
import { planOrders } from './planOrders.js';
import { planSensorReadings } from './planSensorReadings.js';
import { createRandom } from './random.js';
import { DAY } from './seedModel.js';

export interface GenerateClusterOptions {
  /** PRNG seed; the same seed and topology give identical data. Default 42. */
  seed?: number;
  /** Lots per firm (a supplier gets more if its customers need more lot groups). Default 40. */
  lotsPerFirm?: number;
  /** Start of the generated history. Default 2026-09-01T00:00:00Z; the data's "now" is 120 days later. */
  start?: Date;
}

/** Days from `start` to the data's "now" (`ClusterSeed.asOf`). */
export const HISTORY_DAYS = 120;

/**
 * Generates a consistent multi-tier cluster, deterministically (pure: no I/O, no clock).
 * Each firm gets parts of its sector, BOMs on its suppliers' parts, lots whose components
 * are lots its suppliers really made and shipped to it (so genealogy walks from the lead's
 * lots down to the last tier), orders, confirmations, shipments, runs, inspections, sensor
 * anomalies, inventory and sensor readings (one series per line; circuitra's first drifts). Linear in the number of lots.
 *
 * @example
 * const cluster = generateCluster(DEMO_TOPOLOGY, { seed: 7, lotsPerFirm: 20 });
 * cluster.firms.structura?.lots[0]?.lotId; // → 'structura-L0001'
 */
export function generateCluster(topology: ClusterTopology, options: GenerateClusterOptions = {}): ClusterSeed {
  const seed = options.seed ?? 42;
  const lotsPerFirm = options.lotsPerFirm ?? 40;
  if (!Number.isInteger(lotsPerFirm) || lotsPerFirm < 1) throw new Error(`generateCluster: lotsPerFirm must be a positive integer, got ${lotsPerFirm}`);
  const start = options.start ?? new Date('2026-09-01T00:00:00.000Z');
  const asOf = new Date(start.getTime() + HISTORY_DAYS * DAY);
  const random = createRandom(seed);

  const firms = planFirms(topology, random);
  const inFlight = { count: 0 };
  for (const firm of firms) planLots(firm, { lotsPerFirm, asOf, random, inFlight });
  for (const firm of firms) planOrders(firm, { asOf, random });
  for (const firm of firms) planOperations(firm, { asOf, random });
  assignIds(firms);

  const confirmations = collectConfirmations(firms);
  const result: Record<string, FirmSeed> = {};
  for (const member of topology.members) {
    const firm = firms.find((f) => f.member === member);
    if (firm) result[member.id] = emitFirmSeed(firm, asOf, (f) => confirmations.get(f) ?? [], planSensorReadings(firm, seed));
  }
  return { clusterId: topology.clusterId, asOf, firms: result };
}
