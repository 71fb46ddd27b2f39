import type { FirmSeed } from './clusterSeed.js';
import type { FirmPlan, OrderLinePlan, OrderPlan } from './seedModel.js';

/**
 * Gives every planned object its readable id, numbered in time order within its firm
 * (`structura-L0007`, `skyframe-PO0003`, `precimach-OC0012`...). Runs over all firms before
 * any row is emitted, since rows point at other firms' ids.
 *
 * @example
 * assignIds(firms);
 * const rows = firms.map((firm) => emitFirmSeed(firm, asOf));
 */
export function assignIds(firms: readonly FirmPlan[]): void {
  const confirmations = new Map<FirmPlan, Array<{ order: OrderPlan; line: OrderLinePlan }>>();
  for (const firm of firms) {
    const id = firm.member.id;
    numbered(firm.lots, (l) => l.producedAt, (l, n) => (l.lotId = `${id}-L${pad(n, 4)}`));
    numbered(firm.shipments, (s) => s.shippedAt, (s, n) => (s.shipmentId = `${id}-SH${pad(n, 4)}`));
    numbered(firm.orders, (o) => o.placedAt, (o, n) => (o.orderId = `${id}-PO${pad(n, 4)}`));
    numbered(firm.runs, (r) => r.plannedStart, (r, n) => (r.runId = `${id}-R${pad(n, 4)}`));
    numbered(firm.inspections, (q) => q.inspectedAt, (q, n) => (q.inspectionId = `${id}-QI${pad(n, 5)}`));
    numbered(firm.anomalies, (a) => a.detectedAt, (a, n) => (a.anomalyId = `${id}-AN${pad(n, 4)}`));
  }
  for (const firm of firms) {
    for (const order of firm.orders) {
      for (const line of order.lines) {
        if (!line.confirmation) continue;
        const list = confirmations.get(order.supplier) ?? [];
        list.push({ order, line });
        confirmations.set(order.supplier, list);
      }
    }
  }
  for (const [supplier, list] of confirmations) {
    list.sort((a, b) => a.order.placedAt.getTime() - b.order.placedAt.getTime() || a.line.lineNo - b.line.lineNo);
    list.forEach(({ line }, i) => {
      if (line.confirmation) line.confirmation.confirmationId = `${supplier.member.id}-OC${pad(i + 1, 4)}`;
    });
  }
}

/**
 * The rows of one firm's database, from its plan (ids assigned). Inventory positions are
 * derived from the lots: on hand = released and quarantined lots at the site, blocked =
 * quarantined, allocated = released lots already on a planned shipment. The sensor readings
 * are planned apart (planSensorReadings) and passed in.
 */
export function emitFirmSeed(
  firm: FirmPlan,
  asOf: Date,
  confirmationsOf: (firm: FirmPlan) => FirmSeed['orderConfirmations'],
  sensorReadings: FirmSeed['sensorReadings'] = [],
): FirmSeed {
  const firmId = firm.member.id;
  const allocated = new Set(firm.shipments.filter((s) => s.status === 'PLANNED').flatMap((s) => s.lots));
  const inventoryPositions: FirmSeed['inventoryPositions'] = [];
  for (const part of firm.parts) {
    for (const site of firm.sites) {
      let onHand = 0;
      let blocked = 0;
      let held = 0;
      for (const lot of firm.lots) {
        if (lot.part !== part || lot.site !== site) continue;
        if (lot.status === 'RELEASED' || lot.status === 'QUARANTINED') onHand += lot.quantity;
        if (lot.status === 'QUARANTINED') blocked += lot.quantity;
        if (allocated.has(lot)) held += lot.quantity;
      }
      inventoryPositions.push({
        firmId, positionId: `${firmId}-IP${pad(inventoryPositions.length + 1, 3)}`, partId: part.partId, site,
        onHand: round2(onHand), allocated: round2(held), blocked: round2(blocked), updatedAt: new Date(asOf.getTime() - 3_600_000),
      });
    }
  }
  const byId = <T extends Record<K, string>, K extends keyof T>(key: K) => (a: T, b: T) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0);
  const byLine = <T extends { lineNo: number }>(key: (row: T) => string) => (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.lineNo - b.lineNo;
  return {
    firmId,
    parts: firm.parts.map((p) => ({
      firmId, partId: p.partId, partNumber: p.partNumber, name: p.name, category: p.category, uom: p.uom, unitCost: p.unitCost,
    })),
    bomLines: firm.parts.flatMap((p) =>
      p.bom.map((b) => ({
        firmId, partId: p.partId, lineNo: b.lineNo, componentFirmId: b.component.firm.member.id,
        componentPartId: b.component.partId, quantityPer: b.quantityPer, uom: b.component.uom,
      })),
    ),
    lots: firm.lots.map((l) => ({
      firmId, lotId: l.lotId, partId: l.part.partId, quantity: l.quantity, uom: l.part.uom, producedAt: l.producedAt,
      status: l.status, runId: l.run?.runId ?? null,
    })).sort(byId('lotId')),
    lotComponents: firm.lots.flatMap((l) =>
      l.components.map((c) => ({
        firmId, lotId: l.lotId, lineNo: c.lineNo, componentFirmId: c.lot.firm.member.id, componentLotId: c.lot.lotId,
        quantityUsed: c.quantityUsed,
      })),
    ).sort(byLine((r) => r.lotId)),
    purchaseOrders: firm.orders.map((o) => ({
      firmId, orderId: o.orderId, supplierId: o.supplier.member.id, placedAt: o.placedAt, status: o.status,
    })).sort(byId('orderId')),
    purchaseOrderLines: firm.orders.flatMap((o) =>
      o.lines.map((l) => ({
        firmId, orderId: o.orderId, lineNo: l.lineNo, partFirmId: l.part.firm.member.id, partId: l.part.partId,
        quantity: l.quantity, unitPrice: l.unitPrice, requestedDate: isoDate(l.requestedDate),
      })),
    ).sort(byLine((r) => r.orderId)),
    orderConfirmations: confirmationsOf(firm),
    shipments: firm.shipments.map((s) => ({
      firmId, shipmentId: s.shipmentId, customerId: s.customer.member.id, orderId: s.order?.orderId ?? null,
      shippedAt: s.shippedAt, eta: s.eta, deliveredAt: s.deliveredAt, status: s.status, carrier: s.carrier,
    })).sort(byId('shipmentId')),
    shipmentLots: firm.shipments.flatMap((s) =>
      s.lots.map((l) => ({ firmId, shipmentId: s.shipmentId, lotId: l.lotId, quantity: l.quantity })),
    ).sort((a, b) => (a.shipmentId + a.lotId < b.shipmentId + b.lotId ? -1 : 1)),
    inventoryPositions,
    productionRuns: firm.runs.map((r) => ({
      firmId, runId: r.runId, partId: r.part.partId, line: r.line, plannedQuantity: r.plannedQuantity,
      doneQuantity: r.doneQuantity, status: r.status, plannedStart: r.plannedStart, plannedEnd: r.plannedEnd,
      lotId: r.lot?.lotId ?? null,
    })).sort(byId('runId')),
    qualityInspections: firm.inspections.map((q) => ({
      firmId, inspectionId: q.inspectionId, lotId: q.lot.lotId, characteristic: q.characteristic, value: q.value,
      lowerLimit: q.lowerLimit, upperLimit: q.upperLimit, unit: q.unit, result: q.result, inspectedAt: q.inspectedAt,
    })).sort(byId('inspectionId')),
    sensorAnomalies: firm.anomalies.map((a) => ({
      firmId, anomalyId: a.anomalyId, machineId: a.machineId, metric: a.metric, value: a.value, threshold: a.threshold,
      detectedAt: a.detectedAt, severity: a.severity, runId: a.run?.runId ?? null,
    })).sort(byId('anomalyId')),
    sensorReadings,
  };
}

/**
 * The confirmations each supplier issued, as rows of the supplier's database, for all firms.
 * `assignIds` must have run.
 */
export function collectConfirmations(firms: readonly FirmPlan[]): Map<FirmPlan, FirmSeed['orderConfirmations']> {
  const rows = new Map<FirmPlan, FirmSeed['orderConfirmations']>(firms.map((f) => [f, []]));
  for (const buyer of firms) {
    for (const order of buyer.orders) {
      for (const line of order.lines) {
        const c = line.confirmation;
        if (!c) continue;
        rows.get(order.supplier)?.push({
          firmId: order.supplier.member.id, confirmationId: c.confirmationId, buyerId: buyer.member.id, orderId: order.orderId,
          lineNo: line.lineNo, confirmedQuantity: c.confirmedQuantity, promisedDate: isoDate(c.promisedDate), status: c.status,
        });
      }
    }
  }
  for (const list of rows.values()) list.sort((a, b) => (a.confirmationId < b.confirmationId ? -1 : 1));
  return rows;
}

function numbered<T>(items: T[], time: (item: T) => Date, assign: (item: T, n: number) => void): void {
  const sorted = items.map((item, index) => ({ item, index, t: time(item).getTime() }));
  sorted.sort((a, b) => a.t - b.t || a.index - b.index);
  sorted.forEach(({ item }, i) => assign(item, i + 1));
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
