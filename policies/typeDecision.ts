import type { Relationship } from '../cluster/relationship.js';
import type { Caller } from '../identity/caller.js';
import type { AggregateFunction, CoarsenSpec, RuleOrigin } from './policyFile.js';
import type { BoundRowFilter } from './rowFilter.js';

/** What is asked: a caller, how it stands to the owner, a governed type of the owner's, and when. */
export interface AccessRequest {
  /** `caller.purpose` may be undefined: then only rules that need no purpose apply. */
  caller: Caller;
  /** Every relationship of the caller's firm to the owner (see `relationshipsOf`). */
  relationships: readonly Relationship[];
  type: string;
  /** The moment of the request, for validity windows (injected: the engine reads no clock). */
  now: Date;
  /**
   * Does the caller firm grant the owner these types (give to get)? Absent: rules with
   * reciprocity are skipped (fail closed). See `grantsReciprocally`.
   */
  reciprocity?: (types: readonly string[]) => boolean;
}

/** What one applicable full or coarsened permit grants on the type. */
export interface Grant {
  ruleId: string;
  origin: RuleOrigin;
  mode: 'full' | 'coarsened';
  /** The granted fields of the type, key fields included. */
  fields: ReadonlySet<string>;
  /** The rows it covers, bound to the caller; `null` = every row. */
  rowFilter: BoundRowFilter | null;
  /** The fields this grant only gives coarsened, and how. */
  coarsen: ReadonlyMap<string, CoarsenSpec>;
}

/** What one applicable aggregate-only permit lets the caller compute. */
export interface AggregateGrant {
  ruleId: string;
  origin: RuleOrigin;
  functions: ReadonlySet<AggregateFunction>;
  measures: ReadonlySet<string>;
  groupBy: ReadonlySet<string>;
  minGroupSize: number;
  rowFilter: BoundRowFilter | null;
}

/** What one applicable membership-only permit lets the caller ask: chain membership of these lots. */
export interface MembershipGrant {
  ruleId: string;
  origin: RuleOrigin;
  rowFilter: BoundRowFilter | null;
}

/** One applicable prohibition: fields (or whole rows, `'*'`) it hides, on the rows of its filter. */
export interface Denial {
  ruleId: string;
  origin: RuleOrigin;
  fields: ReadonlySet<string> | '*';
  /** `null` = every row. */
  rowFilter: BoundRowFilter | null;
}

/** A rule that names the caller and the type but does not apply now, and why. */
export interface SkippedRule {
  ruleId: string;
  reason: string;
}

/** The owner's decision on one type for one caller: what enforcement applies. */
export interface TypeDecision {
  type: string;
  /** The owner firm, whose policy decided. */
  owner: string;
  callerFirm: string;
  roles: readonly string[];
  purpose: string | undefined;
  /** The relationships considered (`self` alone when the caller is the owner, never otherwise). */
  relationships: readonly Relationship[];
  /** The applicable full or coarsened permits, in policy order. */
  grants: Grant[];
  /** The applicable aggregate-only permits. */
  aggregates: AggregateGrant[];
  /** The applicable membership-only permits (mode `membership`, on lots). */
  memberships: MembershipGrant[];
  /**
   * The rows about which the caller may ask chain membership: those of the membership permits
   * and of the grants that show `components` (whoever may read the genealogy may ask about it),
   * less the whole-row prohibitions; null = every row, 'none' = none.
   */
  membershipRows: BoundRowFilter | null | 'none';
  /** The applicable prohibitions (whatever their origin, they win over every permit). */
  denials: Denial[];
  keyFields: readonly string[];
  /** Fields returned on at least some visible row (key fields included); empty when no row is visible. */
  visibleFields: ReadonlySet<string>;
  /**
   * SQL-bound row filter: (OR of the grants' filters) AND NOT (OR of whole-row denials'
   * filters); null = all rows; 'none' = no row (no grant, or a denial of the whole type).
   * Aggregate-only grants show no row.
   */
  rowFilter: BoundRowFilter | null | 'none';
  /** Ids of the applicable rules (grants, aggregates, denials), in policy order. */
  matchedRules: string[];
  /** Rules naming the caller and the type that do not apply now: purpose, validity, reciprocity. */
  skippedRules: SkippedRule[];
}
