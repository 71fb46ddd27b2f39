import { describeAggregate, describeCoarsen } from './describeRule.js';
import type { AccessMode, EffectivePolicy, RuleOrigin } from './policyFile.js';
import { describeRowFilter } from './rowFilter.js';

/** One offer of a firm's catalog: a permit rule of its effective policy, in plain terms. */
export interface CatalogOffer {
  ruleId: string;
  origin: RuleOrigin;
  description: string | null;
  /** Who may use it: any of each list; every non-empty list must hold. */
  relationships: string[];
  firms: string[];
  roles: string[];
  types: string[];
  /** Field names, or `['*']`: every field (of aggregate rules: the group-by and measure fields). */
  fields: string[];
  /** Purposes the request must declare; empty = none needed. */
  purposes: string[];
  validFrom: Date | null;
  validUntil: Date | null;
  mode: AccessMode;
  /** The row filter in words (`$caller.firm` as written); null = every row. */
  rows: string | null;
  /** Types the caller must grant the owner in return; empty = none. */
  reciprocity: string[];
  /** Fields not offered (excepted). */
  exceptFields: string[];
  /** For coarsened offers, how each field is coarsened, e.g. `onHand rounded to the nearest 50`. */
  coarsen: string[];
  /** For aggregate offers, what may be computed. */
  aggregate: string | null;
}

/**
 * What a firm offers, to whom, for which purposes: every permit rule of its effective policy
 * (cluster baseline, its own, and whatever agreements the caller passed in), in policy order.
 * Prohibitions are not offers and are not listed.
 * @example catalogOffers(effectivePolicy(policy, terms, [])).map((o) => o.ruleId)
 * // ['cluster:suppliers-share-shipment-status', 'own-users-see-everything', ...]
 */
export function catalogOffers(policy: EffectivePolicy): CatalogOffer[] {
  return policy.rules
    .filter((r) => r.effect === 'permit')
    .map((r) => ({
      ruleId: r.id,
      origin: r.origin,
      description: r.description ?? null,
      relationships: [...(r.who.relationship ?? [])],
      firms: [...(r.who.firms ?? [])],
      roles: [...(r.who.roles ?? [])],
      types: [...r.types],
      fields: r.fields === '*' ? ['*'] : [...r.fields],
      purposes: [...r.purposes],
      validFrom: r.valid.from ?? null,
      validUntil: r.valid.until ?? null,
      mode: r.mode,
      rows: r.rows ? describeRowFilter(r.rows) : null,
      reciprocity: [...r.reciprocity],
      exceptFields: [...r.exceptFields],
      coarsen: Object.entries(r.coarsen).map(([field, spec]) => `${field} ${describeCoarsen(spec)}`),
      aggregate: r.aggregate ? describeAggregate(r.aggregate) : null,
    }));
}
