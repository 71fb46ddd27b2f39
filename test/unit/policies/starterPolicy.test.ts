import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { relationshipsOf } from '../../../cluster/relationship.js';
import { DEMO_TOPOLOGY } from '../../../demo/topology.js';
import { decideAccess } from '../../../policies/decideAccess.js';
import { effectivePolicy } from '../../../policies/effectivePolicy.js';
import { loadClusterTerms } from '../../../policies/loadClusterTerms.js';
import { loadPolicyFile } from '../../../policies/loadPolicyFile.js';
import { starterPolicy } from '../../../policies/starterPolicy.js';
import type { TypeDecision } from '../../../policies/typeDecision.js';
import { caller, model, NOW } from './policyFixtures.js';

const RELS = [...DEMO_TOPOLOGY.relationships, { supplier: 'titanforge', customer: 'structura' }];
const terms = loadClusterTerms(fileURLToPath(new URL('../../../demo/clusterTerms.yaml', import.meta.url)), { model, now: NOW });
const dir = mkdtempSync(join(tmpdir(), 'starter-policy-'));
const file = join(dir, 'titanforge.policy.yaml');
writeFileSync(file, starterPolicy({ firmId: 'titanforge', name: 'Titanforge Forgings', customers: ['structura'] }));
const document = loadPolicyFile(file, { model, now: NOW, expectedFirm: 'titanforge', purposes: terms.purposes.map((p) => p.id) });
const policy = effectivePolicy(document, terms, []);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const at = (callerFirm: string, type: string): TypeDecision =>
  decideAccess(policy, model, { caller: caller(callerFirm, ['planner']), relationships: relationshipsOf(RELS, callerFirm, 'titanforge'), type, now: NOW });

describe("the starter policy of a firm that joins (titanforge, supplies structura)", () => {
  it('loads against the demo terms, as `policy check` does', () => {
    expect(document.rules.map((r) => r.id)).toEqual(['own-users-see-everything', 'customers-trace-lots', 'customers-see-part-master', 'customers-follow-their-shipments']);
  });

  it('its own users see every field of every type, every row', () => {
    for (const [name, type] of Object.entries(model.types)) {
      const d = at('titanforge', name);
      expect(d.rowFilter, name).toBeNull();
      expect([...d.visibleFields].sort(), name).toEqual([...type.fields].sort());
    }
  });

  it('the direct customer and the lead above it trace its lots and see its parts, never the unit cost', () => {
    for (const customer of ['structura', 'skyframe']) {
      const lots = at(customer, 'Lot');
      expect(lots.rowFilter, customer).toBeNull();
      for (const f of ['lotId', 'partId', 'part', 'status', 'components']) expect(lots.visibleFields.has(f), `${customer} Lot.${f}`).toBe(true);
      const parts = at(customer, 'Part');
      expect(parts.visibleFields.has('name')).toBe(true);
      expect(parts.visibleFields.has('unitCost')).toBe(false);
    }
  });

  it('a direct customer sees only the shipments sent to it; the lead above and other members none', () => {
    expect(at('structura', 'Shipment').rowFilter).not.toBe('none');
    expect(at('structura', 'Shipment').visibleFields.has('lots')).toBe(true);
    expect(at('skyframe', 'Shipment').rowFilter).toBe('none');
    for (const other of ['avionix', 'precimach', 'alumill']) {
      for (const type of Object.keys(model.types)) expect(at(other, type).rowFilter, `${other} ${type}`).toBe('none');
    }
  });
});
