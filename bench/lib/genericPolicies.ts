import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A generic version-2 policy for a generated firm: its own users see everything; every
 * customer up the chain (`any-customer`) and the lead trace its lots (all fields, with
 * inspection results), see its part master without the unit cost, and follow the shipments
 * addressed to them. The lead's own policy has no lead rule (a rule naming the owner in
 * `firms` without `self` is refused).
 */
export function genericPolicy(firmId: string, leadId: string): string {
  const traceRules = (id: string, who: string): string => `
  - id: ${id}-trace-lots
    description: Trace our lots, their genealogy and inspection results.
    who: ${who}
    types: [Lot, QualityInspection]
    fields: "*"

  - id: ${id}-see-part-master
    description: Part master data and BOM; never the unit cost.
    who: ${who}
    types: [Part]
    fields: "*"
    exceptFields: [unitCost]
`;
  return `# Generated for a benchmark: a generic policy of firm ${firmId}.
version: 2
firm: ${firmId}
rules:
  - id: own-users-see-everything
    description: Our own users see all of our data.
    who: { relationship: [self] }
    types: "*"
    fields: "*"
${traceRules('chain', '{ relationship: [any-customer] }')}
  - id: customers-track-their-shipments
    description: A customer up the chain follows the shipments we send to it.
    who: { relationship: [any-customer] }
    types: [Shipment]
    fields: "*"
    rows:
      customerId: { eq: $caller.firm }
${firmId === leadId ? '' : traceRules('lead', `{ firms: [${leadId}] }`)}`;
}

/** Writes {@link genericPolicy} for every firm to a fresh temporary folder; returns `policyFileFor`. */
export function writeGenericPolicies(firmIds: readonly string[], leadId: string): (firmId: string) => string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-policies-'));
  const files = new Map<string, string>();
  for (const id of firmIds) {
    const file = join(dir, `${id}.yaml`);
    writeFileSync(file, genericPolicy(id, leadId));
    files.set(id, file);
  }
  return (firmId) => {
    const file = files.get(firmId);
    if (!file) throw new Error(`no generated policy for ${firmId}`);
    return file;
  };
}
