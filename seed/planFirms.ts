import type { ClusterTopology } from '../cluster/directory.js';
import type { Random } from './random.js';
import { roundQuantity, type FirmPlan, type PartPlan } from './seedModel.js';
import { sectorProfile } from './sectorProfiles.js';

const CITIES = [
  'Toulouse', 'Hamburg', 'Bremen', 'Seville', 'Getafe', 'Nantes', 'Saint-Nazaire', 'Broughton', 'Filton',
  'Stade', 'Augsburg', 'Méaulte', 'Varese', 'Pomigliano', 'Bordeaux', 'Issoire', 'Mazères', 'Figeac',
  'Rochefort', 'Marignane', 'Munich', 'Bristol', 'Turin', 'Cadiz', 'Linköping', 'Brno',
] as const;

/**
 * Builds the firms of a topology with their parts and bills of materials, and returns
 * them customers-first (every firm after all of its customers), the order in which demand
 * flows down the chain. Relationships that would close a cycle are left out of the
 * genealogy (a lot cannot contain itself); realistic topologies have none.
 *
 * @example
 * const firms = planFirms(DEMO_TOPOLOGY, createRandom(42));
 * firms[0]?.member.id; // → 'skyframe'
 */
export function planFirms(topology: ClusterTopology, random: Random): FirmPlan[] {
  const byId = new Map<string, FirmPlan>();
  for (const member of topology.members) {
    if (byId.has(member.id)) throw new Error(`Topology ${topology.clusterId}: member ${member.id} is declared twice`);
    byId.set(member.id, {
      member, profile: sectorProfile(member.sector), suppliers: [], customers: [], sites: [], parts: [],
      lots: [], shipments: [], orders: [], runs: [], inspections: [], anomalies: [],
    });
  }
  const edges = new Set<string>();
  for (const { supplier, customer } of topology.relationships) {
    const s = byId.get(supplier);
    const c = byId.get(customer);
    if (!s || !c) throw new Error(`Topology ${topology.clusterId}: relationship ${supplier} → ${customer} names an unknown member`);
    if (s === c || edges.has(`${supplier}>${customer}`)) continue;
    edges.add(`${supplier}>${customer}`);
    s.customers.push(c);
    c.suppliers.push(s);
  }
  const ordered = orderCustomersFirst([...byId.values()]);
  for (const firm of ordered) {
    firm.suppliers.sort(byFirmId);
    firm.customers.sort(byFirmId);
    const siteCount = firm.member.tier === 0 ? 2 : random.int(1, 2);
    const first = random.int(0, CITIES.length - 1);
    for (let i = 0; i < siteCount; i++) firm.sites.push(`${CITIES[(first + i * 7) % CITIES.length]} plant`);
    firm.parts = firm.profile.parts.map((template, i): PartPlan => ({
      firm,
      partId: `${firm.member.id}-P${String(i + 1).padStart(2, '0')}`,
      partNumber: `${firm.member.id.slice(0, 3).toUpperCase()}-${firm.profile.code}-${1000 + i * 10 + random.int(0, 9)}`,
      name: template.name,
      category: template.category,
      uom: template.uom,
      unitCost: template.unitCost,
      lotSize: template.lotSize,
      bom: [],
    }));
  }
  for (const firm of ordered) {
    firm.parts.forEach((part, i) => {
      firm.suppliers.forEach((supplier, lineIndex) => {
        const customerIndex = supplier.customers.indexOf(firm);
        const component = supplier.parts[(i + customerIndex) % supplier.parts.length];
        if (!component) return;
        part.bom.push({ lineNo: lineIndex + 1, component, quantityPer: quantityPer(component, random) });
      });
    });
  }
  return ordered;
}

function quantityPer(component: PartPlan, random: Random): number {
  switch (component.uom) {
    case 'pcs': return random.int(1, 6);
    case 'kg': return roundQuantity(random.float(0.8, 18), 'kg');
    case 'm2': return roundQuantity(random.float(0.05, 0.6), 'm2');
    case 'm': return roundQuantity(random.float(2, 40), 'm');
  }
}

function byFirmId(a: FirmPlan, b: FirmPlan): number {
  return a.member.id < b.member.id ? -1 : a.member.id > b.member.id ? 1 : 0;
}

/**
 * Kahn's algorithm over "customer before supplier", ties broken by tier then id. When only
 * cycles remain, the lowest-tier firm goes next and its links to the customers still
 * waiting are cut.
 */
function orderCustomersFirst(firms: FirmPlan[]): FirmPlan[] {
  const rank = (a: FirmPlan, b: FirmPlan) => a.member.tier - b.member.tier || byFirmId(a, b);
  const waiting = new Map(firms.map((firm) => [firm, new Set(firm.customers)]));
  const done: FirmPlan[] = [];
  while (waiting.size > 0) {
    const pending = [...waiting.keys()].sort(rank);
    let next = pending.find((firm) => waiting.get(firm)?.size === 0);
    if (!next) {
      next = pending[0] as FirmPlan;
      for (const customer of waiting.get(next) ?? []) {
        next.customers = next.customers.filter((c) => c !== customer);
        customer.suppliers = customer.suppliers.filter((s) => s !== next);
      }
    }
    waiting.delete(next);
    done.push(next);
    for (const supplier of next.suppliers) waiting.get(supplier)?.delete(next);
  }
  return done;
}
