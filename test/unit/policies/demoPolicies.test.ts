import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { relationshipsOf } from '../../../cluster/relationship.js';
import { DEMO_TOPOLOGY } from '../../../demo/topology.js';
import { decide, fieldAllowed, type TypeDecision } from '../../../policies/decide.js';
import { loadPolicyFile } from '../../../policies/loadPolicyFile.js';
import type { PolicyDocument } from '../../../policies/policyFile.js';
import { caller, model } from './policyFixtures.js';

const FIRMS = DEMO_TOPOLOGY.members.map((m) => m.id);
const policies = new Map<string, PolicyDocument>(
  FIRMS.map((firm) => [
    firm,
    loadPolicyFile(fileURLToPath(new URL(`../../../demo/policies/${firm}.yaml`, import.meta.url)), {
      file: `demo/policies/${firm}.yaml`,
      model,
      expectedFirm: firm,
      knownFirms: FIRMS,
    }),
  ]),
);

/** The decision of `owner`'s demo policy for a user of `callerFirm` with roles. */
function at(owner: string, callerFirm: string, type: string, roles: string[] = ['planner']): TypeDecision {
  const policy = policies.get(owner);
  if (!policy) throw new Error(`no policy for ${owner}`);
  return decide(policy, model, {
    caller: caller(callerFirm, roles),
    relationships: relationshipsOf(DEMO_TOPOLOGY.relationships, callerFirm, owner),
    type,
  });
}

describe('demo policies', () => {
  it('all seven load and validate against the real data model', () => {
    expect(FIRMS).toEqual(['skyframe', 'structura', 'avionix', 'precimach', 'circuitra', 'alumill', 'cuprum']);
    for (const firm of FIRMS) expect(policies.get(firm)?.firm).toBe(firm);
  });

  it('every firm\'s own users see every field of every type, all rows', () => {
    for (const firm of FIRMS) {
      for (const [name, type] of Object.entries(model.types)) {
        const d = at(firm, firm, name, []);
        expect(d.rowFilter).toBeNull();
        expect([...d.visibleFields].sort()).toEqual([...type.fields].sort());
      }
    }
  });

  it('nobody but the owner ever sees Part.unitCost', () => {
    for (const owner of FIRMS) {
      for (const other of FIRMS.filter((f) => f !== owner)) {
        expect(at(owner, other, 'Part', ['planner', 'quality', 'logistics', 'analyst', 'admin']).visibleFields.has('unitCost')).toBe(false);
      }
    }
  });

  it('the 4-tier genealogy walk: each customer sees its supplier\'s lots, components and parts', () => {
    for (const [owner, customer] of [['structura', 'skyframe'], ['precimach', 'structura'], ['alumill', 'precimach'], ['avionix', 'skyframe'], ['circuitra', 'avionix'], ['cuprum', 'circuitra'], ['precimach', 'avionix']] as const) {
      const lots = at(owner, customer, 'Lot');
      expect(lots.rowFilter, `${customer} at ${owner}`).toBeNull();
      for (const f of ['lotId', 'partId', 'part', 'components', 'quantity', 'status']) expect(lots.visibleFields.has(f), `${owner} Lot.${f}`).toBe(true);
      const parts = at(owner, customer, 'Part');
      for (const f of ['partNumber', 'name', 'bom']) expect(parts.visibleFields.has(f), `${owner} Part.${f}`).toBe(true);
    }
  });

  it('a firm that is not a direct customer does not see the lots', () => {
    expect(at('alumill', 'structura', 'Lot').rowFilter).toBe('none');
    expect(at('cuprum', 'avionix', 'Lot').rowFilter).toBe('none');
    // precimach publishes its catalogue to every member, without BOM
    const catalogue = at('precimach', 'circuitra', 'Part');
    expect(catalogue.matchedRules).toContain('members-browse-catalogue');
    expect(catalogue.visibleFields.has('bom')).toBe(false);
  });

  it('the lead traces lots below tier 1 (identity, status, genealogy) and nothing commercial', () => {
    for (const owner of ['precimach', 'circuitra', 'alumill', 'cuprum']) {
      const lots = at(owner, 'skyframe', 'Lot');
      expect(lots.matchedRules, owner).toEqual(['lead-traces-lot-genealogy']);
      expect(lots.visibleFields.has('components')).toBe(true);
      expect(lots.visibleFields.has('inspections')).toBe(false);
      expect(lots.visibleFields.has('productionRun')).toBe(false);
      expect(at(owner, 'skyframe', 'Part').visibleFields.has('unitCost')).toBe(false);
      expect(at(owner, 'skyframe', 'Shipment').rowFilter).toBe('none');
    }
    const catalogue = at('precimach', 'skyframe', 'Part');
    expect(catalogue.matchedRules).toEqual(['members-browse-catalogue', 'lead-sees-what-part-a-lot-is']);
    expect(catalogue.visibleFields.has('partNumber')).toBe(true);
    expect(catalogue.visibleFields.has('bom')).toBe(false);
  });

  it('structura sees only its own shipments and confirmations at precimach', () => {
    const d = at('precimach', 'structura', 'Shipment');
    expect(d.rowFilter).toEqual({ kind: 'cmp', field: 'customerId', op: 'eq', value: 'structura' });
    expect(fieldAllowed(d, 'eta', { firmId: 'precimach', shipmentId: 'sh1', customerId: 'structura' })).toBe(true);
    expect(fieldAllowed(d, 'eta', { firmId: 'precimach', shipmentId: 'sh2', customerId: 'avionix' })).toBe(false);
    expect(at('precimach', 'structura', 'OrderConfirmation').rowFilter).toEqual({ kind: 'cmp', field: 'buyerId', op: 'eq', value: 'structura' });
  });

  it('stock as on-hand counts only; production progress without the line', () => {
    const stock = at('structura', 'skyframe', 'InventoryPosition');
    expect([...stock.visibleFields].sort()).toEqual(['firmId', 'onHand', 'part', 'partId', 'positionId', 'site', 'updatedAt']);
    const runs = at('structura', 'skyframe', 'ProductionRun');
    expect(runs.visibleFields.has('line')).toBe(false);
    for (const f of ['status', 'plannedQuantity', 'doneQuantity']) expect(runs.visibleFields.has(f)).toBe(true);
    // avionix shows runs once started only
    expect(at('avionix', 'skyframe', 'ProductionRun').rowFilter).toEqual({ kind: 'cmp', field: 'status', op: 'in', value: ['RUNNING', 'HELD', 'DONE'] });
  });

  it('inspections for customer planners and quality; high anomalies for customer quality only', () => {
    expect(at('structura', 'skyframe', 'QualityInspection', ['quality']).rowFilter).toBeNull();
    expect(at('structura', 'skyframe', 'QualityInspection', ['logistics']).rowFilter).toBe('none');
    expect(at('structura', 'skyframe', 'SensorAnomaly', ['planner']).rowFilter).toBe('none');
    const anomalies = at('structura', 'skyframe', 'SensorAnomaly', ['quality']);
    expect(anomalies.rowFilter).toEqual({ kind: 'cmp', field: 'severity', op: 'eq', value: 'HIGH' });
    expect(fieldAllowed(anomalies, 'value', { firmId: 'structura', anomalyId: 'a1', severity: 'LOW' })).toBe(false);
    expect(fieldAllowed(anomalies, 'value', { firmId: 'structura', anomalyId: 'a2', severity: 'HIGH' })).toBe(true);
    // circuitra also shares medium anomalies on its reflow ovens
    const reflow = at('circuitra', 'avionix', 'SensorAnomaly', ['quality']);
    expect(fieldAllowed(reflow, 'value', { firmId: 'circuitra', anomalyId: 'a3', severity: 'MEDIUM', metric: 'reflow-temperature' })).toBe(true);
    expect(fieldAllowed(reflow, 'value', { firmId: 'circuitra', anomalyId: 'a4', severity: 'MEDIUM', metric: 'spindle-load' })).toBe(false);
  });

  it('the lead shares its demand with its tier-1s, each its own orders; buyers with the supplier on the order', () => {
    expect(at('skyframe', 'structura', 'PurchaseOrder').rowFilter).toEqual({ kind: 'cmp', field: 'supplierId', op: 'eq', value: 'structura' });
    expect(at('skyframe', 'avionix', 'PurchaseOrder').rowFilter).toEqual({ kind: 'cmp', field: 'supplierId', op: 'eq', value: 'avionix' });
    expect(at('skyframe', 'precimach', 'PurchaseOrder').rowFilter).toBe('none');
    expect(at('structura', 'precimach', 'PurchaseOrder').rowFilter).toEqual({ kind: 'cmp', field: 'supplierId', op: 'eq', value: 'precimach' });
    expect(at('precimach', 'alumill', 'PurchaseOrder').rowFilter).toEqual({ kind: 'cmp', field: 'supplierId', op: 'eq', value: 'alumill' });
    // a customer does not see its supplier's purchase orders
    expect(at('structura', 'skyframe', 'PurchaseOrder').rowFilter).toBe('none');
  });

  it('alumill is stricter: no inspections, runs, stock; shipments without carrier, for some roles', () => {
    for (const type of ['QualityInspection', 'ProductionRun', 'InventoryPosition', 'SensorAnomaly', 'OrderConfirmation']) {
      expect(at('alumill', 'precimach', type, ['planner', 'quality']).rowFilter, type).toBe('none');
    }
    const lots = at('alumill', 'precimach', 'Lot');
    expect(lots.visibleFields.has('inspections')).toBe(false);
    expect(lots.visibleFields.has('components')).toBe(true);
    const shipments = at('alumill', 'precimach', 'Shipment', ['logistics']);
    expect(shipments.visibleFields.has('carrier')).toBe(false);
    expect(shipments.rowFilter).toEqual({ kind: 'cmp', field: 'customerId', op: 'eq', value: 'precimach' });
    expect(at('alumill', 'precimach', 'Shipment', ['analyst']).rowFilter).toBe('none');
    // where structura, for one, shares its inspections with its customer
    expect(at('structura', 'skyframe', 'Lot').visibleFields.has('inspections')).toBe(true);
  });
});
