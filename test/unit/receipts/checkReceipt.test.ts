import { describe, expect, it } from 'vitest';
import { checkReceipt, type ReceiptClaim } from '../../../subgraphs/firm/receipts/checkReceipt.js';
import type { ShipmentView } from '../../../subgraphs/firm/receipts/shipmentView.js';

const claim = (...componentLotIds: string[]): ReceiptClaim => ({ firmId: 'skyframe', supplierId: 'structura', shipmentId: 'SH1', componentLotIds });
const visible = (over: Partial<Extract<ShipmentView, { kind: 'visible' }>> = {}): ShipmentView => ({
  kind: 'visible',
  customerId: 'skyframe',
  lots: { lotIds: ['L1', 'L2'], hidden: 0 },
  ...over,
});

describe('checkReceipt', () => {
  it('verifies every component the visible shipment, addressed to this firm, carries', () => {
    expect(checkReceipt(visible(), claim('L1', 'L2', 'L1'))).toEqual({
      kind: 'checked',
      components: [
        { verified: true, reason: null },
        { verified: true, reason: null },
        { verified: true, reason: null },
      ],
    });
  });

  it('refuses a lot the shipment does not carry, naming the component', () => {
    expect(checkReceipt(visible(), claim('L1', 'L9'))).toEqual({
      kind: 'refused',
      problems: [{ key: 'input.components[1].componentLotId', code: 'LOT_NOT_IN_SHIPMENT', reason: 'shipment SH1 of firm structura does not carry lot L9 (it carries L1, L2)' }],
    });
    expect(checkReceipt(visible({ lots: { lotIds: [], hidden: 0 } }), claim('L1'))).toMatchObject({ kind: 'refused', problems: [{ reason: expect.stringMatching(/\(it carries no lot\)$/) }] });
  });

  it('refuses a shipment that does not exist, or is addressed to another firm', () => {
    expect(checkReceipt({ kind: 'absent' }, claim('L1'))).toEqual({
      kind: 'refused',
      problems: [{ key: 'input.shipmentId', code: 'SHIPMENT_NOT_FOUND', reason: 'firm structura has no shipment SH1' }],
    });
    expect(checkReceipt(visible({ customerId: 'avionix' }), claim('L1'))).toMatchObject({ kind: 'refused', problems: [{ key: 'input.shipmentId', code: 'SHIPMENT_NOT_ADDRESSED' }] });
  });

  it('stores every component unverified, with the reason, when nothing could be checked', () => {
    expect(checkReceipt({ kind: 'unchecked', reason: 'no gateway' }, claim('L1', 'L2'))).toEqual({
      kind: 'checked',
      components: [
        { verified: false, reason: 'no gateway' },
        { verified: false, reason: 'no gateway' },
      ],
    });
  });

  it("leaves unverified what the supplier's policy hides: the lots, one lot, or the addressee", () => {
    const hiddenLots = checkReceipt(visible({ lots: null, lotsHidden: 'no rule grants lots (FORBIDDEN)' }), claim('L9'));
    expect(hiddenLots).toEqual({ kind: 'checked', components: [{ verified: false, reason: "the supplier's policy hides the shipment's lots: no rule grants lots (FORBIDDEN)" }] });
    // One lot row hidden: a lot not among the visible ones may be it, so it is not refused.
    const oneHidden = checkReceipt(visible({ lots: { lotIds: ['L1'], hidden: 1 } }), claim('L1', 'L9'));
    expect(oneHidden).toEqual({
      kind: 'checked',
      components: [
        { verified: true, reason: null },
        { verified: false, reason: "lot L9 is not among the shipment's lots the supplier's policy shows (1 hidden)" },
      ],
    });
    const noAddressee = checkReceipt(visible({ customerId: null, customerHidden: 'hidden (FORBIDDEN)' }), claim('L1'));
    expect(noAddressee).toEqual({ kind: 'checked', components: [{ verified: false, reason: "the supplier's policy hides the shipment's addressee: hidden (FORBIDDEN)" }] });
    // Still refused when the visible lots prove a component wrong, whatever else is hidden.
    expect(checkReceipt(visible({ customerId: null }), claim('L9')).kind).toBe('refused');
  });
});
