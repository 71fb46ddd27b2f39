/**
 * The closed vocabularies stored in text columns. They mirror the enums of
 * `schema/firm.graphql`; the database keeps them as plain text so that a new value needs
 * no migration of an enum type.
 */

export const LOT_STATUSES = ['RELEASED', 'QUARANTINED', 'CONSUMED', 'SHIPPED', 'SCRAPPED'] as const;
export type LotStatus = (typeof LOT_STATUSES)[number];

export const ORDER_STATUSES = ['OPEN', 'CONFIRMED', 'PARTIALLY_DELIVERED', 'DELIVERED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const CONFIRMATION_STATUSES = ['ACCEPTED', 'REVISED', 'REJECTED'] as const;
export type ConfirmationStatus = (typeof CONFIRMATION_STATUSES)[number];

export const SHIPMENT_STATUSES = ['PLANNED', 'IN_TRANSIT', 'DELAYED', 'DELIVERED'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export const RUN_STATUSES = ['PLANNED', 'RUNNING', 'HELD', 'DONE'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const INSPECTION_RESULTS = ['PASS', 'FAIL'] as const;
export type InspectionResult = (typeof INSPECTION_RESULTS)[number];

export const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The SPC methods of `spc/` (docs/spc.md), as SensorAnomaly.method stores them. */
export const SPC_METHODS = ['EWMA', 'CUSUM', 'WESTERN_ELECTRIC'] as const;
export type StoredSpcMethod = (typeof SPC_METHODS)[number];
