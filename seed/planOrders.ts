import type { Random } from './random.js';
import { addDays, type FirmPlan, type OrderLinePlan, type OrderPlan, type PartPlan, type ShipmentPlan } from './seedModel.js';

/**
 * Plans the purchase orders behind a supplier's shipments, placed by each customer
 * (owned by the buyer), with the supplier's confirmations of their lines. Each shipment
 * belongs to one order; an order covers one or two consecutive shipments, so an order
 * with one shipment delivered and one on its way is PARTIALLY_DELIVERED. Each customer
 * also has one OPEN order not yet confirmed, and sometimes a CANCELLED one.
 *
 * @example
 * for (const firm of firms) planOrders(firm, { asOf, random });
 */
export function planOrders(supplier: FirmPlan, options: { asOf: Date; random: Random }): void {
  const { asOf, random } = options;
  for (const customer of supplier.customers) {
    const shipments = supplier.shipments
      .filter((s) => s.customer === customer)
      .sort((a, b) => a.shippedAt.getTime() - b.shippedAt.getTime());
    for (let i = 0; i < shipments.length; ) {
      const covered = shipments.slice(i, i + (random.chance(0.35) ? 2 : 1));
      i += covered.length;
      orderFor(supplier, customer, covered, random);
    }
    const usual = shipments[0]?.lots[0];
    if (!usual) continue;
    const open = newOrder(supplier, customer, addDays(asOf, -random.float(0, 4)), 'OPEN');
    open.lines.push(line(1, usual.part, usual.quantity, addDays(asOf, random.float(20, 45)), random));
    if (random.chance(0.3)) {
      const cancelled = newOrder(supplier, customer, addDays(asOf, -random.float(30, 60)), 'CANCELLED');
      const requested = addDays(cancelled.placedAt, random.float(20, 40));
      const cancelledLine = line(1, usual.part, usual.quantity, requested, random);
      cancelledLine.confirmation = { status: 'REJECTED', confirmedQuantity: 0, promisedDate: requested, confirmationId: '' };
      cancelled.lines.push(cancelledLine);
    }
  }
}

function orderFor(supplier: FirmPlan, customer: FirmPlan, covered: ShipmentPlan[], random: Random): void {
  const firstShipped = covered[0]?.shippedAt ?? new Date(0);
  const delivered = covered.filter((s) => s.status === 'DELIVERED').length;
  const status = delivered === covered.length ? 'DELIVERED' : delivered > 0 ? 'PARTIALLY_DELIVERED' : 'CONFIRMED';
  const order = newOrder(supplier, customer, addDays(firstShipped, -random.float(14, 35)), status);
  const byPart = new Map<PartPlan, { quantity: number; requested: Date }>();
  for (const shipment of covered) {
    shipment.order = order;
    for (const lot of shipment.lots) {
      const entry = byPart.get(lot.part);
      if (entry) entry.quantity += lot.quantity;
      else byPart.set(lot.part, { quantity: lot.quantity, requested: shipment.needBy });
    }
  }
  for (const [part, { quantity, requested }] of byPart) {
    const orderLine = line(order.lines.length + 1, part, quantity, addDays(requested, -1), random);
    const revised = random.chance(0.15);
    orderLine.confirmation = {
      status: revised ? 'REVISED' : 'ACCEPTED',
      confirmedQuantity: orderLine.quantity,
      promisedDate: revised ? addDays(orderLine.requestedDate, random.int(2, 7)) : orderLine.requestedDate,
      confirmationId: '',
    };
    order.lines.push(orderLine);
  }
}

function newOrder(supplier: FirmPlan, buyer: FirmPlan, placedAt: Date, status: OrderPlan['status']): OrderPlan {
  const order: OrderPlan = { buyer, supplier, placedAt, status, lines: [], orderId: '' };
  buyer.orders.push(order);
  return order;
}

function line(lineNo: number, part: PartPlan, quantity: number, requestedDate: Date, random: Random): OrderLinePlan {
  const unitPrice = Math.round(part.unitCost * random.float(1.12, 1.4) * 100) / 100;
  return { lineNo, part, quantity: Math.round(quantity * 100) / 100, unitPrice, requestedDate };
}
