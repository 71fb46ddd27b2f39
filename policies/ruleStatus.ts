import type { Caller } from '../identity/caller.js';
import type { Relationship } from '../cluster/relationship.js';
import type { PolicyRule } from './policyFile.js';
import { whoMatches } from './whoMatches.js';

/** Whether a rule bears on a request: it does not name the caller, applies, or is skipped (why). */
export type RuleStatus = { kind: 'unrelated' } | { kind: 'applies' } | { kind: 'skipped'; reason: string };

/** What {@link ruleStatus} needs of the request. */
export interface RuleRequest {
  owner: string;
  caller: Caller;
  relationships: readonly Relationship[];
  type: string;
  now: Date;
  reciprocity: ((types: readonly string[]) => boolean) | undefined;
}

/**
 * An instant for messages.
 * @example instantText(new Date(0)) // '1970-01-01T00:00:00.000Z'
 */
export function instantText(at: Date): string {
  return at.toISOString();
}

/**
 * Whether a rule applies to a request. `unrelated` when its types or `who` do not name the
 * caller; else `skipped` when outside its validity window (`from` inclusive, `until`
 * exclusive), when it needs a purpose the request does not declare, or when its reciprocity
 * is not met or cannot be checked (no reciprocity function: fail closed).
 * @example ruleStatus(rule, { owner: 'alumill', caller, relationships: ['member'], type: 'Lot', now, reciprocity: undefined })
 * // { kind: 'skipped', reason: 'needs a purpose (one of planning); the request declares none' }
 */
export function ruleStatus(rule: PolicyRule, request: RuleRequest): RuleStatus {
  const { caller } = request;
  if (!rule.types.includes(request.type)) return { kind: 'unrelated' };
  if (!whoMatches(rule.who, caller.firmId, caller.roles, request.relationships)) return { kind: 'unrelated' };
  const now = request.now.getTime();
  if (rule.valid.from && now < rule.valid.from.getTime()) return { kind: 'skipped', reason: `not valid before ${instantText(rule.valid.from)}` };
  if (rule.valid.until && now >= rule.valid.until.getTime()) return { kind: 'skipped', reason: `expired at ${instantText(rule.valid.until)}` };
  if (rule.effect === 'permit' && rule.purposes.length > 0) {
    if (caller.purpose === undefined) {
      return { kind: 'skipped', reason: `needs a purpose (one of ${rule.purposes.join(', ')}); the request declares none` };
    }
    if (!rule.purposes.includes(caller.purpose)) {
      return { kind: 'skipped', reason: `purpose "${caller.purpose}" is not one of ${rule.purposes.join(', ')}` };
    }
  }
  if (rule.effect === 'permit' && rule.reciprocity.length > 0) {
    const wanted = `${caller.firmId} to grant ${request.owner} ${rule.reciprocity.join(', ')} in return`;
    if (!request.reciprocity) return { kind: 'skipped', reason: `reciprocity not checked (fail closed): needs ${wanted}` };
    if (!request.reciprocity(rule.reciprocity)) return { kind: 'skipped', reason: `reciprocity not met: needs ${wanted}` };
  }
  return { kind: 'applies' };
}
