import type { Random } from './random.js';
import {
  addDays,
  roundQuantity,
  type BomPlan,
  type FirmPlan,
  type LotPlan,
  type PartPlan,
  type ShipmentPlan,
} from './seedModel.js';

const CARRIERS = ['DHL Global Forwarding', 'Kuehne+Nagel', 'DB Schenker', 'GEODIS', 'CEVA Logistics', 'own fleet'] as const;

export interface PlanLotsOptions {
  lotsPerFirm: number;
  asOf: Date;
  random: Random;
  /** Shared across firms: cycles the status of in-flight shipments so each one occurs. */
  inFlight: { count: number };
}

const IN_FLIGHT = ['IN_TRANSIT', 'DELAYED', 'PLANNED'] as const;

/** One BOM line of one customer lot that this firm must feed with one of its lots. */
interface Demand {
  customerLot: LotPlan;
  line: BomPlan;
  quantity: number;
}

/**
 * Plans a firm's lots, once all its customers' lots exist. Every BOM line of every customer
 * lot that names one of this firm's parts is fed by exactly one lot of this firm (a lot
 * may feed several customer lots of the same customer), shipped in a delivered shipment
 * before the customer lot was produced. The remaining lots are in flight to customers
 * (in transit, delayed, planned) or in stock (released, quarantined, scrapped).
 * A firm without customers (the lead) gets `lotsPerFirm` finished lots over the last 60 days.
 *
 * @example
 * for (const firm of planFirms(topology, random)) planLots(firm, { lotsPerFirm: 40, asOf, random });
 */
export function planLots(firm: FirmPlan, options: PlanLotsOptions): void {
  const { random, asOf } = options;
  const groups = collectDemand(firm);
  let totalDemand = 0;
  for (const items of groups.values()) totalDemand += items.length;

  if (totalDemand === 0) {
    for (let i = 0; i < options.lotsPerFirm; i++) {
      const status = random.chance(0.88) ? 'RELEASED' : random.chance(0.7) ? 'QUARANTINED' : 'SCRAPPED';
      newLot(firm, random.pick(firm.parts), addDays(asOf, -random.float(0.5, 60)), status, random);
    }
    return;
  }

  const reserve = options.lotsPerFirm >= 10 ? Math.max(firm.customers.length + 2, Math.round(options.lotsPerFirm * 0.2)) : 0;
  const budget = Math.max(groups.size, options.lotsPerFirm - reserve);
  const typical = new Map<FirmPlan, { part: PartPlan; quantity: number }>();
  for (const [key, items] of groups) {
    items.sort((a, b) => a.customerLot.producedAt.getTime() - b.customerLot.producedAt.getTime());
    const count = Math.min(items.length, Math.max(1, Math.round((budget * items.length) / totalDemand)));
    const groupLots: Array<{ lot: LotPlan; needBy: Date }> = [];
    for (let c = 0; c < count; c++) {
      const chunk = items.slice(Math.floor((c * items.length) / count), Math.floor(((c + 1) * items.length) / count));
      const first = chunk[0];
      if (!first) continue;
      const lot = newLot(firm, key.part, asOf, 'SHIPPED', random);
      lot.quantity = roundQuantity(chunk.reduce((sum, d) => sum + d.quantity, 0), key.part.uom);
      for (const d of chunk) d.customerLot.components.push({ lineNo: d.line.lineNo, lot, quantityUsed: d.quantity });
      groupLots.push({ lot, needBy: first.customerLot.producedAt });
    }
    const sizes = groupLots.map((g) => g.lot.quantity);
    if (!typical.has(key.customer)) typical.set(key.customer, { part: key.part, quantity: sizes[Math.floor(sizes.length / 2)] ?? 1 });
    for (let i = 0; i < groupLots.length; ) {
      const packed = groupLots.slice(i, i + random.int(1, 3));
      i += packed.length;
      const needBy = packed[0]?.needBy ?? asOf;
      const deliveredAt = addDays(needBy, -random.float(0.5, 3));
      const transit = random.float(1, 4);
      const shippedAt = addDays(deliveredAt, -transit);
      const eta = random.chance(0.2) ? addDays(deliveredAt, -random.float(0.5, 2)) : addDays(shippedAt, transit);
      const lots = packed.map((g) => g.lot);
      for (const lot of lots) lot.producedAt = addDays(shippedAt, -random.float(0.5, 5));
      firm.shipments.push(newShipment(firm, key.customer, lots, { shippedAt, eta, deliveredAt, needBy }, 'DELIVERED', random));
    }
  }

  let extra = Math.max(0, options.lotsPerFirm - firm.lots.length);
  for (const customer of firm.customers) {
    const usual = typical.get(customer);
    if (!usual || extra === 0) continue;
    extra -= 1;
    const status = IN_FLIGHT[options.inFlight.count++ % IN_FLIGHT.length] ?? 'IN_TRANSIT';
    const shippedAt =
      status === 'IN_TRANSIT' ? addDays(asOf, -random.float(0.5, 3))
      : status === 'DELAYED' ? addDays(asOf, -random.float(5, 9))
      : addDays(asOf, random.float(1, 6));
    const eta = status === 'DELAYED' ? addDays(asOf, -random.float(0.5, 3)) : addDays(shippedAt, random.float(2, 4));
    const needBy = addDays(eta, random.float(status === 'DELAYED' ? 0 : 1, 5));
    const lotStatus = status === 'PLANNED' ? 'RELEASED' : 'SHIPPED';
    const producedAt = addDays(shippedAt.getTime() < asOf.getTime() ? shippedAt : asOf, -random.float(0.5, 4));
    const lot = newLot(firm, usual.part, producedAt, lotStatus, random);
    lot.quantity = usual.quantity;
    firm.shipments.push(newShipment(firm, customer, [lot], { shippedAt, eta, deliveredAt: null, needBy }, status, random));
  }
  for (; extra > 0; extra--) {
    const roll = random.next();
    const status = roll < 0.6 ? 'RELEASED' : roll < 0.85 ? 'QUARANTINED' : 'SCRAPPED';
    newLot(firm, random.pick(firm.parts), addDays(asOf, -random.float(0.2, 45)), status, random);
  }
}

/** Demand on `firm`, grouped by (customer, part): Map keys are stable objects per pair. */
function collectDemand(firm: FirmPlan): Map<{ customer: FirmPlan; part: PartPlan }, Demand[]> {
  const groups = new Map<{ customer: FirmPlan; part: PartPlan }, Demand[]>();
  for (const customer of firm.customers) {
    const keys = new Map<PartPlan, { customer: FirmPlan; part: PartPlan }>();
    for (const customerLot of customer.lots) {
      for (const line of customerLot.part.bom) {
        if (line.component.firm !== firm) continue;
        let key = keys.get(line.component);
        if (!key) {
          key = { customer, part: line.component };
          keys.set(line.component, key);
          groups.set(key, []);
        }
        const quantity = roundQuantity(customerLot.quantity * line.quantityPer, line.component.uom);
        groups.get(key)?.push({ customerLot, line, quantity });
      }
    }
  }
  return groups;
}

function newLot(firm: FirmPlan, part: PartPlan, producedAt: Date, status: LotPlan['status'], random: Random): LotPlan {
  const [min, max] = part.lotSize;
  const lot: LotPlan = {
    firm, part, producedAt, status, site: random.pick(firm.sites), components: [], lotId: '',
    quantity: roundQuantity(random.float(min, max), part.uom),
  };
  firm.lots.push(lot);
  return lot;
}

function newShipment(
  shipper: FirmPlan,
  customer: FirmPlan,
  lots: LotPlan[],
  times: { shippedAt: Date; eta: Date; deliveredAt: Date | null; needBy: Date },
  status: ShipmentPlan['status'],
  random: Random,
): ShipmentPlan {
  return { shipper, customer, lots, ...times, status, carrier: random.pick(CARRIERS), shipmentId: '' };
}
