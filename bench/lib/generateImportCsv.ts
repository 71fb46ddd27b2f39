import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes a firm's history as the import's CSV files (docs/import-format.md), about `rows` rows
 * in all, a realistic mix: per lot (the unit of a firm's history) its production run, two
 * components (a supplier's lot, key-only, and for two lots in three an earlier lot of the
 * firm's own), three inspections, a shipment line for most lots (shipments of five lots to a
 * customer), a sensor anomaly for one run in five; a part per 200 lots with three BOM lines and
 * stock at two sites; a purchase order per 25 lots with two lines, and an order confirmation
 * per 8 lots. Every in-firm reference resolves; ids and values are deterministic.
 */

/** Rows per lot of the mix below (about 7.8): run, lot, components, inspections, anomaly, shipment line and shipment, order and lines, confirmation, part rows. */
const ROWS_PER_LOT = 2 + 5 / 3 + 3 + 1 / 5 + 1 / 2 + 1 / 10 + 3 / 25 + 1 / 8 + 6 / 200;

function writer(dir: string, file: string, header: string): { stream: WriteStream; line: (text: string) => Promise<void>; rows: () => number; close: () => Promise<void> } {
  const stream = createWriteStream(join(dir, `${file}.csv`));
  let buffer = `${header}\n`;
  let count = 0;
  const flush = (): Promise<void> =>
    new Promise((done) => {
      const text = buffer;
      buffer = '';
      if (stream.write(text)) done();
      else stream.once('drain', done);
    });
  return {
    stream,
    line: async (text) => {
      buffer += `${text}\n`;
      count += 1;
      if (buffer.length > 1 << 16) await flush();
    },
    rows: () => count,
    close: async () => {
      await flush();
      await new Promise<void>((done) => stream.end(done));
    },
  };
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const STATUSES = ['SHIPPED', 'SHIPPED', 'SHIPPED', 'CONSUMED', 'RELEASED', 'RELEASED', 'QUARANTINED', 'SCRAPPED'] as const;
const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Generates the files in `dir` and resolves with the rows written per file.
 * @example const counts = await generateImportCsv('/tmp/bench', 'benchfirm', 1_000_000);
 */
export async function generateImportCsv(dir: string, firmId: string, rows: number): Promise<Record<string, number>> {
  const lotCount = Math.ceil(rows / ROWS_PER_LOT);
  const partCount = Math.max(10, Math.ceil(lotCount / 200));
  const start = Date.UTC(2024, 8, 1);
  const day = 86_400_000;
  const partId = (p: number): string => `${firmId}-P${pad(p, 6)}`;
  const lotId = (n: number): string => `${firmId}-L${pad(n, 8)}`;
  const runId = (n: number): string => `${firmId}-R${pad(n, 8)}`;
  const partOf = (n: number): number => 1 + ((n * 7919) % partCount);
  const files = {
    parts: writer(dir, 'parts', 'partId,partNumber,name,category,uom,unitCost'),
    bom: writer(dir, 'bom-lines', 'partId,lineNo,componentFirmId,componentPartId,quantityPer,uom'),
    inventory: writer(dir, 'inventory', 'positionId,partId,site,onHand,allocated,blocked,updatedAt'),
    runs: writer(dir, 'production-runs', 'runId,partId,line,plannedQuantity,doneQuantity,status,plannedStart,plannedEnd,lotId'),
    lots: writer(dir, 'lots', 'lotId,partId,quantity,uom,producedAt,status,runId'),
    components: writer(dir, 'lot-components', 'lotId,lineNo,componentFirmId,componentLotId,quantityUsed'),
    inspections: writer(dir, 'quality-inspections', 'inspectionId,lotId,characteristic,value,lowerLimit,upperLimit,unit,result,inspectedAt'),
    anomalies: writer(dir, 'sensor-anomalies', 'anomalyId,machineId,metric,value,threshold,detectedAt,severity,runId'),
    shipments: writer(dir, 'shipments', 'shipmentId,customerId,orderId,shippedAt,eta,deliveredAt,status,carrier'),
    shipmentLots: writer(dir, 'shipment-lots', 'shipmentId,lotId,quantity'),
    orders: writer(dir, 'purchase-orders', 'orderId,supplierId,placedAt,status'),
    orderLines: writer(dir, 'purchase-order-lines', 'orderId,lineNo,partFirmId,partId,quantity,unitPrice,requestedDate'),
    confirmations: writer(dir, 'order-confirmations', 'confirmationId,buyerId,orderId,lineNo,confirmedQuantity,promisedDate,status'),
  };
  for (let p = 1; p <= partCount; p += 1) {
    await files.parts.line(`${partId(p)},BF-${p},"Forged part ${p}, machined",${p % 3 === 0 ? 'billet' : 'forging'},pcs,${(100 + (p % 900)).toFixed(2)}`);
    for (let l = 1; l <= 3; l += 1) await files.bom.line(`${partId(p)},${l},supplier${l},supplier${l}-P${pad(p % 50, 4)},${l * 1.5},kg`);
    for (const site of ['Ingolstadt', 'Toulouse']) await files.inventory.line(`${firmId}-IP${pad(p, 6)}${site[0]},${partId(p)},${site},${p % 40},${p % 5},${p % 2},2026-08-31T22:00:00.000Z`);
  }
  let shipment = 0;
  for (let n = 1; n <= lotCount; n += 1) {
    const at = start + Math.floor((n / lotCount) * 730 * day);
    const status = STATUSES[n % STATUSES.length] ?? 'RELEASED';
    await files.runs.line(`${runId(n)},${partId(partOf(n))},press-${1 + (n % 4)},${1 + (n % 8)},${1 + (n % 8)},DONE,${iso(at - 8 * 3_600_000)},${iso(at)},${lotId(n)}`);
    await files.lots.line(`${lotId(n)},${partId(partOf(n))},${1 + (n % 8)},pcs,${iso(at)},${status},${runId(n)}`);
    await files.components.line(`${lotId(n)},1,supplier${1 + (n % 3)},supplier${1 + (n % 3)}-L${pad(n % 5000, 5)},${1 + (n % 4)}`);
    if (n % 3 !== 0 && n > 1) await files.components.line(`${lotId(n)},2,${firmId},${lotId(1 + ((n * 31) % (n - 1)))},1`);
    for (let q = 1; q <= 3; q += 1) {
      const value = 10 + ((n * q) % 7) / 10;
      await files.inspections.line(`${firmId}-QI${pad(n, 8)}${q},${lotId(n)},dimension ${q},${value},10,10.5,mm,${value <= 10.5 ? 'PASS' : 'FAIL'},${iso(at + q * 3_600_000)}`);
    }
    if (n % 5 === 0) await files.anomalies.line(`${firmId}-AN${pad(n, 8)},press-${1 + (n % 4)},pressure,${310 + (n % 20)},300,${iso(at - 3_600_000)},${n % 10 === 0 ? 'HIGH' : 'LOW'},${runId(n)}`);
    if (status === 'SHIPPED' || status === 'CONSUMED') {
      if (n % 5 === 0 || shipment === 0) {
        shipment += 1;
        await files.shipments.line(`${firmId}-SH${pad(shipment, 7)},customer${1 + (shipment % 3)},customer${1 + (shipment % 3)}-PO${pad(shipment, 6)},${iso(at + day)},${iso(at + 3 * day)},${iso(at + 3 * day)},DELIVERED,Rhenus`);
      }
      await files.shipmentLots.line(`${firmId}-SH${pad(shipment, 7)},${lotId(n)},${1 + (n % 8)}`);
    }
    if (n % 25 === 0) {
      const order = `${firmId}-PO${pad(n / 25, 7)}`;
      await files.orders.line(`${order},supplier${1 + (n % 3)},${iso(at - 20 * day)},DELIVERED`);
      for (let l = 1; l <= 2; l += 1) await files.orderLines.line(`${order},${l},supplier${1 + (n % 3)},supplier${1 + (n % 3)}-P${pad(l, 4)},${10 * l},${(40 + l).toFixed(2)},${iso(at - 5 * day).slice(0, 10)}`);
    }
    if (n % 8 === 0) await files.confirmations.line(`${firmId}-OC${pad(n / 8, 7)},customer${1 + (n % 3)},customer${1 + (n % 3)}-PO${pad(n, 7)},1,${1 + (n % 8)},${iso(at + 2 * day).slice(0, 10)},ACCEPTED`);
  }
  const counts: Record<string, number> = {};
  for (const [name, w] of Object.entries(files)) {
    counts[name] = w.rows();
    await w.close();
  }
  return counts;
}
