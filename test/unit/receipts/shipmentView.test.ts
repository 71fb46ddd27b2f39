import { describe, expect, it } from 'vitest';
import { lookupShipment, type GatewayQuery } from '../../../subgraphs/firm/receipts/gatewayQuery.js';
import { readShipmentAnswer, SHIPMENT_CHECK_QUERY } from '../../../subgraphs/firm/receipts/shipmentView.js';

const forbidden = (path: (string | number)[], message = 'no rule grants it') => ({ message, path, extensions: { code: 'FORBIDDEN', firmId: 'alumill' } });

describe('readShipmentAnswer', () => {
  it('reads a visible shipment, its addressee and its lots', () => {
    const answer = { data: { firm: { shipment: { shipmentId: 'SH1', customerId: 'precimach', lots: [{ lot: { lotId: 'L1' } }, { lot: { lotId: 'L2' } }] } } } };
    expect(readShipmentAnswer(answer, 'alumill', 'SH1')).toEqual({ kind: 'visible', customerId: 'precimach', lots: { lotIds: ['L1', 'L2'], hidden: 0 } });
  });

  it('reads NOT_FOUND on the shipment as absent, and any other refusal of it as unchecked with what was said', () => {
    const notFound = { data: { firm: { shipment: null } }, errors: [{ message: 'Shipment SH9 does not exist at firm alumill.', path: ['firm', 'shipment'], extensions: { code: 'NOT_FOUND' } }] };
    expect(readShipmentAnswer(notFound, 'alumill', 'SH9')).toEqual({ kind: 'absent' });
    const hidden = { data: { firm: { shipment: null } }, errors: [forbidden(['firm', 'shipment'], 'Shipment SH9 of firm alumill is not visible')] };
    expect(readShipmentAnswer(hidden, 'alumill', 'SH9')).toEqual({ kind: 'unchecked', reason: 'firm alumill did not show shipment SH9: Shipment SH9 of firm alumill is not visible (FORBIDDEN)' });
    const down = { data: { firm: null }, errors: [{ message: 'firm alumill is unavailable', path: ['firm'], extensions: { code: 'FIRM_UNAVAILABLE' } }] };
    expect(readShipmentAnswer(down, 'alumill', 'SH1')).toMatchObject({ kind: 'unchecked', reason: expect.stringMatching(/unavailable \(FIRM_UNAVAILABLE\)$/) });
    expect(readShipmentAnswer({ errors: [{ message: 'Token expired', extensions: { code: 'TOKEN_EXPIRED' } }] }, 'alumill', 'SH1')).toMatchObject({ kind: 'unchecked', reason: expect.stringMatching(/TOKEN_EXPIRED/) });
    expect(readShipmentAnswer({}, 'alumill', 'SH1')).toMatchObject({ kind: 'unchecked', reason: expect.stringMatching(/no answer$/) });
  });

  it('marks the fields the policy refused: the addressee, the lots, a lot row', () => {
    const answer = {
      data: { firm: { shipment: { shipmentId: 'SH1', customerId: null, lots: null } } },
      errors: [forbidden(['firm', 'shipment', 'customerId'], 'no customerId'), forbidden(['firm', 'shipment', 'lots'], 'no lots')],
    };
    expect(readShipmentAnswer(answer, 'alumill', 'SH1')).toEqual({
      kind: 'visible',
      customerId: null,
      customerHidden: 'no customerId (FORBIDDEN)',
      lots: null,
      lotsHidden: 'no lots (FORBIDDEN)',
    });
    const oneLot = { data: { firm: { shipment: { customerId: 'precimach', lots: [{ lot: null }, { lot: { lotId: 'L2' } }] } } }, errors: [forbidden(['firm', 'shipment', 'lots', 0, 'lot'])] };
    expect(readShipmentAnswer(oneLot, 'alumill', 'SH1')).toEqual({ kind: 'visible', customerId: 'precimach', lots: { lotIds: ['L2'], hidden: 1 } });
  });
});

describe('lookupShipment (the gateway injected)', () => {
  it('asks the gateway the check query for the supplier and the shipment', async () => {
    const asked: unknown[] = [];
    const gateway: GatewayQuery = async (query, variables) => {
      asked.push({ query, variables });
      return { data: { firm: { shipment: { customerId: 'skyframe', lots: [{ lot: { lotId: 'L1' } }] } } } };
    };
    expect(await lookupShipment(gateway, 'structura', 'SH1')).toEqual({ kind: 'visible', customerId: 'skyframe', lots: { lotIds: ['L1'], hidden: 0 } });
    expect(asked).toEqual([{ query: SHIPMENT_CHECK_QUERY, variables: { supplierId: 'structura', shipmentId: 'SH1' } }]);
  });

  it('is unchecked without a gateway, or when the gateway gives no answer', async () => {
    expect(await lookupShipment(undefined, 'structura', 'SH1')).toEqual({ kind: 'unchecked', reason: 'this firm has no gatewayUrl configured: the shipment could not be asked for' });
    const failing: GatewayQuery = async () => {
      throw new Error('connect ECONNREFUSED');
    };
    expect(await lookupShipment(failing, 'structura', 'SH1')).toEqual({ kind: 'unchecked', reason: 'the gateway could not be asked about shipment SH1 of firm structura: connect ECONNREFUSED' });
  });
});
