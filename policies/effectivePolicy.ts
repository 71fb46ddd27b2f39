import { agreementRule } from './agreementRule.js';
import type { AgreementGrant, ClusterTerms, EffectivePolicy, PolicyDocument } from './policyFile.js';

/**
 * Every rule governing an owner's data, in order: the cluster terms (baseline permits and
 * prohibitions), then the firm's own rules, then its active agreements as permit rules.
 * Order only matters for listings: prohibitions win whatever their place.
 * @example
 * const policy = effectivePolicy(loadPolicyFile(path, { model }), terms, agreements);
 * policy.rules.map((r) => r.id) // ['cluster:suppliers-share-shipment-status', ..., 'own-users-see-everything', ..., 'agreement:a1']
 */
export function effectivePolicy(own: PolicyDocument, terms: ClusterTerms | undefined, agreements: readonly AgreementGrant[]): EffectivePolicy {
  return {
    owner: own.firm,
    rules: [...(terms?.rules ?? []), ...own.rules, ...agreements.map((a, i) => agreementRule(a, i))],
  };
}
