import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { relationshipsOf } from '../../../cluster/relationship.js';
import { DEMO_TOPOLOGY } from '../../../demo/topology.js';
import { aggregateAccess } from '../../../policies/aggregateAccess.js';
import { releaseTable } from '../../../policies/aggregateRelease.js';
import { aggregateScope } from '../../../policies/aggregateScope.js';
import { catalogOffers } from '../../../policies/catalogOffers.js';
import { decide } from '../../../policies/decide.js';
import { decideAccess } from '../../../policies/decideAccess.js';
import { effectivePolicy } from '../../../policies/effectivePolicy.js';
import { fieldAccess, type FieldAccess } from '../../../policies/fieldAccess.js';
import { grantsReciprocally } from '../../../policies/grantsReciprocally.js';
import { loadClusterTerms } from '../../../policies/loadClusterTerms.js';
import { loadPolicyFile } from '../../../policies/loadPolicyFile.js';
import type { EffectivePolicy, PolicyDocument } from '../../../policies/policyFile.js';
import type { TypeDecision } from '../../../policies/typeDecision.js';
import { caller, model, NOW } from './policyFixtures.js';

const FIRMS = DEMO_TOPOLOGY.members.map((m) => m.id);
const RELS = DEMO_TOPOLOGY.relationships;
const path = (rel: string): string => fileURLToPath(new URL(`../../../demo/${rel}`, import.meta.url));
const terms = loadClusterTerms(path('clusterTerms.yaml'), { model, file: 'demo/clusterTerms.yaml', now: NOW });
const PURPOSES = terms.purposes.map((p) => p.id);
const documents = new Map<string, PolicyDocument>(
  FIRMS.map((firm) => [
    firm,
    loadPolicyFile(path(`policies/${firm}.yaml`), { file: `demo/policies/${firm}.yaml`, model, expectedFirm: firm, knownFirms: FIRMS, purposes: PURPOSES, now: NOW }),
  ]),
);
const policies = new Map<string, EffectivePolicy>([...documents].map(([firm, doc]) => [firm, effectivePolicy(doc, terms, [])]));

function policyOf(firm: string): EffectivePolicy {
  const p = policies.get(firm);
  if (!p) throw new Error(`no policy for ${firm}`);
  return p;
}

/** The decision of `owner`'s demo policy (with the demo terms) for a user of `callerFirm`; reciprocity from the caller's published policy. */
function at(owner: string, callerFirm: string, type: string, roles: string[] = ['planner'], purpose?: string, now = NOW): TypeDecision {
  const c = caller(callerFirm, roles);
  if (purpose) c.purpose = purpose;
  return decideAccess(policyOf(owner), model, {
    caller: c,
    relationships: relationshipsOf(RELS, callerFirm, owner),
    type,
    now,
    reciprocity: (types) => grantsReciprocally(policyOf(callerFirm), model, owner, relationshipsOf(RELS, owner, callerFirm), types, now),
  });
}

const ALL_ROLES = ['planner', 'quality', 'logistics', 'analyst', 'admin'];

/** Allowed, and not coarsened. */
const exact = (access: FieldAccess): boolean => access.allowed && access.coarsen === undefined;

describe('demo cluster terms and policies', () => {
  it('the terms and all seven policies load and validate (purposes, members, windows) against the real model', () => {
    expect(FIRMS).toEqual(['skyframe', 'structura', 'avionix', 'precimach', 'circuitra', 'alumill', 'cuprum']);
    expect(PURPOSES).toEqual(['planning', 'logistics', 'quality-investigation', 'traceability', 'benchmarking', 'sustainability-reporting']);
    expect(terms.rules.map((r) => r.id)).toEqual(['cluster:suppliers-share-shipment-status', 'cluster:no-unit-costs']);
    for (const firm of FIRMS) expect(documents.get(firm)?.version, firm).toBe(firm === 'skyframe' ? 1 : 2);
  });

  it('every firm\'s own users see every field of every type, all rows, exactly (no prohibition reaches them)', () => {
    for (const firm of FIRMS) {
      for (const [name, type] of Object.entries(model.types)) {
        const d = at(firm, firm, name, []);
        expect(d.rowFilter).toBeNull();
        expect(d.denials).toEqual([]);
        expect([...d.visibleFields].sort()).toEqual([...type.fields].sort());
      }
    }
  });

  it('nobody but the owner ever sees Part.unitCost: the cluster prohibition, whatever the roles and purpose', () => {
    for (const owner of FIRMS) {
      for (const other of FIRMS.filter((f) => f !== owner)) {
        for (const purpose of [undefined, ...PURPOSES]) {
          const d = at(owner, other, 'Part', ALL_ROLES, purpose);
          expect(d.visibleFields.has('unitCost')).toBe(false);
          expect(d.matchedRules).toContain('cluster:no-unit-costs');
        }
        // and no firm rule grants it either (the v1 path, without the terms)
        const doc = documents.get(owner);
        if (doc) expect(decide(doc, model, { caller: caller(other, ALL_ROLES), relationships: relationshipsOf(RELS, other, owner), type: 'Part' }).visibleFields.has('unitCost')).toBe(false);
      }
    }
  });

  it('the genealogy walk skyframe→structura→precimach→alumill needs no purpose: lots, status, dates, parts, components exact', () => {
    const lot = { firmId: 'x', lotId: 'x-L1', status: 'CONSUMED', producedAt: '2026-11-20T08:00:00Z' };
    for (const owner of ['structura', 'precimach', 'alumill', 'avionix', 'circuitra', 'cuprum']) {
      const lots = at(owner, 'skyframe', 'Lot');
      expect(lots.rowFilter, owner).toBeNull();
      for (const f of ['firmId', 'lotId', 'status', 'producedAt', 'part', 'components']) expect(exact(fieldAccess(lots, f, lot)), `${owner} Lot.${f}`).toBe(true);
      expect(fieldAccess(at(owner, 'skyframe', 'Part'), 'name', {}), owner).toMatchObject({ allowed: true });
    }
    expect(at('alumill', 'skyframe', 'Lot').visibleFields.has('inspections')).toBe(false);
  });

  it('each direct customer traces its supplier\'s lots, components and parts', () => {
    for (const { supplier, customer } of RELS) {
      const lots = at(supplier, customer, 'Lot');
      expect(lots.rowFilter, `${customer} at ${supplier}`).toBeNull();
      for (const f of ['lotId', 'partId', 'part', 'components', 'quantity', 'status']) expect(lots.visibleFields.has(f), `${supplier} Lot.${f}`).toBe(true);
      for (const f of ['partNumber', 'name', 'bom']) expect(at(supplier, customer, 'Part').visibleFields.has(f), `${supplier} Part.${f}`).toBe(true);
    }
  });

  it('alumill grants the lead no QualityInspection rows, whatever the purpose (analysts get statistics only)', () => {
    for (const purpose of [undefined, ...PURPOSES]) expect(at('alumill', 'skyframe', 'QualityInspection', ALL_ROLES, purpose).rowFilter).toBe('none');
    const stats = at('alumill', 'skyframe', 'QualityInspection', ['analyst'], 'benchmarking');
    const scope = decideAccess(aggregateScope(policyOf('alumill')), model, { caller: caller('skyframe'), relationships: relationshipsOf(RELS, 'skyframe', 'alumill'), type: 'QualityInspection', now: NOW });
    expect(aggregateAccess(stats, releaseTable(scope), { groupBy: ['characteristic'], measures: [{ fn: 'avg', field: 'value' }, { fn: 'count' }] })).toEqual({
      allowed: true,
      minGroupSize: 5,
      rowFilter: null,
      cells: { groupBy: ['characteristic', 'unit', 'result'], hiddenKeys: [] },
      rules: ['analysts-benchmark-inspections'],
    });
    expect(at('alumill', 'skyframe', 'QualityInspection', ['planner'], 'benchmarking').aggregates).toEqual([]);
    expect(at('alumill', 'skyframe', 'QualityInspection', ['analyst']).skippedRules.map((s) => s.ruleId)).toEqual(['analysts-benchmark-inspections']);
  });

  it('a tier-3 firm sees no lot of structura; structura sees only its own shipments and confirmations at precimach', () => {
    expect(at('structura', 'alumill', 'Lot', ALL_ROLES).rowFilter).toBe('none');
    const d = at('precimach', 'structura', 'Shipment', ALL_ROLES);
    expect(d.rowFilter).toEqual({ kind: 'cmp', field: 'customerId', op: 'eq', value: 'structura' });
    expect(fieldAccess(d, 'eta', { firmId: 'precimach', shipmentId: 'sh1', customerId: 'structura' }).allowed).toBe(true);
    expect(fieldAccess(d, 'eta', { firmId: 'precimach', shipmentId: 'sh2', customerId: 'avionix' }).allowed).toBe(false);
    expect(at('precimach', 'structura', 'OrderConfirmation').rowFilter).toEqual({ kind: 'cmp', field: 'buyerId', op: 'eq', value: 'structura' });
  });

  it('baseline: every supplier shows each direct customer, any role, the status of its shipments to it', () => {
    for (const { supplier, customer } of RELS) {
      for (const role of ALL_ROLES) {
        const d = at(supplier, customer, 'Shipment', [role]);
        expect(d.rowFilter, `${customer} at ${supplier} as ${role}`).toEqual({ kind: 'cmp', field: 'customerId', op: 'eq', value: customer });
        for (const f of ['status', 'eta', 'shippedAt', 'deliveredAt']) expect(d.visibleFields.has(f)).toBe(true);
      }
    }
    // new for alumill's customer: an analyst now gets the status, still not the carrier
    const analyst = at('alumill', 'precimach', 'Shipment', ['analyst']);
    expect(analyst.matchedRules).toEqual(['cluster:suppliers-share-shipment-status']);
    expect(analyst.visibleFields.has('carrier')).toBe(false);
    expect(at('precimach', 'skyframe', 'Shipment').rowFilter).toBe('none');
  });

  it('inspections need a purpose (quality-investigation or traceability) at the firms that share them', () => {
    for (const [owner, customer] of [['structura', 'skyframe'], ['avionix', 'skyframe'], ['precimach', 'structura'], ['circuitra', 'avionix'], ['cuprum', 'circuitra']] as const) {
      expect(at(owner, customer, 'QualityInspection', ['quality']).rowFilter, owner).toBe('none');
      expect(at(owner, customer, 'QualityInspection', ['quality'], 'planning').rowFilter, owner).toBe('none');
      expect(at(owner, customer, 'QualityInspection', ['quality'], 'quality-investigation').rowFilter, owner).toBeNull();
      expect(at(owner, customer, 'QualityInspection', ['planner'], 'traceability').rowFilter, owner).toBeNull();
      expect(at(owner, customer, 'QualityInspection', ['logistics'], 'traceability').rowFilter, owner).toBe('none');
    }
  });

  it('avionix: planned runs for customer planners during the ramp-up campaign only', () => {
    const started = { kind: 'cmp', field: 'status', op: 'in', value: ['RUNNING', 'HELD', 'DONE'] };
    expect(at('avionix', 'skyframe', 'ProductionRun', ['planner'], 'planning').rowFilter).toBeNull();
    expect(at('avionix', 'skyframe', 'ProductionRun', ['planner']).rowFilter).toEqual(started);
    expect(at('avionix', 'skyframe', 'ProductionRun', ['planner'], 'planning', new Date('2030-01-01T00:00:00Z')).rowFilter).toEqual(started);
    expect(at('avionix', 'skyframe', 'ProductionRun', ['planner'], 'planning', new Date('2030-01-01T00:00:00Z')).skippedRules).toEqual([
      { ruleId: 'ramp-up-campaign-planned-runs', reason: 'expired at 2030-01-01T00:00:00.000Z' },
    ]);
    // the line stays internal: not granted, and prohibited whatever avionix grants on request
    expect(at('avionix', 'skyframe', 'ProductionRun', ['planner'], 'planning').visibleFields.has('line')).toBe(false);
    expect(at('avionix', 'skyframe', 'ProductionRun').matchedRules).toContain('no-line-assignments');
  });

  it('avionix shares its production plan with a supplier only while the supplier shares its runs (give to get)', () => {
    const d = at('avionix', 'circuitra', 'ProductionRun', ['planner'], 'planning');
    expect(d.matchedRules).toContain('suppliers-see-our-production-give-to-get');
    expect(grantsReciprocally(policyOf('circuitra'), model, 'avionix', relationshipsOf(RELS, 'avionix', 'circuitra'), ['ProductionRun'], NOW)).toBe(true);
    // if circuitra stopped sharing its runs, avionix would stop too
    const circuitra = documents.get('circuitra');
    if (!circuitra) throw new Error('no circuitra');
    const stingy = effectivePolicy({ ...circuitra, rules: circuitra.rules.filter((r) => !r.types.includes('ProductionRun') || r.who.relationship?.includes('self')) }, terms, []);
    expect(grantsReciprocally(stingy, model, 'avionix', relationshipsOf(RELS, 'avionix', 'circuitra'), ['ProductionRun'], NOW)).toBe(false);
    const c = caller('circuitra', ['planner']);
    c.purpose = 'planning';
    const refused = decideAccess(policyOf('avionix'), model, {
      caller: c,
      relationships: relationshipsOf(RELS, 'circuitra', 'avionix'),
      type: 'ProductionRun',
      now: NOW,
      reciprocity: (types) => grantsReciprocally(stingy, model, 'avionix', relationshipsOf(RELS, 'avionix', 'circuitra'), types, NOW),
    });
    expect(refused.rowFilter).toBe('none');
    expect(refused.skippedRules[0]?.reason).toBe('reciprocity not met: needs circuitra to grant avionix ProductionRun in return');
  });

  it('precimach: every member planning sees its stock and lot output coarsened; its customers exactly', () => {
    const stock = at('precimach', 'cuprum', 'InventoryPosition', ['planner'], 'planning');
    expect(fieldAccess(stock, 'onHand', {})).toEqual({ allowed: true, coarsen: { step: 50 }, rules: ['members-plan-with-coarse-stock'] });
    expect(fieldAccess(stock, 'updatedAt', {})).toMatchObject({ coarsen: { to: 'week' } });
    expect(fieldAccess(stock, 'allocated', {}).allowed).toBe(false);
    expect(at('precimach', 'cuprum', 'InventoryPosition', ['planner']).rowFilter).toBe('none');
    expect(fieldAccess(at('precimach', 'structura', 'InventoryPosition', ['planner'], 'planning'), 'onHand', {})).toEqual({
      allowed: true,
      rules: ['customers-see-on-hand-stock', 'members-plan-with-coarse-stock'],
    });
    const lots = at('precimach', 'cuprum', 'Lot', ['planner'], 'planning');
    expect(fieldAccess(lots, 'producedAt', {})).toMatchObject({ coarsen: { to: 'week' } });
    expect(fieldAccess(lots, 'quantity', {})).toMatchObject({ coarsen: { step: 50 } });
    expect(fieldAccess(lots, 'components', {}).allowed).toBe(false);
    // the lead's traceability grant gives producedAt exactly: a full grant wins
    expect(exact(fieldAccess(at('precimach', 'skyframe', 'Lot', ['planner'], 'planning'), 'producedAt', {}))).toBe(true);
  });

  it('cuprum: every firm above it in the chain traces its lots (any-customer); others do not', () => {
    for (const above of ['circuitra', 'avionix', 'skyframe']) expect(at('cuprum', above, 'Lot').rowFilter, above).toBeNull();
    expect(at('cuprum', 'avionix', 'Lot').matchedRules).toEqual(['chain-traces-lot-genealogy']);
    for (const other of ['structura', 'precimach', 'alumill']) expect(at('cuprum', other, 'Lot').rowFilter, other).toBe('none');
  });

  it('the lead traces lots below tier 1 and nothing commercial', () => {
    for (const owner of ['precimach', 'circuitra', 'alumill', 'cuprum']) {
      const lots = at(owner, 'skyframe', 'Lot');
      expect(lots.visibleFields.has('components')).toBe(true);
      expect(lots.visibleFields.has('inspections')).toBe(false);
      expect(lots.visibleFields.has('productionRun')).toBe(false);
      expect(at(owner, 'skyframe', 'Shipment').rowFilter).toBe('none');
    }
  });

  it('stock as on-hand counts; production progress without the line; anomalies for customer quality', () => {
    expect([...at('structura', 'skyframe', 'InventoryPosition').visibleFields].sort()).toEqual(['firmId', 'onHand', 'part', 'partId', 'positionId', 'site', 'updatedAt']);
    expect(at('structura', 'skyframe', 'ProductionRun').visibleFields.has('line')).toBe(false);
    expect(at('structura', 'skyframe', 'SensorAnomaly', ['planner']).rowFilter).toBe('none');
    expect(at('structura', 'skyframe', 'SensorAnomaly', ['quality']).rowFilter).toEqual({ kind: 'cmp', field: 'severity', op: 'eq', value: 'HIGH' });
    expect(at('skyframe', 'structura', 'PurchaseOrder').rowFilter).toEqual({ kind: 'cmp', field: 'supplierId', op: 'eq', value: 'structura' });
    expect(at('structura', 'skyframe', 'PurchaseOrder').rowFilter).toBe('none');
  });

  it('keeps every firm\'s raw sensor readings with its own users; circuitra and precimach show customer quality their SPC signals', () => {
    for (const owner of FIRMS) {
      expect(at(owner, owner, 'SensorReading', ['planner']).rowFilter, owner).toBeNull();
      for (const other of FIRMS.filter((f) => f !== owner)) {
        for (const roles of [['quality'], ['planner'], ['admin'], ['analyst']]) expect(at(owner, other, 'SensorReading', roles).rowFilter, `${owner} to ${other}`).toBe('none');
      }
    }
    const spc = { kind: 'cmp', field: 'method', op: 'in', value: ['EWMA', 'CUSUM', 'WESTERN_ELECTRIC'] };
    expect(JSON.stringify(at('circuitra', 'avionix', 'SensorAnomaly', ['quality']).rowFilter)).toContain(JSON.stringify(spc));
    expect(JSON.stringify(at('precimach', 'structura', 'SensorAnomaly', ['quality']).rowFilter)).toContain(JSON.stringify(spc));
    expect(at('circuitra', 'avionix', 'SensorAnomaly', ['planner']).rowFilter).toBe('none');
  });

  it('every firm\'s catalog lists the cluster baseline first, then its own offers', () => {
    for (const firm of FIRMS) {
      const offers = catalogOffers(policyOf(firm));
      expect(offers[0]?.ruleId).toBe('cluster:suppliers-share-shipment-status');
      expect(offers.some((o) => o.origin === 'firm')).toBe(true);
      expect(offers.some((o) => o.ruleId === 'cluster:no-unit-costs')).toBe(false);
    }
  });
});
