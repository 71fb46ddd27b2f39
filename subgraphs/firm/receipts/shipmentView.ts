/**
 * What the receiving firm could see of a supplier's shipment through the gateway, with its
 * own user's token, under the supplier's policy: the input of the receipt's check.
 */
export type ShipmentView =
  /** Nothing could be checked: no gateway configured, the supplier unreachable, or its policy hides the shipment. */
  | { kind: 'unchecked'; reason: string }
  /** The supplier answered that the shipment does not exist (NOT_FOUND). */
  | { kind: 'absent' }
  | {
      kind: 'visible';
      /** The addressee, or null when the supplier's policy hides it (`customerHidden` says why). */
      customerId: string | null;
      customerHidden?: string;
      /** The shipment's lots the caller may see, or null when the policy hides the list (`lotsHidden` says why). */
      lots: { lotIds: readonly string[]; hidden: number } | null;
      lotsHidden?: string;
    };

/** A GraphQL response as the gateway sent it (loosely typed: it is read defensively). */
export interface GraphQLAnswer {
  data?: unknown;
  errors?: readonly { message?: unknown; path?: readonly unknown[]; extensions?: Record<string, unknown> }[];
}

/** The query the receiving firm sends the gateway, with its own user's token. */
export const SHIPMENT_CHECK_QUERY = `query ReceiptCheck($supplierId: ID!, $shipmentId: ID!) {
  firm(id: $supplierId) { shipment(shipmentId: $shipmentId) { shipmentId customerId lots { lot { lotId } } } }
}`;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function samePath(path: readonly unknown[] | undefined, expected: readonly unknown[]): boolean {
  return path !== undefined && path.length === expected.length && expected.every((p, i) => path[i] === p);
}

function said(error: { message?: unknown; extensions?: Record<string, unknown> }): string {
  const code = typeof error.extensions?.code === 'string' ? ` (${error.extensions.code})` : '';
  return `${typeof error.message === 'string' ? error.message : 'refused'}${code}`;
}

/**
 * Reads the gateway's answer to {@link SHIPMENT_CHECK_QUERY} as a {@link ShipmentView}: a
 * `NOT_FOUND` on the shipment is `absent`; any other error on the supplier or the shipment
 * (FORBIDDEN by its policy, FIRM_UNAVAILABLE, a timeout...) is `unchecked` with what the
 * gateway said; a visible shipment with its addressee and lots, each null where the supplier's
 * policy refused the field, and the lots whose own row it hides counted. Pure.
 * @example
 * readShipmentAnswer({ data: { firm: { shipment: null } }, errors: [{ message: 'Shipment SH9 does not exist at firm structura.', path: ['firm', 'shipment'], extensions: { code: 'NOT_FOUND' } }] }, 'structura', 'SH9')
 * // { kind: 'absent' }
 */
export function readShipmentAnswer(answer: GraphQLAnswer, supplierId: string, shipmentId: string): ShipmentView {
  const errors = answer.errors ?? [];
  const at = (...path: unknown[]) => errors.find((e) => samePath(e.path, ['firm', 'shipment', ...path]));
  const data = isObject(answer.data) ? answer.data : undefined;
  const firm = data && isObject(data.firm) ? data.firm : undefined;
  const shipment = firm && isObject(firm.shipment) ? firm.shipment : undefined;
  if (!shipment) {
    const error = at() ?? errors.find((e) => samePath(e.path, ['firm'])) ?? errors[0];
    if (error?.extensions?.code === 'NOT_FOUND') return { kind: 'absent' };
    return { kind: 'unchecked', reason: `firm ${supplierId} did not show shipment ${shipmentId}: ${error ? said(error) : 'no answer'}` };
  }
  const customerError = at('customerId');
  const customerId = typeof shipment.customerId === 'string' ? shipment.customerId : null;
  const lotsError = at('lots');
  let lots: { lotIds: string[]; hidden: number } | null = null;
  if (Array.isArray(shipment.lots)) {
    const lotIds: string[] = [];
    let hidden = 0;
    for (const item of shipment.lots as unknown[]) {
      const lot = isObject(item) && isObject(item.lot) ? item.lot : undefined;
      if (lot && typeof lot.lotId === 'string') lotIds.push(lot.lotId);
      else hidden += 1;
    }
    lots = { lotIds, hidden };
  }
  return {
    kind: 'visible',
    customerId,
    ...(customerId === null ? { customerHidden: customerError ? said(customerError) : 'the addressee was not answered' } : {}),
    lots,
    ...(lots === null ? { lotsHidden: lotsError ? said(lotsError) : 'the lots were not answered' } : {}),
  };
}
