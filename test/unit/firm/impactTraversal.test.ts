import { describe, expect, it } from 'vitest';
import type { GatewayQuery } from '../../../subgraphs/firm/receipts/gatewayQuery.js';
import type { GraphQLAnswer } from '../../../subgraphs/firm/receipts/shipmentView.js';
import { traverseImpact, type TraversalCluster } from '../../../subgraphs/firm/traceability/impactTraversal.js';
import type { LotKey } from '../../../subgraphs/firm/traceability/lotUses.js';

/**
 * A toy cluster of four tiers: mill (3) → mach (2) → sys (1) → lead (0), plus `other` (2) that
 * supplies sys too. Lot genealogy (consumer ← component): mach-1 ← mill-1; mach-2 ← mill-1;
 * sys-1 ← mach-1, mach-2 (mill-1 reaches sys-1 twice); lead-1 ← sys-1; lead-2 ← sys-1.
 */
const TIERS: Record<string, number> = { mill: 3, mach: 2, other: 2, sys: 1, lead: 0 };
const CUSTOMERS: Record<string, string[]> = { mill: ['mach'], mach: ['sys'], other: ['sys'], sys: ['lead'], lead: [] };
const cluster: TraversalCluster = { tierOf: (f) => TIERS[f], customersOf: (f) => CUSTOMERS[f] ?? [] };
const L = (firmId: string, n: number): LotKey => ({ firmId, lotId: `${firmId}-${n}` });
let USES: [LotKey, LotKey][] = [];
const SHIPMENTS: Record<string, { shipmentId: string; lot: LotKey; orderId: string }[]> = {
  mill: [{ shipmentId: 'mill-S1', lot: L('mill', 1), orderId: 'mach-PO1' }],
  sys: [{ shipmentId: 'sys-S1', lot: L('sys', 1), orderId: 'lead-PO1' }, { shipmentId: 'sys-S2', lot: L('sys', 1), orderId: 'lead-PO2' }],
};

interface FakeOptions {
  down?: Set<string>;
  forbidShipments?: Set<string>;
  /** Rows a misbehaving firm adds that are not its own. */
  foreignRow?: boolean;
}

/** A gateway that answers each aliased question from the tables above, as the owners would. */
function fakeGateway(options: FakeOptions = {}): GatewayQuery & { calls: { query: string; variables: Record<string, unknown> }[] } {
  const calls: { query: string; variables: Record<string, unknown> }[] = [];
  const ask = async (query: string, variables: Record<string, unknown>): Promise<GraphQLAnswer> => {
    calls.push({ query, variables });
    const data: Record<string, unknown> = {};
    const errors: NonNullable<GraphQLAnswer['errors']>[number][] = [];
    // One aliased firm(id: $fN) per firm, holding `uses:` and `ships:` fields over $lK.
    const heads = [...query.matchAll(/(q\d+): firm\(id: \$(f\d+)\) \{/g)];
    for (const [h, head] of heads.entries()) {
      const [, alias, firmVar] = head;
      const body = query.slice((head.index ?? 0) + head[0].length, heads[h + 1]?.index ?? query.length);
      const firm = String(variables[firmVar ?? '']);
      const out: Record<string, unknown> = {};
      data[alias ?? ''] = out;
      for (const [, name, field, lotsVar] of (body ?? '').matchAll(/(uses|ships): (\w+)\(lots: \$(l\d+)\)/g)) {
        const key = name ?? '';
        const lots = variables[lotsVar ?? ''] as LotKey[];
        const asked = new Set(lots.map((l) => l.lotId));
        if (options.down?.has(firm) || (field === 'shipmentsCarrying' && options.forbidShipments?.has(firm))) {
          out[key] = null;
          const down = options.down?.has(firm);
          errors.push({ message: down ? `firm ${firm} is unavailable` : 'no rule grants Shipment', path: [alias ?? '', key], extensions: { code: down ? 'FIRM_UNAVAILABLE' : 'FORBIDDEN', firmId: firm } });
          continue;
        }
        if (field === 'shipmentsCarrying') {
          out[key] = (SHIPMENTS[firm] ?? []).filter((s) => asked.has(s.lot.lotId)).map((s) => ({ shipmentId: s.shipmentId, customerId: 'x', status: 'DELIVERED', shippedAt: null, order: { firmId: 'x', orderId: s.orderId }, lots: [{ lot: s.lot }] }));
          continue;
        }
        const rows =
          field === 'lotsConsuming'
            ? USES.filter(([c, comp]) => c.firmId === firm && lots.some((l) => l.firmId === comp.firmId && l.lotId === comp.lotId))
            : USES.filter(([c]) => c.firmId === firm && asked.has(c.lotId));
        const uses = rows.map(([c, comp]) => ({ lot: { ...c, partId: `${c.firmId}-P`, status: 'RELEASED' }, component: comp }));
        if (options.foreignRow) {
          const other = firm === 'lead' ? 'mach' : 'lead';
          uses.push({ lot: { firmId: other, lotId: `${other}-99`, partId: `${other}-P`, status: 'RELEASED' }, component: lots[0]! });
          if (field === 'lotsConsuming') uses.push({ lot: { firmId: firm, lotId: `${firm}-98`, partId: `${firm}-P`, status: 'RELEASED' }, component: L('nobody', 1) });
        }
        out[key] = uses;
      }
    }
    return { data, ...(errors.length ? { errors } : {}) };
  };
  return Object.assign(ask, { calls });
}

const run = (gateway: GatewayQuery, origin: LotKey, direction: 'UPWARD' | 'DOWNWARD' = 'UPWARD', depth = 10) =>
  traverseImpact({ origin, direction, depth, cluster, ask: gateway, deadlineAt: 10_000, now: () => 0 });

const ids = (lots: readonly { lot: LotKey }[] | readonly LotKey[]) => lots.map((l) => ('lot' in l ? l.lot.lotId : l.lotId));

describe('traverseImpact', () => {
  USES = [
    [L('mach', 1), L('mill', 1)],
    [L('mach', 2), L('mill', 1)],
    [L('sys', 1), L('mach', 1)],
    [L('sys', 1), L('mach', 2)],
    [L('lead', 1), L('sys', 1)],
    [L('lead', 2), L('sys', 1)],
  ];

  it('walks upward tier by tier to the end items, each lot once, one gateway request per step', async () => {
    const gw = fakeGateway();
    const r = await run(gw, L('mill', 1));
    expect(ids(r.lots)).toEqual(['mill-1', 'mach-1', 'mach-2', 'sys-1', 'lead-1', 'lead-2']);
    expect(r.lots.map((l) => l.hops)).toEqual([0, 1, 1, 2, 3, 3]);
    expect(r.lots.find((l) => l.lot.lotId === 'sys-1')?.via.map((v) => v.lotId)).toEqual(['mach-1', 'mach-2']);
    expect(r.lots.find((l) => l.lot.lotId === 'mach-1')).toMatchObject({ firmTier: 2, partId: 'mach-P', status: 'RELEASED' });
    expect(ids(r.endItems)).toEqual(['lead-1', 'lead-2']);
    expect(r.steps).toBe(4);
    expect(gw.calls).toHaveLength(4);
    expect(r.complete).toBe(true);
    expect(r.tombstones).toEqual([]);
    expect(r.shipments.map((s) => s.shipmentId).sort()).toEqual(['mill-S1', 'sys-S1', 'sys-S2']);
    expect(r.orders.map((o) => o.orderId).sort()).toEqual(['lead-PO1', 'lead-PO2', 'mach-PO1']);
    expect(r.counts).toEqual([
      { firmId: 'lead', firmTier: 0, lots: 2, shipments: 0 },
      { firmId: 'sys', firmTier: 1, lots: 1, shipments: 2 },
      { firmId: 'mach', firmTier: 2, lots: 2, shipments: 0 },
      { firmId: 'mill', firmTier: 3, lots: 1, shipments: 1 },
    ]);
  });

  it('asks only the customers of the frontier owners, all of one firm\u2019s lots in one question', async () => {
    const gw = fakeGateway();
    await run(gw, L('mill', 1));
    const second = gw.calls[1]!;
    // Step 2: shipments of mach-1 and mach-2 at mach, and sys (mach's only customer) for both.
    expect(second.variables).toMatchObject({ f0: 'mach', f1: 'sys' });
    expect((second.variables.l1 as LotKey[]).map((l) => l.lotId)).toEqual(['mach-1', 'mach-2']);
    expect(Object.keys(second.variables)).toHaveLength(4);
  });

  it('asks a firm asked two questions in one step under one alias: one request to it', async () => {
    const gw = fakeGateway();
    await run(gw, L('lead', 1), 'DOWNWARD');
    const first = gw.calls[0]!;
    expect(first.query.match(/firm\(id:/g)).toHaveLength(1);
    expect(first.query).toContain('uses: componentsOf(lots: $l1)');
    expect(first.query).toContain('ships: shipmentsCarrying(lots: $l0)');
  });

  it('stops at the depth limit and says the answer is truncated, not complete', async () => {
    const r = await run(fakeGateway(), L('mill', 1), 'UPWARD', 1);
    expect(ids(r.lots)).toEqual(['mill-1', 'mach-1', 'mach-2']);
    expect(r.truncated).toBe(true);
    expect(r.complete).toBe(false);
    expect(r.endItems).toEqual([]);
    expect(r.steps).toBe(2);
  });

  it('turns a firm that is down into a tombstone and leaves its branch unknown', async () => {
    const r = await run(fakeGateway({ down: new Set(['sys']) }), L('mill', 1));
    expect(ids(r.lots)).toEqual(['mill-1', 'mach-1', 'mach-2']);
    expect(r.complete).toBe(false);
    expect(r.tombstones).toEqual([
      { firmId: 'sys', firmTier: 1, hops: 1, step: 'LOTS', reasonCode: 'FIRM_UNAVAILABLE', message: 'firm sys is unavailable', lots: [L('mach', 1), L('mach', 2)] },
    ]);
    // mach-1 and mach-2 are not end items: nobody could say whether they were consumed.
    expect(r.endItems).toEqual([]);
  });

  it('keeps the lots when only the shipments are refused, with a SHIPMENTS tombstone', async () => {
    const r = await run(fakeGateway({ forbidShipments: new Set(['mill']) }), L('mill', 1));
    expect(ids(r.lots)).toHaveLength(6);
    expect(r.tombstones.map((t) => [t.firmId, t.step, t.reasonCode])).toEqual([['mill', 'SHIPMENTS', 'FORBIDDEN']]);
    expect(r.shipments.map((s) => s.shipmentId)).not.toContain('mill-S1');
    expect(r.complete).toBe(false);
  });

  it('ends a cycle: a lot reached again is not asked again', async () => {
    const saved = USES;
    USES = [...saved, [L('mill', 1), L('lead', 1)]];
    CUSTOMERS.lead = ['mill'];
    try {
      const gw = fakeGateway();
      const r = await run(gw, L('mill', 1));
      expect(ids(r.lots)).toEqual(['mill-1', 'mach-1', 'mach-2', 'sys-1', 'lead-1', 'lead-2']);
      expect(r.lots[0]?.via).toEqual([L('lead', 1)]);
      expect(gw.calls.length).toBeLessThanOrEqual(5);
    } finally {
      USES = saved;
      CUSTOMERS.lead = [];
    }
  });

  it('drops rows a firm had no business answering (another firm\u2019s lot)', async () => {
    const r = await run(fakeGateway({ foreignRow: true }), L('mill', 1));
    expect(ids(r.lots)).toEqual(['mill-1', 'mach-1', 'mach-2', 'sys-1', 'lead-1', 'lead-2']);
  });

  it('walks downward from an end item to the raw material', async () => {
    const r = await run(fakeGateway(), L('lead', 1), 'DOWNWARD');
    expect(ids(r.lots)).toEqual(['lead-1', 'sys-1', 'mach-1', 'mach-2', 'mill-1']);
    expect(r.lots.find((l) => l.lot.lotId === 'mill-1')?.via.map((v) => v.lotId)).toEqual(['mach-1', 'mach-2']);
    expect(ids(r.endItems)).toEqual(['mill-1']);
    expect(r.complete).toBe(true);
  });

  it('fails every question of a step when the gateway cannot be asked, and does not ask when time is out', async () => {
    const broken: GatewayQuery = async () => {
      throw new Error('connect ECONNREFUSED');
    };
    const r = await run(broken, L('mill', 1));
    expect(r.tombstones.map((t) => [t.firmId, t.step, t.reasonCode])).toEqual([
      ['mill', 'SHIPMENTS', 'GATEWAY_UNAVAILABLE'],
      ['mach', 'LOTS', 'GATEWAY_UNAVAILABLE'],
    ]);
    const gw = fakeGateway();
    const late = await traverseImpact({ origin: L('mill', 1), direction: 'UPWARD', depth: 10, cluster, ask: gw, deadlineAt: 100, now: () => 0 });
    expect(gw.calls).toHaveLength(0);
    expect(late.tombstones.every((t) => t.reasonCode === 'REQUEST_TIMEOUT')).toBe(true);
  });

  it('gives each step what remains of the deadline', async () => {
    const deadlines: (number | undefined)[] = [];
    const gw = fakeGateway();
    let clock = 0;
    await traverseImpact({
      origin: L('mill', 1),
      direction: 'UPWARD',
      depth: 10,
      cluster,
      ask: async (q, v, o) => {
        deadlines.push(o?.deadlineMs);
        clock += 500;
        return gw(q, v);
      },
      deadlineAt: 4000,
      now: () => clock,
    });
    expect(deadlines).toEqual([3850, 3350, 2850, 2350]);
  });
});
