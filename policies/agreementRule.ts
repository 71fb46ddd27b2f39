import type { AgreementGrant, PolicyRule } from './policyFile.js';

/**
 * An agreement as a permit rule for its holder only: id `agreement:<id>`, who `firms:
 * [holder]`, the agreement's types and fields (`['*']` = every field), its purpose, its
 * window (`validFrom` inclusive, `validUntil` exclusive), mode full. A revoked agreement is
 * simply not passed in. Prohibitions still win over it.
 * @example agreementRule({ agreementId: 'a1', holderId: 'cuprum', types: ['Lot'], fields: ['*'], purpose: 'traceability', validFrom, validUntil }).id
 * // 'agreement:a1'
 */
export function agreementRule(a: AgreementGrant, index = 0): PolicyRule {
  return {
    id: `agreement:${a.agreementId}`,
    description: `Agreement ${a.agreementId} granted to ${a.holderId} for ${a.purpose}`,
    index,
    origin: 'agreement',
    effect: 'permit',
    who: { firms: [a.holderId] },
    types: [...a.types],
    fields: a.fields.includes('*') ? '*' : [...a.fields],
    exceptFields: [],
    rows: null,
    purposes: [a.purpose],
    valid: { from: a.validFrom, until: a.validUntil },
    mode: 'full',
    coarsen: {},
    aggregate: null,
    reciprocity: [],
  };
}
