import type { ConfigProblem } from '../config/configError.js';
import type { MemberProfile } from './directory.js';

/** A firm asking to join a cluster: its id, its tier and the members it supplies. */
export interface JoiningFirm {
  id: string;
  tier: number;
  supplies: readonly string[];
}

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Names a member id cannot take: they name the cluster's own keys (`<name>.key.pem`). */
const RESERVED_IDS: ReadonlySet<string> = new Set(['operator', 'gateway']);

/**
 * What is wrong with a firm joining a cluster, one problem per command-line option (none: it
 * may join): an id that is malformed, reserved or already a member's; a customer that is not a
 * member; a tier that is not one below each customer's (a supplier of a tier-n firm is tier n+1).
 * Pure: the members come from the registry file.
 * @example joiningFirmProblems(members, { id: 'titanforge', tier: 2, supplies: ['structura'] }) // []
 */
export function joiningFirmProblems(members: readonly MemberProfile[], firm: JoiningFirm): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!ID.test(firm.id)) problems.push({ key: '--id', message: `"${firm.id}" is not a firm id (lower-case letters, digits and dashes)` });
  else if (RESERVED_IDS.has(firm.id)) problems.push({ key: '--id', message: `"${firm.id}" names the cluster's ${firm.id} key: choose another id` });
  else if (members.some((m) => m.id === firm.id)) problems.push({ key: '--id', message: `"${firm.id}" is already a member of the cluster` });
  if (!Number.isInteger(firm.tier) || firm.tier < 1 || firm.tier > 20) {
    problems.push({ key: '--tier', message: 'expected a whole number from 1 to 20 (tier 0 is the lead firm)' });
  }
  if (firm.supplies.length === 0) problems.push({ key: '--supplies', message: 'required: the member(s) this firm supplies' });
  const known = members.map((m) => m.id).join(', ');
  for (const id of new Set(firm.supplies)) {
    const customer = members.find((m) => m.id === id);
    if (!customer) problems.push({ key: '--supplies', message: `"${id}" is not a member of the cluster (members: ${known})` });
    else if (id === firm.id) problems.push({ key: '--supplies', message: 'a firm cannot supply itself' });
    else if (Number.isInteger(firm.tier) && firm.tier !== customer.tier + 1) {
      problems.push({ key: '--tier', message: `tier ${firm.tier} does not fit: ${id} is tier ${customer.tier}, so its supplier is tier ${customer.tier + 1}` });
    }
  }
  return problems;
}
