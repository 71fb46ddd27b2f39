import type { GraphQLAnswer } from '../receipts/shipmentView.js';
import type { LotKey } from './lotUses.js';

/** Which way a traversal walks: `TraversalDirection` of the schema. */
export type Direction = 'UPWARD' | 'DOWNWARD';
/** Which part of a step: the next tier's lots, or the shipments of this tier's lots. */
export type StepKind = 'LOTS' | 'SHIPMENTS';

/** One question of a step: ask `firmId` for `kind` about `lots`. */
export interface StepAsk {
  firmId: string;
  kind: StepKind;
  lots: LotKey[];
}

/** One consumption or component link a firm answered: `lot` (the answering firm's) used `component`. */
export interface StepUse {
  lot: LotKey & { partId: string | null; status: string | null };
  component: LotKey;
}

/** One shipment a supplier answered. */
export interface StepShipment {
  firmId: string;
  shipmentId: string;
  customerId: string | null;
  status: string | null;
  shippedAt: string | null;
  order: { firmId: string; orderId: string } | null;
  lots: LotKey[];
}

/** What one question got: its rows, or the reason it got none. */
export type StepAnswer =
  | { ask: StepAsk; kind: 'uses'; uses: StepUse[] }
  | { ask: StepAsk; kind: 'shipments'; shipments: StepShipment[] }
  | { ask: StepAsk; kind: 'failed'; code: string; message: string };

const USE_FIELDS = 'lot { firmId lotId partId status } component { firmId lotId }';
const SHIPMENT_FIELDS = 'shipmentId customerId status shippedAt order { firmId orderId } lots { lot { firmId lotId } }';

/** Where a question's answer is in the step's answer: the firm's alias and the field's alias. */
function placesOf(asks: readonly StepAsk[]): { alias: string; field: string }[] {
  const firms = [...new Set(asks.map((a) => a.firmId))];
  return asks.map((a) => ({ alias: `q${firms.indexOf(a.firmId)}`, field: a.kind === 'SHIPMENTS' ? 'ships' : 'uses' }));
}

/**
 * The one gateway query of a step: one aliased `firm(id:)` per firm asked (`q0`, `q1`, ...),
 * holding its questions as aliased fields (`uses`, `ships`) with their lots as variables, so
 * that the gateway sends each owner ONE request for all of its part of the step.
 * @example stepQuery('UPWARD', [{ firmId: 'precimach', kind: 'LOTS', lots: [{ firmId: 'alumill', lotId: 'alumill-L0005' }] }])
 */
export function stepQuery(direction: Direction, asks: readonly StepAsk[]): { query: string; variables: Record<string, unknown> } {
  const params: string[] = [];
  const variables: Record<string, unknown> = {};
  const byAlias = new Map<string, { firmVar: string; fields: string[] }>();
  const places = placesOf(asks);
  asks.forEach((ask, i) => {
    const place = places[i];
    if (!place) return;
    let firm = byAlias.get(place.alias);
    if (!firm) {
      firm = { firmVar: `f${byAlias.size}`, fields: [] };
      byAlias.set(place.alias, firm);
      params.push(`$${firm.firmVar}: ID!`);
      variables[firm.firmVar] = ask.firmId;
    }
    params.push(`$l${i}: [LotRefInput!]!`);
    variables[`l${i}`] = ask.lots.map((l) => ({ firmId: l.firmId, lotId: l.lotId }));
    firm.fields.push(
      ask.kind === 'SHIPMENTS'
        ? `ships: shipmentsCarrying(lots: $l${i}) { ${SHIPMENT_FIELDS} }`
        : `uses: ${direction === 'UPWARD' ? 'lotsConsuming' : 'componentsOf'}(lots: $l${i}) { ${USE_FIELDS} }`,
    );
  });
  const fields = [...byAlias].map(([alias, f]) => `${alias}: firm(id: $${f.firmVar}) { ${f.fields.join(' ')} }`);
  return { query: `query RecallImpactStep(${params.join(', ')}) { ${fields.join(' ')} }`, variables };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const key = (v: unknown): LotKey | null => {
  if (!isObject(v)) return null;
  const firmId = str(v.firmId);
  const lotId = str(v.lotId);
  return firmId && lotId ? { firmId, lotId } : null;
};
const lotIdOf = (l: LotKey): string => `${l.firmId}\u0000${l.lotId}`;

/**
 * Reads a step's answer, question by question. A question whose field came back null is
 * `failed` with the code of its error (FIRM_UNAVAILABLE, FORBIDDEN, ...); errors deeper in a
 * row (a denied `partId`) only null that value. Rows a firm had no business answering (a
 * consuming lot of another firm, a component or shipment lot that was not asked about) are
 * dropped: each firm answers for its own rows only.
 * @example readStep('UPWARD', asks, await ask(query, variables))
 */
export function readStep(direction: Direction, asks: readonly StepAsk[], answer: GraphQLAnswer): StepAnswer[] {
  const data = isObject(answer.data) ? answer.data : {};
  const errors = answer.errors ?? [];
  const places = placesOf(asks);
  return asks.map((ask, i): StepAnswer => {
    const { alias, field } = places[i] ?? { alias: '', field: '' };
    const firm = data[alias];
    const rows = isObject(firm) ? firm[field] : undefined;
    if (!Array.isArray(rows)) {
      const error =
        errors.find((e) => e.path?.[0] === alias && e.path[1] === field && e.path.length <= 2) ??
        errors.find((e) => e.path?.[0] === alias && (e.path.length === 1 || e.path[1] === field)) ??
        (errors.length > 0 && !answer.data ? errors[0] : undefined);
      const code = error?.extensions?.code;
      return {
        ask,
        kind: 'failed',
        code: typeof code === 'string' ? code : 'NO_ANSWER',
        message: typeof error?.message === 'string' ? error.message : `firm ${ask.firmId} gave no answer to the step`,
      };
    }
    const asked = new Set(ask.lots.map(lotIdOf));
    if (ask.kind === 'SHIPMENTS') {
      const shipments: StepShipment[] = [];
      for (const row of rows) {
        if (!isObject(row) || !str(row.shipmentId)) continue;
        const lots = (Array.isArray(row.lots) ? row.lots : []).flatMap((l) => {
          const k = key(isObject(l) ? l.lot : undefined);
          return k && asked.has(lotIdOf(k)) ? [k] : [];
        });
        const order = isObject(row.order) && str(row.order.firmId) && str(row.order.orderId) ? { firmId: String(row.order.firmId), orderId: String(row.order.orderId) } : null;
        shipments.push({ firmId: ask.firmId, shipmentId: String(row.shipmentId), customerId: str(row.customerId), status: str(row.status), shippedAt: str(row.shippedAt), order, lots });
      }
      return { ask, kind: 'shipments', shipments };
    }
    const uses: StepUse[] = [];
    for (const row of rows) {
      if (!isObject(row)) continue;
      const lot = key(row.lot);
      const component = key(row.component);
      if (!lot || !component || lot.firmId !== ask.firmId) continue;
      // UPWARD the component is what was asked about; DOWNWARD the consuming lot is.
      if (!asked.has(lotIdOf(direction === 'UPWARD' ? component : lot))) continue;
      const detail = row.lot as Record<string, unknown>;
      uses.push({ lot: { ...lot, partId: str(detail.partId), status: str(detail.status) }, component });
    }
    return { ask, kind: 'uses', uses };
  });
}
