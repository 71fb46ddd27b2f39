import type { InputProblem } from '../writeApi/writeRefusal.js';
import type { ShipmentView } from './shipmentView.js';

/** What a receipt claims, for its check. */
export interface ReceiptClaim {
  /** The receiving firm (this one). */
  firmId: string;
  supplierId: string;
  shipmentId: string;
  /** The supplier's lots, one per component, in input order. */
  componentLotIds: readonly string[];
}

/** The check of one component: verified, or stored unverified and why. */
export interface ComponentCheck {
  verified: boolean;
  reason: string | null;
}

export type ReceiptCheck = { kind: 'refused'; problems: InputProblem[] } | { kind: 'checked'; components: ComponentCheck[] };

/**
 * Checks a receipt against what the receiving firm could see of the supplier's shipment.
 * Refused (nothing is written) when the view proves it wrong: the shipment does not exist
 * (`SHIPMENT_NOT_FOUND`), is addressed to another firm (`SHIPMENT_NOT_ADDRESSED`), or, its
 * lots all visible, does not carry a component's lot (`LOT_NOT_IN_SHIPMENT`, naming the
 * component). Otherwise each component is verified when the shipment is addressed to this
 * firm and carries its lot, and unverified — with the reason — where the supplier's policy
 * hid what would prove it (the shipment, its addressee, its lots or that lot) or nothing could
 * be asked. Pure.
 * @example
 * checkReceipt({ kind: 'visible', customerId: 'skyframe', lots: { lotIds: ['structura-L1'], hidden: 0 } },
 *   { firmId: 'skyframe', supplierId: 'structura', shipmentId: 'SH1', componentLotIds: ['structura-L1'] })
 * // { kind: 'checked', components: [{ verified: true, reason: null }] }
 */
export function checkReceipt(view: ShipmentView, claim: ReceiptClaim): ReceiptCheck {
  const { supplierId, shipmentId } = claim;
  const all = (reason: string): ReceiptCheck => ({ kind: 'checked', components: claim.componentLotIds.map(() => ({ verified: false, reason })) });
  if (view.kind === 'unchecked') return all(view.reason);
  if (view.kind === 'absent') {
    return { kind: 'refused', problems: [{ key: 'input.shipmentId', code: 'SHIPMENT_NOT_FOUND', reason: `firm ${supplierId} has no shipment ${shipmentId}` }] };
  }
  if (view.customerId !== null && view.customerId !== claim.firmId) {
    return {
      kind: 'refused',
      problems: [{ key: 'input.shipmentId', code: 'SHIPMENT_NOT_ADDRESSED', reason: `shipment ${shipmentId} of firm ${supplierId} is not addressed to firm ${claim.firmId}` }],
    };
  }
  const lots = view.lots;
  if (lots && lots.hidden === 0) {
    const carried = new Set(lots.lotIds);
    const problems = claim.componentLotIds.flatMap((lotId, i): InputProblem[] =>
      carried.has(lotId)
        ? []
        : [
            {
              key: `input.components[${i}].componentLotId`,
              code: 'LOT_NOT_IN_SHIPMENT',
              reason: `shipment ${shipmentId} of firm ${supplierId} does not carry lot ${lotId} (it carries ${lots.lotIds.length === 0 ? 'no lot' : lots.lotIds.join(', ')})`,
            },
          ],
    );
    if (problems.length > 0) return { kind: 'refused', problems };
  }
  const addressee = view.customerId === null ? `the supplier's policy hides the shipment's addressee: ${view.customerHidden ?? 'not answered'}` : null;
  return {
    kind: 'checked',
    components: claim.componentLotIds.map((lotId): ComponentCheck => {
      if (!lots) return { verified: false, reason: `the supplier's policy hides the shipment's lots: ${view.lotsHidden ?? 'not answered'}` };
      if (!lots.lotIds.includes(lotId)) {
        return { verified: false, reason: `lot ${lotId} is not among the shipment's lots the supplier's policy shows (${lots.hidden} hidden)` };
      }
      return addressee ? { verified: false, reason: addressee } : { verified: true, reason: null };
    }),
  };
}
