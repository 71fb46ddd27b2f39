/** What a new firm's starter policy is written for. */
export interface StarterPolicyInput {
  firmId: string;
  /** The firm's name, for the file's heading. */
  name: string;
  /** The firms it supplies (its direct customers), for the file's heading. */
  customers: readonly string[];
}

/**
 * The access policy `dataspace init firm` writes for a new member (version 2, policies/README.md),
 * a start the firm edits to its needs. Default deny stays; it grants:
 * - its own users everything;
 * - its customers, direct or further up the chain (`any-customer`: the lead traces lots down
 *   to the mill), the lots' identity, status and genealogy, and the parts' master data
 *   without the unit cost (nor the BOM beyond one level: `bom` is the planned one);
 * - each direct customer the shipments it receives (the receipt links their lots), no one else's.
 * @example writeFileSync('titanforge.policy.yaml', starterPolicy({ firmId: 'titanforge', name: 'Titanforge', customers: ['structura'] }));
 */
export function starterPolicy(input: StarterPolicyInput): string {
  return `# ${input.name} (${input.firmId}): its own access policy, written by \`dataspace init firm\` as a start.
# ${input.firmId} supplies ${input.customers.join(', ')}. Default deny: whatever no rule below permits is
# refused, field by field. Edit it to your needs and check it with \`npx dataspace policy check <this file>\`.
version: 2
firm: ${input.firmId}
rules:
  - id: own-users-see-everything
    description: Our own users see all of our data.
    who: { relationship: [self] }
    types: "*"
    fields: "*"

  - id: customers-trace-lots
    description: >
      Our customers, direct or further up the chain (the lead traces every lot inside its
      aircraft), trace our lots: identity, status and genealogy, nothing commercial.
    who: { relationship: [any-customer] }
    types: [Lot]
    fields: [partId, part, quantity, uom, producedAt, status, components]

  - id: customers-see-part-master
    description: Part master data and the planned BOM of the lots they trace; never the unit cost.
    who: { relationship: [any-customer] }
    types: [Part]
    fields: [partNumber, name, category, uom, bom]

  - id: customers-follow-their-shipments
    description: A direct customer follows the shipments we send to it (and their lots), not those to others.
    who: { relationship: [customer] }
    types: [Shipment]
    fields: "*"
    rows:
      customerId: { eq: $caller.firm }
`;
}
