import { describe, expect, it } from 'vitest';
import type { Relationship } from '../../../cluster/relationship.js';
import { analyticsRoleProblem } from '../../../policies/analyticsRole.js';
import { decideAccess } from '../../../policies/decideAccess.js';
import { effectivePolicy } from '../../../policies/effectivePolicy.js';
import { caller, MEMBER, model, NOW, SELF, v2Policy } from './policyFixtures.js';

const policy = effectivePolicy(
  v2Policy(`
  - id: own-users-see-everything
    who: { relationship: [self] }
    types: "*"
    fields: "*"
  - id: members-see-status
    who: { relationship: [member] }
    types: [QualityInspection]
    fields: [result]
  - id: tools-count-inspections
    who: { relationship: [self, member], roles: [analytics] }
    types: [QualityInspection]
    mode: aggregate
    aggregate:
      functions: [count]
      groupBy: [result]
      minGroupSize: 5
`),
  undefined,
  [],
);

const decide = (firm: string, relationships: readonly Relationship[], roles: string[], type = 'QualityInspection') =>
  decideAccess(policy, model, { caller: { ...caller(firm, roles), purpose: 'benchmarking' }, relationships, type, now: NOW });

describe('the analytics role: a tool is matched only by rules written for tools', () => {
  it("gets none of its own firm's rows from the own-users rule, only the aggregates named for it", () => {
    const own = decide('structura', SELF, ['analytics']);
    expect(own.grants).toEqual([]);
    expect(own.rowFilter).toBe('none');
    expect(own.aggregates.map((a) => a.ruleId)).toEqual(['tools-count-inspections']);
    const orders = decide('structura', SELF, ['analytics'], 'PurchaseOrder');
    expect(orders.grants).toEqual([]);
    expect(orders.visibleFields.size).toBe(0);
  });

  it("a member's tool gets aggregates, not the members' row grant; the member's users still get their rows", () => {
    const tool = decide('avionix', MEMBER, ['analytics']);
    expect(tool.grants).toEqual([]);
    expect(tool.aggregates.map((a) => a.ruleId)).toEqual(['tools-count-inspections']);
    const user = decide('avionix', MEMBER, ['planner']);
    expect(user.grants.map((g) => g.ruleId)).toEqual(['members-see-status']);
    expect(user.aggregates).toEqual([]);
  });

  it('goes alone in a token', () => {
    expect(analyticsRoleProblem(['analytics'])).toBeUndefined();
    expect(analyticsRoleProblem(['planner', 'quality'])).toBeUndefined();
    expect(analyticsRoleProblem(['analytics', 'admin'])).toMatch(/analytics is a tool's and goes alone/);
  });
});
