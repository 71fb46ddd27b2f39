import type { Relationship } from '../cluster/relationship.js';
import type { Caller } from '../identity/caller.js';
import type { BoundRowFilter } from './rowFilter.js';

/** What is asked: a caller, how it stands to the owner, and a governed type of the owner's. */
export interface AccessRequest {
  caller: Caller;
  /** Every relationship of the caller's firm to the owner (see `relationshipsOf`). */
  relationships: readonly Relationship[];
  type: string;
}

/** What one matching permit rule grants on the type. */
export interface Grant {
  ruleId: string;
  /** The granted fields of the type, key fields included. */
  fields: ReadonlySet<string>;
  /** The rows it covers, bound to the caller; `null` = every row. */
  rowFilter: BoundRowFilter | null;
}

/** The owner's decision on one type for one caller: what enforcement applies. */
export interface TypeDecision {
  type: string;
  /** The owner firm, whose policy decided. */
  owner: string;
  /** The relationships considered (`self` only when the caller is the owner). */
  relationships: readonly Relationship[];
  /** The permit rules that matched who and type, in file order. */
  grants: Grant[];
  keyFields: readonly string[];
  /** Fields some grant allows (key fields always included when any grant exists). */
  visibleFields: ReadonlySet<string>;
  /** SQL-bound row filter: OR of the grants' filters; null = all rows; 'none' = no row visible (no grant). */
  rowFilter: BoundRowFilter | null | 'none';
  /** Ids of the matched rules. */
  matchedRules: string[];
}
