import type { Relationship } from '../cluster/relationship.js';
import { ANALYTICS_ROLE } from './analyticsRole.js';
import type { WhoCondition } from './policyFile.js';

/**
 * Whether a rule's `who` holds for a caller: every given condition, any entry of each.
 * `roles: undefined` ignores the roles condition (reciprocity asks about a whole firm). A
 * caller with the `analytics` role (a tool) is matched only by rules that name that role.
 * @example whoMatches({ relationship: ['customer'] }, 'skyframe', ['planner'], ['customer', 'member']) // true
 */
export function whoMatches(
  who: WhoCondition,
  callerFirm: string,
  roles: readonly string[] | undefined,
  relationships: readonly Relationship[],
): boolean {
  if (who.relationship && !who.relationship.some((r) => relationships.includes(r))) return false;
  if (who.firms && !who.firms.includes(callerFirm)) return false;
  if (roles && who.roles && !who.roles.some((r) => roles.includes(r))) return false;
  // A tool's token is matched only by rules written for tools (policies/analyticsRole.ts).
  if (roles?.includes(ANALYTICS_ROLE) && !who.roles?.includes(ANALYTICS_ROLE)) return false;
  return true;
}

/**
 * The relationships a decision may use: `self` alone when the caller is the owner (`member`
 * and the others never hold for the owner), never `self` otherwise, whatever the request says.
 * @example effectiveRelationships('structura', 'structura', ['self', 'member']) // ['self']
 */
export function effectiveRelationships(owner: string, callerFirm: string, relationships: readonly Relationship[]): Relationship[] {
  return callerFirm === owner ? ['self'] : relationships.filter((r) => r !== 'self');
}
