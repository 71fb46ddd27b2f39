import type { Relationship } from '../cluster/relationship.js';
import type { RowFilter } from './rowFilter.js';

/** Who a rule names: every given condition must hold (AND); within a list, any entry (OR). */
export interface WhoCondition {
  /** The caller must stand in one of these relationships to the owner. */
  relationship?: readonly Relationship[];
  /** The caller's firm must be one of these. */
  firms?: readonly string[];
  /** The caller must have one of these roles. */
  roles?: readonly string[];
}

/** A permit grants; a deny (prohibition) takes away, and always wins over permits. */
export type RuleEffect = 'permit' | 'deny';

/** Where a rule comes from: the firm's file, the cluster terms, or an agreement granted on request. */
export type RuleOrigin = 'firm' | 'cluster' | 'agreement';

/**
 * How a permit shares: rows as stored, rows with some values coarsened, aggregates only, or
 * (on lots) only chain-membership answers: "is X anywhere in this lot's chain?", never the lots.
 */
export type AccessMode = 'full' | 'coarsened' | 'aggregate' | 'membership';

export const ACCESS_MODES: readonly AccessMode[] = ['full', 'coarsened', 'aggregate', 'membership'];

/** The one type a `membership` rule may name: chain membership is a question about lots. */
export const MEMBERSHIP_TYPE = 'Lot';

export type AggregateFunction = 'count' | 'sum' | 'avg' | 'min' | 'max';

export const AGGREGATE_FUNCTIONS: readonly AggregateFunction[] = ['count', 'sum', 'avg', 'min', 'max'];

/** Date truncations of {@link CoarsenSpec.to}. */
export type DateGrain = 'day' | 'week' | 'month';

export const DATE_GRAINS: readonly DateGrain[] = ['day', 'week', 'month'];

/**
 * How one field is coarsened; exactly one of the two. `step`: numbers rounded to the nearest
 * multiple; `to`: dates truncated (UTC; `week` = ISO week, Monday 00:00 UTC).
 */
export interface CoarsenSpec {
  step?: number;
  to?: DateGrain;
}

/** What an aggregate-only permit lets the caller compute. */
export interface AggregateSpec {
  functions: AggregateFunction[];
  /** Numeric fields that sum/avg/min/max may use (count needs none). */
  measures: string[];
  /** Fields the caller may group by (possibly none: one group of every row). */
  groupBy: string[];
  /** The smallest group ever returned (k ≥ 2); smaller groups are held back. */
  minGroupSize: number;
}

/** When a rule applies: from `from` (inclusive) until `until` (exclusive); either may be absent. */
export interface ValidityWindow {
  from?: Date;
  until?: Date;
}

/** A validated rule: of a firm's policy, of the cluster terms, or made from an agreement. */
export interface PolicyRule {
  /** Unique within its source, `[a-z0-9-]+`; cluster rules are `cluster:<id>`, agreements `agreement:<id>`. */
  id: string;
  description?: string;
  /** Position in its source's `rules` list (the agreement's position for agreements). */
  index: number;
  origin: RuleOrigin;
  effect: RuleEffect;
  who: WhoCondition;
  /** Governed type names (`"*"` in a file is expanded to every governed type). */
  types: string[];
  /** Field names (valid on every listed type), or `'*'` for all fields. On a deny, `'*'` = whole rows. */
  fields: '*' | string[];
  /** Fields removed from the grant (each a field of at least one listed type; never a key field). */
  exceptFields: string[];
  /** Row filter, placeholders unbound; `null` = every row. */
  rows: RowFilter | null;
  /** The request's purpose must be one of these; empty = the rule needs no purpose. */
  purposes: string[];
  valid: ValidityWindow;
  mode: AccessMode;
  /** Per field, how it is coarsened (mode `coarsened` only). */
  coarsen: Record<string, CoarsenSpec>;
  /** What may be aggregated (mode `aggregate` only). */
  aggregate: AggregateSpec | null;
  /** Types the caller firm must grant the owner for this permit to apply (give to get); empty = none. */
  reciprocity: string[];
}

/** A validated policy file: the owner's rules. Anything no rule permits is denied. */
export interface PolicyDocument {
  /** 1: the v1 keys only; 2: with effect, purposes, valid, mode, coarsen, aggregate, reciprocity. */
  version: 1 | 2;
  /** The owner firm id. */
  firm: string;
  /** Where the document was read from, for messages. */
  file: string;
  rules: PolicyRule[];
}

/** A purpose of the cluster vocabulary. */
export interface PurposeDefinition {
  id: string;
  description: string;
}

/** The cluster terms, held by the registry: purpose vocabulary, baseline rules, prohibitions. */
export interface ClusterTerms {
  /** SHA-256 (hex) of the canonical document: which terms a decision was taken under. */
  version: string;
  file: string;
  purposes: PurposeDefinition[];
  /** Origin `cluster`; `permit` = baseline every member grants, `deny` = prohibition no firm overrides. */
  rules: PolicyRule[];
}

/** Access an owner granted a holder on request (an agreement): acts as a permit rule while active. */
export interface AgreementGrant {
  agreementId: string;
  holderId: string;
  types: string[];
  /** Field names, or `['*']`. */
  fields: string[];
  purpose: string;
  validFrom: Date;
  validUntil: Date;
}

/** Every rule that governs an owner's data: cluster terms, then the firm's own, then agreements. */
export interface EffectivePolicy {
  owner: string;
  rules: PolicyRule[];
}
