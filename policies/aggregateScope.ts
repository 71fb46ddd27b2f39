import type { EffectivePolicy, PolicyRule } from './policyFile.js';

function firmWide(rule: PolicyRule): PolicyRule {
  const { roles: _roles, ...who } = rule.who;
  return { ...rule, who, purposes: [] };
}

/**
 * The owner's rules as they bear on a caller FIRM, whatever the roles and purpose its tokens
 * declare. A firm signs its own users' tokens, so roles and purpose are its word; the
 * aggregate release table (`releaseTable`) is built under this policy, so that no choice of
 * roles or purpose gives a firm a second table to difference against the first:
 * - every permit and every prohibition limited to some rows loses its `who.roles` and its
 *   `purposes` (types, firms, relationships, validity and reciprocity are kept): a
 *   prohibition of some rows for one role takes those rows out of the firm's table;
 * - a prohibition on every row for some roles is left out: it changes no cell, it refuses
 *   the requests of those roles (their own decision has it).
 * Permission still comes from the request's own decision.
 * @example
 * const scope = decideAccess(aggregateScope(policy), model, request);
 * scope.aggregates // every aggregate grant some user of the caller's firm could use on the type
 */
export function aggregateScope(policy: EffectivePolicy): EffectivePolicy {
  return {
    owner: policy.owner,
    rules: policy.rules.flatMap((rule) => (rule.effect === 'deny' && rule.rows === null && rule.who.roles ? [] : [firmWide(rule)])),
  };
}
