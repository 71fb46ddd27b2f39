import type { Relationship } from '../cluster/relationship.js';
import type { DataModel } from '../schema/model.js';
import type { EffectivePolicy, PolicyRule } from './policyFile.js';
import { effectiveRelationships, whoMatches } from './whoMatches.js';

function inForce(rule: PolicyRule, now: Date): boolean {
  const t = now.getTime();
  return (!rule.valid.from || t >= rule.valid.from.getTime()) && (!rule.valid.until || t < rule.valid.until.getTime());
}

/**
 * Does the caller firm, under its own published effective policy, grant the owner firm each
 * of these types (give to get)? True when, for every type, some permit rule (full or
 * coarsened; aggregate-only is not the same kind of data) naming the owner firm — ignoring
 * roles and purposes, which depend on the owner's users — in force at `now`, grants at least
 * one non-key field that no unconditional field prohibition hides, and no whole-type
 * prohibition (deny, fields "*", no rows) in force names the owner. The caller's own
 * reciprocity conditions count as met (no recursion: two give-to-get rules of two firms
 * about each other both hold).
 * @example grantsReciprocally(circuitraPolicy, model, 'avionix', relationshipsOf(rels, 'avionix', 'circuitra'), ['ProductionRun'], now) // true
 */
export function grantsReciprocally(
  callerPolicy: EffectivePolicy,
  model: DataModel,
  ownerFirm: string,
  relationshipsOfOwnerToCaller: readonly Relationship[],
  types: readonly string[],
  now: Date,
): boolean {
  const relationships = effectiveRelationships(callerPolicy.owner, ownerFirm, relationshipsOfOwnerToCaller);
  const naming = callerPolicy.rules.filter((r) => inForce(r, now) && whoMatches(r.who, ownerFirm, undefined, relationships));
  return types.every((name) => {
    const type = model.types[name];
    if (!type) return false;
    const about = naming.filter((r) => r.types.includes(name));
    if (about.some((r) => r.effect === 'deny' && r.fields === '*' && r.rows === null)) return false;
    const hidden = new Set(about.flatMap((r) => (r.effect === 'deny' && r.fields !== '*' && r.rows === null ? r.fields : [])));
    return about.some(
      (r) =>
        r.effect === 'permit' &&
        r.mode !== 'aggregate' &&
        r.mode !== 'membership' &&
        (r.fields === '*' ? type.fields : r.fields).some((f) => type.fields.includes(f) && !type.keyFields.includes(f) && !r.exceptFields.includes(f) && !hidden.has(f)),
    );
  });
}
