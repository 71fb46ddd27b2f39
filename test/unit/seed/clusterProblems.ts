import type { ClusterTopology } from '../../../cluster/directory.js';
import type { ClusterSeed } from '../../../seed/clusterSeed.js';

/**
 * Every cross-row and cross-firm inconsistency of a generated cluster, as readable
 * messages (empty when the cluster is consistent). Used by the seed unit tests on several
 * topologies.
 */
export function clusterProblems(cluster: ClusterSeed, topology: ClusterTopology): string[] {
  const problems: string[] = [];
  const supplies = new Set(topology.relationships.map((r) => `${r.supplier}>${r.customer}`));
  const lotsOf = new Map<string, Map<string, { producedAt: Date; quantity: number }>>();
  const partsOf = new Map<string, Set<string>>();
  const orderLines = new Map<string, { supplierId: string; partFirmId: string }>();
  for (const [firmId, seed] of Object.entries(cluster.firms)) {
    lotsOf.set(firmId, new Map(seed.lots.map((l) => [l.lotId, { producedAt: l.producedAt, quantity: l.quantity }])));
    partsOf.set(firmId, new Set(seed.parts.map((p) => p.partId)));
    const supplierOf = new Map(seed.purchaseOrders.map((o) => [o.orderId, o.supplierId]));
    for (const line of seed.purchaseOrderLines) {
      orderLines.set(`${firmId}/${line.orderId}/${line.lineNo}`, { supplierId: supplierOf.get(line.orderId) ?? '?', partFirmId: line.partFirmId });
    }
  }
  for (const [firmId, seed] of Object.entries(cluster.firms)) {
    const own = lotsOf.get(firmId) ?? new Map();
    const runs = new Set(seed.productionRuns.map((r) => r.runId));
    const orders = new Set(seed.purchaseOrders.map((o) => o.orderId));
    const allRows = Object.entries(seed).filter(([key]) => key !== 'firmId').flatMap(([, rows]) => rows as Array<{ firmId: string }>);
    if (allRows.some((row) => row.firmId !== firmId)) problems.push(`${firmId}: a row carries another firm id`);
    for (const line of seed.bomLines) {
      if (!supplies.has(`${line.componentFirmId}>${firmId}`)) problems.push(`${firmId}: BOM line on non-supplier ${line.componentFirmId}`);
      if (!partsOf.get(line.componentFirmId)?.has(line.componentPartId)) problems.push(`${firmId}: BOM component ${line.componentPartId} missing`);
    }
    const used = new Map<string, number>();
    for (const c of seed.lotComponents) {
      const parent = own.get(c.lotId);
      const child = lotsOf.get(c.componentFirmId)?.get(c.componentLotId);
      if (!parent) problems.push(`${firmId}: components of unknown lot ${c.lotId}`);
      if (!child) problems.push(`${firmId}: component lot ${c.componentFirmId}/${c.componentLotId} does not exist`);
      if (!supplies.has(`${c.componentFirmId}>${firmId}`)) problems.push(`${firmId}: consumes a lot of non-supplier ${c.componentFirmId}`);
      if (parent && child && child.producedAt.getTime() >= parent.producedAt.getTime()) problems.push(`${c.componentLotId} made after ${c.lotId}`);
      const key = `${c.componentFirmId}/${c.componentLotId}`;
      used.set(key, (used.get(key) ?? 0) + c.quantityUsed);
    }
    for (const [key, quantity] of used) {
      const [supplier = '', lotId = ''] = key.split('/');
      const lot = lotsOf.get(supplier)?.get(lotId);
      if (lot && quantity > lot.quantity + 1e-6) problems.push(`${key}: ${quantity} used of ${lot.quantity}`);
    }
    for (const s of seed.shipmentLots) if (!own.has(s.lotId)) problems.push(`${firmId}: shipment ${s.shipmentId} holds unknown lot ${s.lotId}`);
    for (const s of seed.shipments) {
      if (!supplies.has(`${firmId}>${s.customerId}`)) problems.push(`${firmId}: ships to non-customer ${s.customerId}`);
      const order = s.orderId ? cluster.firms[s.customerId]?.purchaseOrders.find((o) => o.orderId === s.orderId) : undefined;
      if (!order || order.supplierId !== firmId) problems.push(`${firmId}: shipment ${s.shipmentId} on unknown order ${s.orderId}`);
      if ((s.status === 'DELIVERED') !== (s.deliveredAt != null)) problems.push(`${s.shipmentId}: status ${s.status} vs deliveredAt`);
    }
    for (const c of seed.orderConfirmations) {
      const line = orderLines.get(`${c.buyerId}/${c.orderId}/${c.lineNo}`);
      if (!line || line.supplierId !== firmId || line.partFirmId !== firmId) problems.push(`${firmId}: confirmation ${c.confirmationId} of unknown line`);
    }
    for (const line of seed.purchaseOrderLines) {
      if (!orders.has(line.orderId)) problems.push(`${firmId}: line of unknown order ${line.orderId}`);
      if (!partsOf.get(line.partFirmId)?.has(line.partId)) problems.push(`${firmId}: order line on unknown part ${line.partId}`);
    }
    for (const lot of seed.lots) if (lot.runId && !runs.has(lot.runId)) problems.push(`${lot.lotId}: unknown run`);
    for (const run of seed.productionRuns) if (run.lotId && !own.has(run.lotId)) problems.push(`${run.runId}: unknown lot`);
    for (const q of seed.qualityInspections) if (!own.has(q.lotId)) problems.push(`${q.inspectionId}: unknown lot`);
    for (const a of seed.sensorAnomalies) if (a.runId && !runs.has(a.runId)) problems.push(`${a.anomalyId}: unknown run`);
    for (const p of seed.inventoryPositions) if (!partsOf.get(firmId)?.has(p.partId)) problems.push(`${p.positionId}: unknown part`);
  }
  return problems;
}
