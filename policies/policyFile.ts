import type { Relationship } from '../cluster/relationship.js';
import type { RowFilter } from './rowFilter.js';

/** Who a rule grants: every given condition must hold (AND); within a list, any entry (OR). */
export interface WhoCondition {
  /** The caller must stand in one of these relationships to the owner. */
  relationship?: readonly Relationship[];
  /** The caller's firm must be one of these. */
  firms?: readonly string[];
  /** The caller must have one of these roles. */
  roles?: readonly string[];
}

/** A validated permit rule of an owner's policy. */
export interface PolicyRule {
  /** Unique within the file, `[a-z0-9-]+`. */
  id: string;
  description?: string;
  /** Position in the file's `rules` list. */
  index: number;
  who: WhoCondition;
  /** Governed type names, or `'*'` for every governed type. */
  types: '*' | readonly string[];
  /** Granted field names (valid on every listed type), or `'*'` for all fields. */
  fields: '*' | readonly string[];
  /** Fields removed from the grant (each a field of at least one listed type; never a key field). */
  exceptFields: readonly string[];
  /** Row filter, `$caller.firm` unbound; `null` = every row. */
  rows: RowFilter | null;
}

/** A validated policy file: the owner's permit rules. Anything no rule permits is denied. */
export interface PolicyDocument {
  version: 1;
  /** The owner firm id. */
  firm: string;
  /** Where the document was read from, for messages. */
  file: string;
  rules: readonly PolicyRule[];
}
