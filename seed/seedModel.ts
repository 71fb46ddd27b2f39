import type { MemberProfile } from '../cluster/directory.js';
import type {
  ConfirmationStatus,
  LotStatus,
  OrderStatus,
  RunStatus,
  Severity,
  ShipmentStatus,
} from '../subgraphs/firm/db/statuses.js';
import type { SectorProfile, Uom } from './sectorProfiles.js';

/**
 * The generator's working model: plain objects that point at each other (a consumed lot
 * is the supplier's lot object itself), so that consistency across firms holds by
 * construction. Readable ids are given at the end, once every object exists.
 */

export interface FirmPlan {
  member: MemberProfile;
  profile: SectorProfile;
  /** Direct suppliers whose lots this firm consumes, sorted by id. */
  suppliers: FirmPlan[];
  /** Direct customers this firm ships to, sorted by id. */
  customers: FirmPlan[];
  sites: string[];
  parts: PartPlan[];
  lots: LotPlan[];
  shipments: ShipmentPlan[];
  /** Orders this firm placed (as buyer). */
  orders: OrderPlan[];
  runs: RunPlan[];
  inspections: InspectionPlan[];
  anomalies: AnomalyPlan[];
}

export interface PartPlan {
  firm: FirmPlan;
  partId: string;
  partNumber: string;
  name: string;
  category: string;
  uom: Uom;
  unitCost: number;
  lotSize: readonly [number, number];
  bom: BomPlan[];
}

export interface BomPlan {
  lineNo: number;
  component: PartPlan;
  quantityPer: number;
}

export interface LotPlan {
  firm: FirmPlan;
  part: PartPlan;
  quantity: number;
  producedAt: Date;
  status: LotStatus;
  site: string;
  components: ComponentPlan[];
  run?: RunPlan;
  /** Set by `assignIds`. */
  lotId: string;
}

export interface ComponentPlan {
  lineNo: number;
  lot: LotPlan;
  quantityUsed: number;
}

export interface ShipmentPlan {
  shipper: FirmPlan;
  customer: FirmPlan;
  lots: LotPlan[];
  shippedAt: Date;
  eta: Date;
  deliveredAt: Date | null;
  status: ShipmentStatus;
  carrier: string;
  /** The date the customer needs the goods (a purchase order line's requested date). */
  needBy: Date;
  order?: OrderPlan;
  shipmentId: string;
}

export interface OrderPlan {
  buyer: FirmPlan;
  supplier: FirmPlan;
  placedAt: Date;
  status: OrderStatus;
  lines: OrderLinePlan[];
  orderId: string;
}

export interface OrderLinePlan {
  lineNo: number;
  part: PartPlan;
  quantity: number;
  unitPrice: number;
  requestedDate: Date;
  /** The supplier's answer, if it has answered. */
  confirmation?: { status: ConfirmationStatus; confirmedQuantity: number; promisedDate: Date; confirmationId: string };
}

export interface RunPlan {
  part: PartPlan;
  line: string;
  plannedQuantity: number;
  doneQuantity: number;
  status: RunStatus;
  plannedStart: Date;
  plannedEnd: Date;
  lot: LotPlan | null;
  runId: string;
}

export interface InspectionPlan {
  lot: LotPlan;
  characteristic: string;
  value: number;
  lowerLimit: number;
  upperLimit: number;
  unit: string;
  result: 'PASS' | 'FAIL';
  inspectedAt: Date;
  inspectionId: string;
}

export interface AnomalyPlan {
  machineId: string;
  metric: string;
  value: number;
  threshold: number;
  detectedAt: Date;
  severity: Severity;
  run: RunPlan | null;
  anomalyId: string;
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** `date` shifted by `days` (fractional allowed), rounded to the minute. */
export function addDays(date: Date, days: number): Date {
  return new Date(Math.round((date.getTime() + days * DAY) / 60_000) * 60_000);
}

/** Rounds a quantity to what its unit of measure allows. */
export function roundQuantity(value: number, uom: Uom): number {
  if (uom === 'pcs') return Math.max(1, Math.round(value));
  return Math.round(value * 100) / 100;
}
