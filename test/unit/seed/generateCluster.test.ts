import { describe, expect, it } from 'vitest';
import type { ClusterTopology, MemberProfile } from '../../../cluster/directory.js';
import { DEMO_TOPOLOGY } from '../../../demo/topology.js';
import type { ClusterSeed, FirmSeed } from '../../../seed/clusterSeed.js';
import { generateCluster } from '../../../seed/generateCluster.js';
import { generateTopology } from '../../../seed/generateTopology.js';
import { clusterProblems } from './clusterProblems.js';

const demo = generateCluster(DEMO_TOPOLOGY);
const firm = (cluster: ClusterSeed, id: string): FirmSeed => {
  const seed = cluster.firms[id];
  if (!seed) throw new Error(`no firm ${id}`);
  return seed;
};

/** The component lots of a lot that belong to `supplier`. */
function componentsFrom(cluster: ClusterSeed, firmId: string, lotId: string, supplier: string): string[] {
  return firm(cluster, firmId).lotComponents
    .filter((c) => c.lotId === lotId && c.componentFirmId === supplier)
    .map((c) => c.componentLotId);
}

const layeredTopology = (firms: number, tiers: number): ClusterTopology => generateTopology({ firms, tiers });

describe('generateTopology', () => {
  it('declares each relationship once, one tier apart', () => {
    const t = generateTopology({ firms: 30, tiers: 5 });
    const keys = t.relationships.map((r) => `${r.supplier}>${r.customer}`);
    expect(new Set(keys).size).toBe(keys.length);
    const tier = new Map(t.members.map((m) => [m.id, m.tier]));
    for (const r of t.relationships) expect((tier.get(r.supplier) ?? 0) - (tier.get(r.customer) ?? 0)).toBe(1);
  });
});

describe('generateCluster', () => {
  it('is deterministic: same seed, same data; another seed, other data', () => {
    expect(generateCluster(DEMO_TOPOLOGY)).toEqual(demo);
    expect(generateCluster(DEMO_TOPOLOGY, { seed: 7 })).not.toEqual(demo);
  });

  it('gives every member a firm seed, with the requested lots', () => {
    expect(Object.keys(demo.firms).sort()).toEqual(DEMO_TOPOLOGY.members.map((m) => m.id).sort());
    for (const seed of Object.values(demo.firms)) expect(seed.lots.length).toBeGreaterThanOrEqual(40);
    expect(demo.asOf.toISOString()).toBe('2026-12-30T00:00:00.000Z');
  });

  it('is consistent across firms (components, orders, confirmations, shipments, runs)', () => {
    expect(clusterProblems(demo, DEMO_TOPOLOGY)).toEqual([]);
  });

  it('(its consistency check does catch a dangling component)', () => {
    const broken = structuredClone(demo);
    const row = firm(broken, 'structura').lotComponents[0];
    if (row) row.componentLotId = 'precimach-L9999';
    expect(clusterProblems(broken, DEMO_TOPOLOGY)).toEqual(['structura: component lot precimach/precimach-L9999 does not exist']);
  });

  it('gives every lot of a firm with suppliers a component lot from each supplier', () => {
    for (const member of DEMO_TOPOLOGY.members) {
      const suppliers = DEMO_TOPOLOGY.relationships.filter((r) => r.customer === member.id).map((r) => r.supplier);
      for (const lot of firm(demo, member.id).lots) {
        for (const supplier of suppliers) expect(componentsFrom(demo, member.id, lot.lotId, supplier), `${lot.lotId} ← ${supplier}`).not.toEqual([]);
      }
    }
  });

  it('walks skyframe → structura → precimach → alumill from every skyframe lot', () => {
    for (const lot of firm(demo, 'skyframe').lots) {
      const chains = componentsFrom(demo, 'skyframe', lot.lotId, 'structura').flatMap((s) =>
        componentsFrom(demo, 'structura', s, 'precimach').flatMap((p) => componentsFrom(demo, 'precimach', p, 'alumill')),
      );
      expect(chains.length, lot.lotId).toBeGreaterThan(0);
    }
  });

  it('has unique, readable ids', () => {
    const keys: Array<[keyof Omit<FirmSeed, 'firmId'>, (row: never) => string]> = [
      ['parts', (r: { partId: string }) => r.partId],
      ['lots', (r: { lotId: string }) => r.lotId],
      ['bomLines', (r: { partId: string; lineNo: number }) => `${r.partId}#${r.lineNo}`],
      ['lotComponents', (r: { lotId: string; lineNo: number }) => `${r.lotId}#${r.lineNo}`],
      ['purchaseOrders', (r: { orderId: string }) => r.orderId],
      ['purchaseOrderLines', (r: { orderId: string; lineNo: number }) => `${r.orderId}#${r.lineNo}`],
      ['orderConfirmations', (r: { confirmationId: string }) => r.confirmationId],
      ['shipments', (r: { shipmentId: string }) => r.shipmentId],
      ['shipmentLots', (r: { shipmentId: string; lotId: string }) => `${r.shipmentId}#${r.lotId}`],
      ['inventoryPositions', (r: { positionId: string }) => r.positionId],
      ['productionRuns', (r: { runId: string }) => r.runId],
      ['qualityInspections', (r: { inspectionId: string }) => r.inspectionId],
      ['sensorAnomalies', (r: { anomalyId: string }) => r.anomalyId],
    ];
    for (const [table, key] of keys) {
      const ids = Object.values(demo.firms).flatMap((seed) => (seed[table] as never[]).map(key));
      expect(new Set(ids).size, table).toBe(ids.length);
    }
    const structura = firm(demo, 'structura');
    expect(structura.lots.map((l) => l.lotId)).toContain('structura-L0007');
    expect(structura.parts.map((p) => p.partId)).toContain('structura-P02');
    expect(firm(demo, 'skyframe').purchaseOrders.map((o) => o.orderId)).toContain('skyframe-PO0003');
  });

  it('includes the interesting cases: failed inspections, HIGH anomalies, every in-flight and order status', () => {
    const all = Object.values(demo.firms);
    expect(all.flatMap((s) => s.qualityInspections).some((q) => q.result === 'FAIL')).toBe(true);
    expect(all.flatMap((s) => s.sensorAnomalies).some((a) => a.severity === 'HIGH')).toBe(true);
    const shipmentStatuses = new Set(all.flatMap((s) => s.shipments.map((x) => x.status)));
    expect([...shipmentStatuses].sort()).toEqual(['DELAYED', 'DELIVERED', 'IN_TRANSIT', 'PLANNED']);
    const runStatuses = new Set(all.flatMap((s) => s.productionRuns.map((r) => r.status)));
    expect([...runStatuses].sort()).toEqual(['DONE', 'HELD', 'PLANNED', 'RUNNING']);
    const orderStatuses = new Set(all.flatMap((s) => s.purchaseOrders.map((o) => o.status)));
    for (const status of ['OPEN', 'CONFIRMED', 'DELIVERED', 'CANCELLED'] as const) expect(orderStatuses).toContain(status);
    expect(firm(demo, 'alumill').parts[0]?.name).toMatch(/Aluminium/);
  });

  it('scales to a benchmark cluster (30 firms, 5 tiers, ~10,000 lots) quickly and consistently', () => {
    const topology = layeredTopology(30, 5);
    const started = performance.now();
    const big = generateCluster(topology, { lotsPerFirm: 334 });
    const elapsed = performance.now() - started;
    const lots = Object.values(big.firms).reduce((n, s) => n + s.lots.length, 0);
    expect(lots).toBeGreaterThanOrEqual(10_000);
    expect(elapsed).toBeLessThan(5_000);
    expect(clusterProblems(big, topology)).toEqual([]);
  });

  it('copes with a cycle and rejects unknown members', () => {
    const members: MemberProfile[] = [
      { id: 'a', name: 'A', role: 'lead', tier: 0, sector: 'airframe' },
      { id: 'b', name: 'B', role: 'partner', tier: 1, sector: 'widgets' },
    ];
    const cyclic = { clusterId: 'c', members, relationships: [{ supplier: 'b', customer: 'a' }, { supplier: 'a', customer: 'b' }] };
    const seeded = generateCluster(cyclic, { lotsPerFirm: 5 });
    expect(firm(seeded, 'b').parts[0]?.name).toBe('widgets part A');
    expect(() => generateCluster({ ...cyclic, relationships: [{ supplier: 'z', customer: 'a' }] })).toThrow(/unknown member/);
  });
});
