/**
 * The role of a third-party analytics tool: a member issues its tool a token with the one
 * role `analytics` (and the purposes it serves). A tool is not a user: a token with this role
 * carries no other role, and a policy rule applies to it only when the rule names `analytics`
 * in `who.roles`. A firm's "own users see everything" rule therefore gives its own tool
 * nothing; what a tool gets (aggregates only, usually) is written for it.
 */
export const ANALYTICS_ROLE = 'analytics';

/**
 * Why a token's roles are not a tool's valid roles, or undefined when they are (no
 * `analytics`, or `analytics` alone).
 */
export function analyticsRoleProblem(roles: readonly string[]): string | undefined {
  if (!roles.includes(ANALYTICS_ROLE) || roles.length === 1) return undefined;
  return `the role ${ANALYTICS_ROLE} is a tool's and goes alone (got ${roles.join(', ')})`;
}
